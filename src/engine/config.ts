import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { DELAYS } from '../protocol/channels.js';
import { STP_ACTIONS, STP_LEVELS } from '../protocol/enums.js';
import { ConfigError, type ConfigIssue } from './errors.js';
import { instrumentSelectorSchema } from './instrument-selector.js';

/** `pricing.mode: auto` picks inline up to this many CPUs, workers above. */
export const AUTO_INLINE_MAX_CPUS = 4;

/** What `pricing.mode: auto` resolves to on this machine. */
export function autoPricingMode(cpus: number = availableParallelism()): 'inline' | 'workers' {
  return cpus <= AUTO_INLINE_MAX_CPUS ? 'inline' : 'workers';
}

/** Default `pricing.spinPolls`: covers a worker's typical wake-up from Atomics.wait (tens of µs). */
export const DEFAULT_SPIN_POLLS = 20_000;
/**
 * Workers mode: event-loop turns (setImmediate) on which the quote loop polls a slot the spin
 * missed, before it falls back to a 1 ms timer (LATE_POLL_MS). Each turn costs an epoll_wait:
 * 2 000 turns took 41 ms of wall time and 54 ms of CPU here, so the turns are few.
 * Exported for the rings bench.
 */
export const WORKER_POLL_TURNS = 8;

/**
 * A quote held back (a worker not done after the turns above, the message budget, the minimum
 * requote interval) is retried on a timer of this period: it goes out within ~1 ms of becoming
 * sendable, never left to the next incoming message or the 20 ms housekeeping pass.
 */
export const LATE_POLL_MS = 1;

/**
 * Workers mode: an instrument whose newer tick is with its worker is not requoted from its older
 * candidate (after a fill, say) for up to this long; the fresh price is what should go out. Past
 * it (a slow or stuck worker) the older candidate is re-checked and sent after all.
 */
export const AWAIT_FRESH_MS = 5;

const wsUrl = z
  .string()
  .refine((s) => /^wss?:\/\/[^\s/]+/.test(s), { message: 'must be a ws:// or wss:// URL' });

const protectionLimits = z
  .strictObject({
    /** Executed mass-quote amount allowed before the venue pulls the product's quotes. */
    tradeAmount: z.number().positive(),
    /** Largest single quote; the venue rejects larger ones (code 44). */
    quoteAmount: z.number().positive(),
  })
  // Spec set_mm_protection: trade_amount "must be lower or equal to the quote_amount" (else code 22).
  .refine((l) => l.tradeAmount <= l.quoteAmount, {
    path: ['tradeAmount'],
    error: (issue) => `must be ≤ quoteAmount (${(issue.input as { quoteAmount: number }).quoteAmount}): the venue requires trade_amount ≤ quote_amount`,
  });

