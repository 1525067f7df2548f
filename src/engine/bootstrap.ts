import { channelsParams, loginParams, setCancelOnDisconnectParams, setMmProtectionParams } from '../protocol/builders.js';
import { PrivateChannel, PublicChannel, tickerChannel } from '../protocol/channels.js';
import { Method } from '../protocol/methods.js';
import { request } from '../protocol/request.js';
import type { RpcSession } from '../rpc/session.js';
import type { EngineConfig } from './config.js';
import { BootstrapError } from './errors.js';
import { resolveWithVenue } from './instrument-resolution.js';

/** The instrument facts the engine quotes with, from `public/instruments`. */
export interface InstrumentInfo {
  readonly name: string;
  readonly product: string;
  readonly tickSize: number;
  readonly volumeTickSize: number;
  readonly minOrderAmount: number;
  readonly type: string;
  /** Spec Instrument `underlying`, e.g. `BTCUSD`. */
  readonly underlying?: string;
  /** Options: `call` or `put`, the strike, and (options and futures) the expiry in Unix seconds. */
  readonly optionType?: 'call' | 'put';
  readonly strike?: number;
  readonly expiry?: number;
  /** Quote only while lo ≤ |ticker delta| ≤ hi (a selector's `delta` band). */
  readonly deltaBand?: readonly [number, number];
}

export interface BootstrapResult {
  readonly accountNumber: string;
  /** Messages per second the venue grants this session. */
  readonly messageRate: number;
  /** `config.instruments` resolved: names as written, selectors expanded (instrument-selector.ts). */
  readonly instruments: readonly InstrumentInfo[];
  readonly products: readonly string[];
  /** The products whose protection this session set (the others wait out a cool-down, or are disarmed). */
  readonly armed: readonly string[];
}

/** Where each step is in the sequence; reported on failure and as engine state detail. */
export type BootstrapStep =
  | 'login'
  | 'cancel_on_disconnect'
  | 'instruments'
  | 'mm_protection'
  | 'subscribe_public'
  | 'subscribe_private'
  | 'snapshots';

export interface BootstrapHooks {
  /** Fresh RS512 login token (a new one per connection: it carries `iat`). */
  token(): Promise<string>;
  /** Resolves when the order and portfolio snapshots of this connection have arrived. */
  snapshots(): Promise<void>;
  onStep?(step: BootstrapStep): void;
  /**
   * Called once the instruments are known and before the subscriptions, so the caller can set
   * up its routes (and size its rings) before the first ticker or snapshot arrives.
   */
  beforeSnapshots?(result: Pick<BootstrapResult, 'instruments'>): Promise<void>;
  /**
   * Whether to set this product's protection now; false leaves it unset (a product cooling down
   * after a trip, or disarmed: a reconnect must not re-arm it early). Default: all.
   */
  mayArm?(product: string): boolean;
}

export const PRIVATE_CHANNELS: readonly string[] = [
  PrivateChannel.SessionOrders,
  PrivateChannel.AccountPortfolio,
  PrivateChannel.AccountTradeHistory,
  PrivateChannel.SessionMmProtection,
];

/**
 * connect → login → set_cancel_on_disconnect → public/instruments → set_mm_protection for each
 * product quoted → subscribe tickers and `system` → subscribe private channels → order and
 * portfolio snapshots. Each step waits for the venue's acknowledgement before the next, and the
 * engine sends no quote before the last one resolves. Cancel-on-disconnect is armed before
 * anything that could create an order, so nothing this session creates can outlive it.
 *
 * Every request is built by protocol/builders.ts (validated here, off the hot path) and sent under
 * its protocol/methods.ts name.
 */
