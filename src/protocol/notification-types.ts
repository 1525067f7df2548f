import type {
  ChangeReason,
  DeleteReason,
  Direction,
  InsertReason,
  MakerTaker,
  MmProtectionReason,
  OrderState,
  OrderType,
  SystemEventKind,
  TimeInForce,
  TradeType,
} from './enums.js';
import type { Instrument } from './instrument.js';

/**
 * Notification payloads (the `notification` member of `{channel_name, notification}`), field for
 * field as in ws_spec.json / openapi.json. Optional (`?`) exactly where the spec does not list a
 * field in `required`; `| null` where the spec's description says the venue sends `null`.
 */

/** `ticker.<instrument>.<delay>` (spec `Ticker`). */
export interface Ticker {
  /** `null` if the book side is empty. */
  best_bid_price?: number | null;
  best_bid_amount?: number | null;
  best_ask_price?: number | null;
  best_ask_amount?: number | null;
  /** `null` if no trades yet. Not for combinations. */
  last_price?: number | null;
  mark_price: number;
  /** Unix seconds. */
  mark_timestamp: number;
  /** Options only. */
  iv?: number;
  delta: number;
  index: number;
  /** Options only. */
  forward?: number;
  volume_24h?: number;
  value_24h?: number;
  low_price_24h?: number;
  high_price_24h?: number;
  /** `null` if no trades in 24h. */
  change_24h?: number | null;
  /** Checks new asks. */
  collar_low?: number;
  /** Checks new bids. */
  collar_high?: number;
  open_interest?: number;
  /** Perpetuals only. */
  funding_rate?: number;
  funding_mark?: number;
  realised_funding_24h?: number;
  average_funding_rate_24h?: number;
}

/** A fill inside an OrderStatus (spec `OrderFill`). */
export interface OrderFill {
  trade_id: string;
  price: number;
  amount: number;
  time?: number;
  maker_taker: MakerTaker;
  /** Zero for single-leg orders. */
  leg_index: number;
}

/** A leg of a combination order. */
export interface OrderLeg {
  instrument_name: string;
  quantity: number;
  filled_amount: number;
  remaining_amount: number;
}

/** `session.orders` / `account.orders` / `account.persistent_orders` item (spec `OrderStatus`). */
export interface OrderStatus {
  order_id: string;
  order_type: OrderType;
  time_in_force: TimeInForce;
  /** Absent for combination orders (see `legs`). */
  instrument_name?: string;
  legs?: OrderLeg[];
  direction: Direction;
  /** Absent if no price was supplied (market order). */
  price?: number;
  amount: number;
  filled_amount: number;
  /** 0 means the order is no longer active. */
  remaining_amount: number;
  /** Omitted if none was supplied (the spec's prose: "can also be a number"; its schema: string). */
  label?: string;
  client_order_id?: number;
  status: OrderState;
  /** New fills of this update; all fills when `change_reason` is `existing`. */
  fills: OrderFill[];
  change_reason: ChangeReason;
  /** Only once deleted. */
  delete_reason?: DeleteReason;
  insert_reason: InsertReason;
  conditional_order_id?: string;
  bot_id?: string;
  create_time: number;
  close_time?: number;
  reduce_only?: boolean;
  persistent: boolean;
}

/** `account.trade_history` item (spec `Trade`): no field is required by the spec. */
export interface Trade {
  trade_type?: TradeType;
  trade_id?: string;
  order_id?: string;
  instrument_name?: string;
  direction?: Direction;
  price?: number;
  amount?: number;
  label?: string;
  time?: number;
  position_after?: number;
  session_realised_after?: number;
  position_pnl?: number;
  perpetual_funding_pnl?: number;
  fee?: number;
  index?: number;
  fee_rate?: number;
  fee_basis?: number;
  funding_mark?: number;
  liquidation_fee?: number;
  client_order_id?: number;
  maker_taker?: MakerTaker;
  bot_id?: string;
  leg_index?: number;
}

/** `account.portfolio` item (spec `PortfolioEntry`): no field is required by the spec. */
export interface PortfolioEntry {
  instrument_name?: string;
  /** Short positions are negative. */
  position?: number;
  mark_price?: number;
  iv?: number;
  index?: number;
  start_price?: number;
  average_price?: number;
  unrealised_pnl?: number;
  realised_pnl?: number;
  entry_value?: number;
  perpetual_funding_entry_value?: number;
  unrealised_perpetual_funding?: number;
}

/** `session.mm_protection` item (ws_spec `SessionMmProtectionPayloadInner`; nothing required). */
export interface MmProtectionUpdate {
  product?: string;
  /** May be < 0 after an overshoot; ≤ 0 means the group's quotes were cancelled. */
  remaining_amount?: number;
  reason?: MmProtectionReason;
}

/** `system` payload (spec `SystemEvent`). `reconnect`: the server closes this connection in ≥ 10 s. */
export interface SystemEvent {
  event: SystemEventKind;
}

/** `price_index.<underlying>` payload (spec `Index`). */
export interface PriceIndex {
  index_name: string;
  price: number;
  /** Unix seconds. */
  timestamp: number;
  expiration_print_average?: number;
  expiration_progress?: number;
  expected_expiration_price?: number;
  previous_settlement_price?: number;
}

/** `instruments` item (ws_spec `InstrumentDelta`). */
export type InstrumentDelta = { added: Instrument } | { removed: Instrument };

/** Payload type per fixed channel name. */
export interface FixedChannelPayloads {
  'session.orders': OrderStatus[];
  'account.orders': OrderStatus[];
  'account.persistent_orders': OrderStatus[];
  'account.trade_history': Trade[];
  'account.portfolio': PortfolioEntry[];
  'session.mm_protection': MmProtectionUpdate[];
  system: SystemEvent;
  instruments: InstrumentDelta[];
}

/** The notification envelope: no `id`, no `method`. */
export interface Notification<C extends string = string, P = unknown> {
  channel_name: C;
  notification: P;
}