export const engineConfigSchema = z
  .strictObject({
    url: wsUrl,
    credentials: z
      .strictObject({
        keyId: z.string().min(1),
        /** PEM text of the RSA private key (PKCS#1 or PKCS#8). */
        privateKeyPem: z.string().min(1).optional(),
        /** Path of the PEM file; read at start. */
        privateKeyPath: z.string().min(1).optional(),
        /** Account number to select; default: the key's default account. */
        account: z.string().min(1).optional(),
      })
      .refine((c) => (c.privateKeyPem === undefined) !== (c.privateKeyPath === undefined), {
        message: 'give exactly one of privateKeyPem or privateKeyPath',
      }),
    tls: z
      .strictObject({
        /** Extra CA certificate (PEM text) to trust. */
        ca: z.string().min(1).optional(),
        /** Certificate verification. Stays on unless explicitly turned off. */
        rejectUnauthorized: z.boolean().default(true),
      })
      .prefault({}),
    /** Names, and selectors resolved against `public/instruments` at every bootstrap (instrument-selector.ts). */
    instruments: z
      .array(z.union([z.string().min(1), instrumentSelectorSchema]))
      .min(1)
      .refine((a) => {
        const names = a.filter((e) => typeof e === 'string');
        return new Set(names).size === names.length;
      }, { message: 'instrument names must be unique' }),
    /** Re-resolve instrument selectors this often; a new set is requoted after a planned reconnect. 0: only at reconnects. */
    instrumentRefreshMs: z.number().int().min(0).max(86_400_000).default(60_000),
    tickerDelay: z.enum(DELAYS).default('raw'),
    /** `private/set_cancel_on_disconnect` timeout: the venue pulls our quotes after this much silence. */
    cancelOnDisconnectSecs: z.number().int().min(1).max(300).default(6),
    protection: z
      .strictObject({
        default: protectionLimits.default({ tradeAmount: 1, quoteAmount: 1 }),
        /** Per product group (e.g. FBTCUSD, OBTCUSD). */
        products: z.record(z.string().min(1), protectionLimits).default({}),
        /** Wait after a trip before re-arming. */
        cooldownMs: z.number().int().min(0).max(3_600_000).default(5_000),
        /** More trips than this within `tripWindowMs` disarm the product until a human re-enables it. */
        maxTrips: z.number().int().min(0).max(1_000).default(3),
        tripWindowMs: z.number().int().min(1).max(86_400_000).default(60_000),
      })
      .prefault({}),
    quoting: z
      .strictObject({
        label: z.string().max(64).default('thalex-quoter'),
        postOnly: z.boolean().default(true),
        rejectPostOnly: z.boolean().default(false),
        /** Requests in flight at once on the hot path. */
        maxInFlight: z.number().int().min(1).max(64).default(4),
        /** Per instrument: no requote sooner than this after the last one. */
        minRequoteIntervalMs: z.number().min(0).max(60_000).default(0),
        /** Skip a requote whose every level moved less than this many ticks (0: any change). */
        requoteThresholdTicks: z.number().min(0).max(1_000).default(0),
        /** Fraction of the venue's message rate we allow ourselves. */
        budgetFraction: z.number().gt(0).max(1).default(0.9),
        /**
         * Keep the event loop spinning while quoting (never sleep in epoll), for dedicated cores
         * only: it takes a whole core and slows everything sharing it (see src/engine/busy-poll.ts).
         */
        busyPoll: z.boolean().default(false),
        /**
         * mass_quote self-trade prevention overrides (spec enums); unset: not sent, the venue's
         * defaults apply (`customer`, `cancel_aggressive_partial_fill`). The venue honours them only
         * where STP configuration is enabled for the account.
         */
        stpLevel: z.enum(STP_LEVELS).optional(),
        stpAction: z.enum(STP_ACTIONS).optional(),
      })
      .refine((q) => !q.rejectPostOnly || q.postOnly, { message: 'rejectPostOnly requires postOnly' })
      .prefault({}),
    risk: z
      .strictObject({
        /** |position| per instrument (contracts); at the limit only the reducing side is quoted. */
        maxPosition: z.number().positive().default(1),
        /** |Σ position| per product group (contracts). */
        maxProductPosition: z.number().positive().default(2),
        /** Largest single quote level; never above the protection quote_amount either. */
        maxQuoteAmount: z.number().positive().default(0.1),
        /** Fat-finger band: every price within mark (else index) × (1 ± priceBand). */
        priceBand: z.number().gt(0).max(1).default(0.05),
        /** …but never narrower than this many ticks either side (cheap options: a tick is a large fraction of the mark). */
        priceBandTicks: z.number().int().min(0).max(100_000).default(20),
        /**
         * |net delta| of the quoted instruments (Σ position × ticker delta, contracts of the
         * underlying), open quotes counted as filled: a side that would add to it is clipped to
         * the room left, dropped at the limit, so only reducing sides are quoted there. 0: none.
         */
        maxNetDelta: z.number().min(0).default(0),
        /** |net vega| (Σ position × Black-76 vega, USD per vol point), same rule. 0: no limit. */
        maxNetVega: z.number().min(0).default(0),
        /** No ticker for this long → that instrument's quotes are pulled. */
        staleMs: z.number().int().min(1).max(3_600_000).default(5_000),
        /** Σ of every quoted amount (all instruments, both sides), contracts; quotes are narrowed to fit. */
        maxOpenExposure: z.number().positive().default(10),
      })
      .prefault({}),
    pricing: z
      .strictObject({
        /**
         * `inline`: price on the main thread. `workers`: piscina workers over shared memory.
         * `auto` (default): inline where os.availableParallelism() ≤ AUTO_INLINE_MAX_CPUS, else
         * workers. On a small machine a worker competes with the socket's thread and the venue
         * for the same cores: measured here (2 vCPU), workers mode reacted slower at every
         * percentile and cost ~2× the CPU per quote for a pricer of a few µs (bench/RESULTS.md).
         */
        mode: z
          .enum(['auto', 'inline', 'workers'])
          .default('auto')
          .transform((m) => (m === 'auto' ? autoPricingMode() : m)),
        workers: z.number().int().min(1).max(16).default(1),
        /**
         * Workers mode: after publishing a tick, read the instrument's quote slot up to this many
         * times (~1 ns each) before leaving the rest to event-loop turns. 0: never spin.
         */
        spinPolls: z.number().int().min(0).max(10_000_000).default(DEFAULT_SPIN_POLLS),
        /** Module path of a custom pricer (default export). Default: the built-in pricer `pricer` names. */
        pricerModule: z.string().min(1).optional(),
        /**
         * Built-in pricer: `spread` (mid ± spread, pricing/default-pricer.ts), `options` (Black-76
         * off the ticker's forward and iv, pricing/options-pricer.ts; non-options in the set get the
         * spread pricer's rule), `auto` (default): `options` when any resolved instrument is one.
         */
        pricer: z.enum(['auto', 'spread', 'options']).default('auto'),
        /** Parameters handed to the pricer; names are the pricer's own. */
        params: z.record(z.string(), z.number().finite()).default({}),
      })
      .prefault({}),
    rpc: z
      .strictObject({
        timeoutMs: z.number().int().min(10).max(120_000).default(5_000),
        hotTimeoutMs: z.number().int().min(10).max(120_000).default(5_000),
      })
      .prefault({}),
    reconnect: z
      .strictObject({
        initialMs: z.number().int().min(1).default(100),
        maxMs: z.number().int().min(1).default(10_000),
      })
      .refine((r) => r.maxMs >= r.initialMs, { message: 'maxMs must be ≥ initialMs' })
      .prefault({}),
    keepalive: z
      .strictObject({
        pingIntervalMs: z.number().int().min(0).default(2_000),
        idleTimeoutMs: z.number().int().min(0).default(10_000),
      })
      .prefault({}),
    /** Bound on waiting for the cancel-all reply at shutdown. */
    shutdownTimeoutMs: z.number().int().min(10).max(60_000).default(3_000),
  });