export async function bootstrap(rpc: RpcSession, config: EngineConfig, hooks: BootstrapHooks): Promise<BootstrapResult> {
  const step = async <T>(name: BootstrapStep, run: () => Promise<T>): Promise<T> => {
    hooks.onStep?.(name);
    try {
      return await run();
    } catch (e) {
      if (e instanceof BootstrapError) throw e;
      throw new BootstrapError(name, e instanceof Error ? e.message : String(e), { cause: e });
    }
  };

  const login = await step('login', async () => request(rpc, Method.Login, loginParams(await hooks.token(), config.credentials.account)));

  const cod = await step('cancel_on_disconnect', async () =>
    request(rpc, Method.SetCancelOnDisconnect, setCancelOnDisconnectParams(config.cancelOnDisconnectSecs)),
  );
  if (!(typeof cod?.message_rate === 'number' && cod.message_rate > 0)) {
    throw new BootstrapError('cancel_on_disconnect', `venue granted no usable message_rate (${JSON.stringify(cod)})`);
  }

  const instruments = await step('instruments', async () => {
    const { names, all, deltaBands } = await resolveWithVenue(rpc, config.instruments);
    if (names.length === 0) throw new BootstrapError('instruments', 'the instrument selectors match nothing the venue lists');
    const byName = new Map(all.map((i) => [i['instrument_name'] as string, i]));
    return names.map((name): InstrumentInfo => {
      const i = byName.get(name);
      if (i === undefined) throw new BootstrapError('instruments', `the venue does not list instrument ${name}`);
      const info: InstrumentInfo = {
        name,
        product: String(i['product']),
        tickSize: Number(i['tick_size']),
        volumeTickSize: Number(i['volume_tick_size']),
        minOrderAmount: Number(i['min_order_amount']),
        type: String(i['type']),
        ...(typeof i['underlying'] === 'string' ? { underlying: i['underlying'] } : {}),
        ...(i['option_type'] === 'call' || i['option_type'] === 'put' ? { optionType: i['option_type'] } : {}),
        ...(typeof i['strike_price'] === 'number' ? { strike: i['strike_price'] } : {}),
        ...(typeof i['expiration_timestamp'] === 'number' ? { expiry: i['expiration_timestamp'] } : {}),
        ...(deltaBands.has(name) ? { deltaBand: deltaBands.get(name)! } : {}),
      };
      if (!(info.tickSize > 0 && info.volumeTickSize > 0 && info.minOrderAmount >= 0)) {
        throw new BootstrapError('instruments', `instrument ${name} has unusable tick or lot sizes`);
      }
      return info;
    });
  });
  const products = [...new Set(instruments.map((i) => i.product))];

  const armed: string[] = [];
  await step('mm_protection', async () => {
    for (const product of products) {
      if (hooks.mayArm !== undefined && !hooks.mayArm(product)) continue;
      const limits = config.protection.products[product] ?? config.protection.default;
      await request(rpc, Method.SetMmProtection, setMmProtectionParams(product, limits.tradeAmount, limits.quoteAmount));
      armed.push(product);
    }
  });

  await hooks.beforeSnapshots?.({ instruments });

  await step('subscribe_public', async () => {
    const want: string[] = [...instruments.map((i) => tickerChannel(i.name, config.tickerDelay)), PublicChannel.System];
    const got = await request(rpc, Method.PublicSubscribe, channelsParams(want));
    // "returns successfully even if no channels were valid; check the return value" (spec).
    const missing = want.filter((c) => !got.includes(c));
    if (missing.length > 0) throw new BootstrapError('subscribe_public', `venue refused channels ${missing.join(', ')}`);
  });

  await step('subscribe_private', async () => {
    const got = await request(rpc, Method.PrivateSubscribe, channelsParams(PRIVATE_CHANNELS));
    const missing = PRIVATE_CHANNELS.filter((c) => !got.includes(c));
    if (missing.length > 0) throw new BootstrapError('subscribe_private', `venue refused channels ${missing.join(', ')}`);
  });

  await step('snapshots', () => hooks.snapshots());

  return { accountNumber: login.account_number, messageRate: cod.message_rate, instruments, products, armed };
}
