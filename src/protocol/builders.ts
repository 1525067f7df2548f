import { STP_ACTIONS, STP_LEVELS, type StpAction, type StpLevel } from './enums.js';
import { ProtocolError } from './errors.js';
import type {
  CancelMassQuoteParams,
  ChannelsParams,
  DoubleSidedQuote,
  EmptyParams,
  LoginParams,
  MassQuoteParams,
  QuoteSide,
  SetCancelOnDisconnectParams,
  SetMmProtectionParams,
  WireLevel,
} from './rpc-types.js';

/**
 * Builders of the params objects we send, in the seed's vocabulary. Each one validates its input
 * and throws a ProtocolError BEFORE anything is sent, so a NaN price or an 11th level never
 * reaches the venue. Output shapes are exactly the spec's (openapi.json `paths.<method>`).
 */

/** Spec `private/mass_quote`: "a maximum of 10 level quotes on each side per instrument". */
export const MAX_LEVELS_PER_SIDE = 10;
/** Spec `private/mass_quote` `quotes`: "List of quotes (maximum 100)". */
export const MAX_QUOTES_PER_CALL = 100;

/** One price level, as the caller thinks of it. */
export interface QuoteLevel {
  price: number;
  amount: number;
}

export type QuoteSideName = 'bid' | 'ask';

function checkPrice(p: unknown, path: string): number {
  if (typeof p !== 'number' || !Number.isFinite(p)) {
    throw new ProtocolError('PROTO_ERR_NON_FINITE_PRICE', `price must be a finite number, got ${String(p)}`, path);
  }
  return p;
}

function checkAmount(a: unknown, path: string): number {
  if (typeof a !== 'number' || !Number.isFinite(a)) {
    throw new ProtocolError('PROTO_ERR_NON_FINITE_AMOUNT', `amount must be a finite number, got ${String(a)}`, path);
  }
  // Zero is allowed: "Amount; set to zero to delete quote" (spec SingleSidedSingleLevelQuote).
  if (a < 0) throw new ProtocolError('PROTO_ERR_NEGATIVE_AMOUNT', `amount must be ≥ 0, got ${a}`, path);
  return a;
}

function checkInstrument(i: unknown, path: string): string {
  if (typeof i !== 'string' || i.length === 0) {
    throw new ProtocolError('PROTO_ERR_BAD_INSTRUMENT', `instrument name must be a non-empty string, got ${JSON.stringify(i)}`, path);
  }
  return i;
}

function checkLevelCount(n: number, path: string): void {
  if (n > MAX_LEVELS_PER_SIDE) {
    throw new ProtocolError('PROTO_ERR_TOO_MANY_LEVELS', `${n} levels, at most ${MAX_LEVELS_PER_SIDE} per side`, path);
  }
}

/** Levels → wire `[[price, amount], ...]`, checking count, values and distinct prices. */
function wireLevels(levels: readonly QuoteLevel[], path: string): WireLevel[] {
  if (!Array.isArray(levels)) throw new ProtocolError('PROTO_ERR_BAD_SHAPE', 'levels must be an array', path);
  checkLevelCount(levels.length, path);
  const out: WireLevel[] = new Array(levels.length);
  for (let k = 0; k < levels.length; k++) {
    const l = levels[k]!;
    out[k] = [checkPrice(l?.price, `${path}[${k}].price`), checkAmount(l?.amount, `${path}[${k}].amount`)];
  }
  checkDistinct(out, path);
  return out;
}

// Spec SingleSidedMultiLevelQuote: "Price levels … don't need to be ordered, but must be distinct."
// n ≤ 10, so the quadratic scan is cheaper than a Set.
function checkDistinct(levels: readonly WireLevel[], path: string): void {
  for (let x = 1; x < levels.length; x++) {
    for (let y = 0; y < x; y++) {
      if (levels[x]![0] === levels[y]![0]) {
        throw new ProtocolError('PROTO_ERR_DUPLICATE_PRICE_LEVEL', `price ${levels[x]![0]} appears twice`, `${path}[${x}]`);
      }
    }
  }
}

/** Validate a side given in wire form (hand-built or from a builder). */
function checkWireSide(side: QuoteSide, path: string): void {
  if (Array.isArray(side)) {
    checkLevelCount(side.length, path);
    for (let k = 0; k < side.length; k++) {
      const l = side[k];
      if (!Array.isArray(l) || l.length !== 2) {
        throw new ProtocolError('PROTO_ERR_BAD_SHAPE', 'a level must be [price, amount]', `${path}[${k}]`);
      }
      checkPrice(l[0], `${path}[${k}][0]`);
      checkAmount(l[1], `${path}[${k}][1]`);
    }
    checkDistinct(side, path);
    return;
  }
  if (side === null || typeof side !== 'object') {
    throw new ProtocolError('PROTO_ERR_BAD_SHAPE', 'a side must be {p, a} or [[p, a], ...]', path);
  }
  checkPrice(side.p, `${path}.p`);
  checkAmount(side.a, `${path}.a`);
}

