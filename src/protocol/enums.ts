/**
 * String enums of Thalex's spec (openapi.json `components.schemas`, `paths.private/mass_quote`,
 * ws_spec.json `SessionMmProtectionPayloadInner`), as unions plus the value lists the config and the
 * mass-quote encoder check against. Values copied from the spec, not from go-thalex (whose STP values differ).
 */

export const STP_LEVELS = ['customer', 'account', 'disabled'] as const;
/** mass_quote `stp_level`; the venue default is `customer`. */
export type StpLevel = (typeof STP_LEVELS)[number];

export const STP_ACTIONS = ['cancel_aggressive_partial_fill', 'cancel_aggressive_no_fill'] as const;
/** mass_quote `stp_action`; the venue default is `cancel_aggressive_partial_fill`. */
export type StpAction = (typeof STP_ACTIONS)[number];

export type Direction = 'buy' | 'sell';
export type OrderType = 'limit' | 'market';
export type TimeInForce = 'good_till_cancelled' | 'immediate_or_cancel';
export type MakerTaker = 'maker' | 'taker';

/** OrderStatus `status`. */
export type OrderState = 'open' | 'partially_filled' | 'cancelled' | 'cancelled_partially_filled' | 'filled';

/** OrderStatus `change_reason`. */
export type ChangeReason = 'existing' | 'insert' | 'amend' | 'cancel' | 'fill';

/** OrderStatus `delete_reason` (only present once the order is deleted). */
export type DeleteReason =
  | 'client_cancel'
  | 'client_bulk_cancel'
  | 'session_end'
  | 'instrument_deactivated'
  | 'mm_protection'
  | 'failover'
  | 'margin_breach'
  | 'filled'
  | 'immediate_cancel'
  | 'admin_cancel'
  | 'replaced'
  | 'self_trade_prevention';

/** OrderStatus `insert_reason`. */
export type InsertReason = 'client_request' | 'conditional_order' | 'bot' | 'liquidation';

/** Trade `trade_type`. */
export type TradeType =
  | 'normal'
  | 'block'
  | 'combo'
  | 'amend'
  | 'delete'
  | 'internal_transfer'
  | 'expiration'
  | 'daily_mark'
  | 'rfq'
  | 'liquidation';

/** Instrument `type`. */
export type InstrumentType = 'perpetual' | 'future' | 'option' | 'combination';
/** Instrument `option_type`. */
export type OptionType = 'call' | 'put';
/** `public/instruments` params `instrument_type` (a filter; note the plural spellings). */
export type InstrumentsFilter = 'futures' | 'options' | 'future_rolls';

/** session.mm_protection `reason`. */
export type MmProtectionReason = 'refill' | 'executions' | 'client_cancel' | 'session_end' | 'failover';

/** system `event`. */
export type SystemEventKind = 'reconnect';