export type EngineConfigInput = z.input<typeof engineConfigSchema>;
export type EngineConfig = z.output<typeof engineConfigSchema>;

/**
 * Validates and fills defaults. Throws ConfigError naming every bad field, unknown keys first:
 * a misspelt key is usually the cause of the other issues (`instrumnts` leaves `instruments`
 * missing), so it leads, with the nearest known key as a suggestion.
 */
export function parseEngineConfig(input: unknown): EngineConfig {
  const r = engineConfigSchema.safeParse(input);
  if (r.success) return r.data;
  const unknown: ConfigIssue[] = [];
  const other: ConfigIssue[] = [];
  for (const i of r.error.issues.flatMap((x) => unionBranch(x, []))) {
    const path = i.path.map(String).join('.');
    if (i.code === 'unrecognized_keys') {
      const known = knownKeys(i.path);
      for (const key of i.keys) {
        const near = nearest(key, known);
        unknown.push({ path, message: `unknown key ${key}${near !== undefined ? ` — did you mean ${near}?` : ''}` });
      }
    } else {
      other.push({ path, message: i.message });
    }
  }
  throw new ConfigError([...unknown, ...other]);
}

/**
 * An `instruments` entry is a name or a selector: for a union that failed, the issues of the
 * branch the input was meant for (the one that did not fail on the input's type), with their full
 * path, rather than zod's bare "Invalid input".
 */
function unionBranch(i: z.core.$ZodIssue, prefix: PropertyKey[]): z.core.$ZodIssue[] {
  const path = [...prefix, ...i.path];
  if (i.code === 'invalid_union' && i.errors.length > 0) {
    const branch = i.errors.find((b) => !b.some((e) => e.code === 'invalid_type' && e.path.length === 0)) ?? i.errors[0]!;
    return branch.flatMap((e) => unionBranch(e, path));
  }
  return [{ ...i, path }];
}

/** The keys an object of the schema takes at `path` (through defaults, records and refinements). */
function knownKeys(path: readonly PropertyKey[]): string[] {
  let node: unknown = engineConfigSchema;
  const inner = (n: unknown): unknown => {
    // zod 4 wrappers (default, prefault, optional) keep what they wrap in `_zod.def.innerType`.
    for (;;) {
      const def = (n as { _zod?: { def?: { innerType?: unknown } } })._zod?.def;
      if (def?.innerType === undefined) return n;
      n = def.innerType;
    }
  };
  for (const part of path) {
    node = inner(node);
    const shape = (node as { shape?: Record<string, unknown> }).shape;
    const valueType = (node as { _zod?: { def?: { valueType?: unknown } } })._zod?.def?.valueType;
    node = shape !== undefined ? shape[String(part)] : valueType;
    if (node === undefined) return [];
  }
  const shape = (inner(node) as { shape?: Record<string, unknown> }).shape;
  return shape === undefined ? [] : Object.keys(shape);
}

/** The known key closest to `key` by edit distance (case-insensitive), if close enough to be a typo. */
function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  // A third of the name (at least one edit): `instrumnts`, `maxPositon`, `stplevel` are typos;
  // `bogus` is not a misspelling of anything.
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

/** Levenshtein distance, transpositions counting as one edit (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}