/** Validate a DoubleSidedQuote however it was made; `path` prefixes error paths. */
export function assertDoubleSidedQuote(q: DoubleSidedQuote, path = ''): void {
  if (q === null || typeof q !== 'object') {
    throw new ProtocolError('PROTO_ERR_BAD_SHAPE', 'a quote must be an object {i, b?, a?}', path || undefined);
  }
  checkInstrument(q.i, `${path}${path ? '.' : ''}i`);
  if (q.b !== undefined) checkWireSide(q.b, `${path}${path ? '.' : ''}b`);
  if (q.a !== undefined) checkWireSide(q.a, `${path}${path ? '.' : ''}a`);
}

/**
 * One bid and one ask, single-level wire form `{"i", "b": {"p", "a"}, "a": {"p", "a"}}`
 * (go-thalex `NewSingleLevelQuote`; thalex_py `SideQuote.dumps`).
 */
export function singleLevelQuote(
  instrument: string,
  bidPrice: number,
  bidAmount: number,
  askPrice: number,
  askAmount: number,
): DoubleSidedQuote {
  return {
    i: checkInstrument(instrument, 'i'),
    b: { p: checkPrice(bidPrice, 'b.p'), a: checkAmount(bidAmount, 'b.a') },
    a: { p: checkPrice(askPrice, 'a.p'), a: checkAmount(askAmount, 'a.a') },
  };
}

/**
 * Multi-level quote, wire form `[[price, amount], ...]` per side. A side given as `undefined` is
 * omitted, which leaves the venue's quotes on that side as they are; `[]` removes them all.
 */
export function doubleSidedQuote(
  instrument: string,
  bids: readonly QuoteLevel[] | undefined,
  asks: readonly QuoteLevel[] | undefined,
): DoubleSidedQuote {
  const q: DoubleSidedQuote = { i: checkInstrument(instrument, 'i') };
  if (bids !== undefined) q.b = wireLevels(bids, 'b');
  if (asks !== undefined) q.a = wireLevels(asks, 'a');
  return q;
}

/** Quote one side only; the other side is omitted (left untouched on the venue). */
export function oneSidedQuote(instrument: string, side: QuoteSideName, levels: readonly QuoteLevel[]): DoubleSidedQuote {
  if (side === 'bid') return doubleSidedQuote(instrument, levels, undefined);
  if (side === 'ask') return doubleSidedQuote(instrument, undefined, levels);
  throw new ProtocolError('PROTO_ERR_BAD_SHAPE', `side must be 'bid' or 'ask', got ${JSON.stringify(side)}`, 'side');
}

/** Bids only; asks untouched. */
export function bidOnlyQuote(instrument: string, levels: readonly QuoteLevel[]): DoubleSidedQuote {
  return doubleSidedQuote(instrument, levels, undefined);
}

/** Asks only; bids untouched. */
export function askOnlyQuote(instrument: string, levels: readonly QuoteLevel[]): DoubleSidedQuote {
  return doubleSidedQuote(instrument, undefined, levels);
}

export interface MassQuoteOptions {
  /** Applied to every quote side. */
  label?: string;
  /** Widen prices so they do not cross (spec `post_only`). */
  postOnly?: boolean;
  /** With `postOnly`: cancel instead of widening (book-or-cancel). Requires `postOnly: true`. */
  rejectPostOnly?: boolean;
  /** Self-trade-prevention overrides; need STP configured on the account. */
  stpLevel?: StpLevel;
  stpAction?: StpAction;
}

function checkFlag(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') throw new ProtocolError('PROTO_ERR_BAD_FLAG', `must be a boolean, got ${String(v)}`, path);
  return v;
}

/**
 * `private/mass_quote` params `{quotes, label?, post_only?, reject_post_only?, stp_level?,
 * stp_action?}`; options left undefined are not sent. Every quote is (re)checked, so hand-built
 * DoubleSidedQuote objects get the same guarantees as builder output.
 */
