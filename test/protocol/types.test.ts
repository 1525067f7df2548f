import { describe, expect, it } from 'vitest';
import type { DoubleSidedQuoteResult, InstrumentsParams, LoginResult, SetCancelOnDisconnectResult } from '../../src/protocol/rpc-types.js';
import type { FixedChannelPayloads, MmProtectionUpdate, Notification, OrderStatus, PortfolioEntry, PriceIndex, SystemEvent, Ticker, Trade } from '../../src/protocol/notification-types.js';
import type { Instrument } from '../../src/protocol/instrument.js';
import type { TickerChannel } from '../../src/protocol/channels.js';
import { PrivateChannel, PublicChannel, tickerChannel } from '../../src/protocol/channels.js';
import { Method } from '../../src/protocol/methods.js';
import { assertValid, validateComponent, validateNotification, validateNotificationFrame, validateRequest, validateResult } from '../helpers/spec.js';

// Values typed with our types (so tsc checks the shapes) and validated against the spec (so the
// spec checks the types' field names): a renamed or mistyped field fails one of the two.

const fill = { trade_id: 'T1', price: 95000, amount: 0.1, time: 1700000000.5, maker_taker: 'maker', leg_index: 0 } as const;

const order: OrderStatus = {
  order_id: '1728379719872',
  order_type: 'limit',
  time_in_force: 'good_till_cancelled',
  instrument_name: 'BTC-PERPETUAL',
  direction: 'buy',
  price: 95000,
  amount: 0.2,
  filled_amount: 0.1,
  remaining_amount: 0,
  label: 'mm-bot',
  status: 'cancelled_partially_filled',
  fills: [fill],
  change_reason: 'cancel',
  delete_reason: 'mm_protection',
  insert_reason: 'client_request',
  create_time: 1700000000.1,
  close_time: 1700000001,
  persistent: false,
};

const ticker: Ticker = {
  best_bid_price: null,
  best_bid_amount: null,
  best_ask_price: 47260,
  best_ask_amount: 1,
  last_price: null,
  mark_price: 47238.64,
  mark_timestamp: 946684800,
  delta: 1,
  index: 47200,
  change_24h: null,
  collar_low: 46000,
  collar_high: 48000,
  funding_rate: 0.0001,
};

const trade: Trade = {
  order_id: '00011E570000004A',
  trade_id: '0080000000000000169F22D05B785A2B',
  instrument_name: 'BTC-PERPETUAL',
  direction: 'buy',
  price: 47280,
  amount: 0.1,
  time: 1630059868.4145653,
  position_after: 1.1,
  trade_type: 'normal',
  maker_taker: 'maker',
  leg_index: 0,
};

const portfolio: PortfolioEntry = { instrument_name: 'BTC-PERPETUAL', position: -1, mark_price: 47299.7 };
const protection: MmProtectionUpdate = { product: 'FBTCUSD', remaining_amount: -0.5, reason: 'executions' };
const system: SystemEvent = { event: 'reconnect' };
const index: PriceIndex = { index_name: 'BTCUSD', price: 47389.1, timestamp: 946684800 };
const instrument: Instrument = {
  instrument_name: 'BTC-PERPETUAL',
  product: 'FBTCUSD',
  tick_size: 1,
  volume_tick_size: 0.001,
  min_order_amount: 0.001,
  underlying: 'BTCUSD',
  type: 'perpetual',
  base_currency: 'USD',
  create_time: 1631250800.1,
};

describe('types line up with the spec', () => {
  it('notification payloads', () => {
    const payloads: FixedChannelPayloads = {
      'session.orders': [order],
      'account.orders': [order],
      'account.persistent_orders': [],
      'account.trade_history': [trade],
      'account.portfolio': [portfolio],
      'session.mm_protection': [protection],
      system,
      instruments: [{ added: instrument }, { removed: instrument }],
    };
    for (const [channel, payload] of Object.entries(payloads)) assertValid(validateNotification(channel, payload), channel);
    assertValid(validateNotification(tickerChannel('BTC-PERPETUAL', '100ms'), ticker));
    assertValid(validateNotification('price_index.BTCUSD', index));
  });

  it('notification envelopes', () => {
    const n: Notification<TickerChannel, Ticker> = { channel_name: tickerChannel('BTC-PERPETUAL', 'raw'), notification: ticker };
    assertValid(validateNotificationFrame(n));
    const o: Notification<typeof PrivateChannel.SessionOrders, OrderStatus[]> = { channel_name: PrivateChannel.SessionOrders, notification: [order] };
    assertValid(validateNotificationFrame(o));
    const s: Notification<typeof PublicChannel.System, SystemEvent> = { channel_name: PublicChannel.System, notification: system };
    assertValid(validateNotificationFrame(s));
  });

  it('results', () => {
    const login: LoginResult = { account_number: 'A123456789' };
    const cod: SetCancelOnDisconnectResult = { message_rate: 50 };
    const mq: DoubleSidedQuoteResult = { n_success: 3, n_fail: 1, errors: [{ code: 43, message: 'price collar breach', side: 'bid', price: 95000 }] };
    assertValid(validateResult(Method.Login, login));
    assertValid(validateResult(Method.SetCancelOnDisconnect, cod));
    assertValid(validateResult(Method.MassQuote, mq));
    assertValid(validateResult(Method.Instruments, [instrument]));
    assertValid(validateComponent('Instrument', instrument));
    const params: InstrumentsParams = { underlying: 'BTCUSD', instrument_type: 'futures' };
    assertValid(validateRequest(Method.Instruments, params));
  });

  it('spec rejects what the types forbid (sanity of the pairing)', () => {
    expect(validateNotification('session.orders', [{ ...order, delete_reason: 'triggered' }])).not.toEqual([]);
    expect(validateNotification('session.orders', [{ ...order, fills: [{ ...fill, maker_taker: 'both' }] }])).not.toEqual([]);
  });
});