export function massQuoteParams(quotes: readonly DoubleSidedQuote[], options: MassQuoteOptions = {}): MassQuoteParams {
  if (!Array.isArray(quotes)) throw new ProtocolError('PROTO_ERR_BAD_SHAPE', 'quotes must be an array', 'quotes');
  if (quotes.length > MAX_QUOTES_PER_CALL) {
    throw new ProtocolError('PROTO_ERR_TOO_MANY_QUOTES', `${quotes.length} quotes, at most ${MAX_QUOTES_PER_CALL} per call`, 'quotes');
  }
  for (let k = 0; k < quotes.length; k++) assertDoubleSidedQuote(quotes[k]!, `quotes[${k}]`);
  const params: MassQuoteParams = { quotes: quotes.slice() };
  const { label, postOnly, rejectPostOnly, stpLevel, stpAction } = options;
  if (label !== undefined) {
    if (typeof label !== 'string') throw new ProtocolError('PROTO_ERR_BAD_LABEL', `must be a string, got ${String(label)}`, 'label');
    params.label = label;
  }
  if (postOnly !== undefined) params.post_only = checkFlag(postOnly, 'post_only');
  if (rejectPostOnly !== undefined) {
    // Spec: reject_post_only "is only effective in combination with post_only". Sending it alone
    // would silently do nothing, so a caller asking for book-or-cancel without post_only is a bug.
    if (checkFlag(rejectPostOnly, 'reject_post_only') && postOnly !== true) {
      throw new ProtocolError(
        'PROTO_ERR_REJECT_POST_ONLY_WITHOUT_POST_ONLY',
        'reject_post_only requires post_only: true',
        'reject_post_only',
      );
    }
    params.reject_post_only = rejectPostOnly;
  }
  if (stpLevel !== undefined) {
    if (!(STP_LEVELS as readonly unknown[]).includes(stpLevel)) {
      throw new ProtocolError('PROTO_ERR_BAD_STP_LEVEL', `must be one of ${STP_LEVELS.join(', ')}, got ${JSON.stringify(stpLevel)}`, 'stp_level');
    }
    params.stp_level = stpLevel;
  }
  if (stpAction !== undefined) {
    if (!(STP_ACTIONS as readonly unknown[]).includes(stpAction)) {
      throw new ProtocolError('PROTO_ERR_BAD_STP_ACTION', `must be one of ${STP_ACTIONS.join(', ')}, got ${JSON.stringify(stpAction)}`, 'stp_action');
    }
    params.stp_action = stpAction;
  }
  return params;
}

function checkProduct(p: unknown, path: string): string {
  if (typeof p !== 'string' || p.length === 0) {
    throw new ProtocolError('PROTO_ERR_BAD_PRODUCT', `product must be a non-empty string, got ${JSON.stringify(p)}`, path);
  }
  return p;
}

/** `private/cancel_mass_quote` params: `{}` (all products) or `{product}`. */
export function cancelMassQuoteParams(product?: string): CancelMassQuoteParams {
  return product === undefined ? {} : { product: checkProduct(product, 'product') };
}

/**
 * `private/set_mm_protection` params `{product, trade_amount, quote_amount}` (the deprecated
 * `amount` is never sent). Spec: trade_amount "must be lower or equal to the quote_amount".
 */
export function setMmProtectionParams(product: string, tradeAmount: number, quoteAmount: number): SetMmProtectionParams {
  checkProduct(product, 'product');
  for (const [v, path] of [
    [tradeAmount, 'trade_amount'],
    [quoteAmount, 'quote_amount'],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new ProtocolError('PROTO_ERR_BAD_PROTECTION_AMOUNT', `must be a finite number ≥ 0, got ${String(v)}`, path);
    }
  }
  if (tradeAmount > quoteAmount) {
    throw new ProtocolError(
      'PROTO_ERR_BAD_PROTECTION_AMOUNT',
      `trade_amount ${tradeAmount} exceeds quote_amount ${quoteAmount}`,
      'trade_amount',
    );
  }
  return { product, trade_amount: tradeAmount, quote_amount: quoteAmount };
}

/** `private/set_cancel_on_disconnect` params; `timeout_secs` is an integer (spec). */
export function setCancelOnDisconnectParams(timeoutSecs: number): SetCancelOnDisconnectParams {
  if (!Number.isSafeInteger(timeoutSecs) || timeoutSecs < 1) {
    throw new ProtocolError('PROTO_ERR_BAD_TIMEOUT', `must be a positive integer, got ${String(timeoutSecs)}`, 'timeout_secs');
  }
  return { timeout_secs: timeoutSecs };
}

/** `private/cancel_session` params (spec `EmptyObject`). */
export function cancelSessionParams(): EmptyParams {
  return {};
}

/** `public/login` params. */
export function loginParams(token: string, account?: string): LoginParams {
  if (typeof token !== 'string' || token.length === 0) {
    throw new ProtocolError('PROTO_ERR_BAD_LOGIN', 'token must be a non-empty string', 'token');
  }
  if (account === undefined) return { token };
  if (typeof account !== 'string' || account.length === 0) {
    throw new ProtocolError('PROTO_ERR_BAD_LOGIN', 'account must be a non-empty string', 'account');
  }
  return { token, account };
}

/** `public/subscribe` / `private/subscribe` / `unsubscribe` params. */
export function channelsParams(channels: readonly string[]): ChannelsParams {
  if (!Array.isArray(channels) || channels.length === 0) {
    throw new ProtocolError('PROTO_ERR_BAD_CHANNEL', 'channels must be a non-empty array', 'channels');
  }
  for (let k = 0; k < channels.length; k++) {
    const c = channels[k];
    if (typeof c !== 'string' || c.length === 0) {
      throw new ProtocolError('PROTO_ERR_BAD_CHANNEL', `must be a non-empty string, got ${JSON.stringify(c)}`, `channels[${k}]`);
    }
  }
  return { channels: channels.slice() };
}
