import { createRequire } from 'node:module';
import * as L from '../rings/layout.js';

/** The ring fields the addon writes, as the JS side lays them out (checked against the addon's at load). */
const RING_LAYOUT: Record<string, number> = {
  F_BEST_BID_PRICE: L.F_BEST_BID_PRICE,
  F_BEST_BID_AMOUNT: L.F_BEST_BID_AMOUNT,
  F_BEST_ASK_PRICE: L.F_BEST_ASK_PRICE,
  F_BEST_ASK_AMOUNT: L.F_BEST_ASK_AMOUNT,
  F_MARK_PRICE: L.F_MARK_PRICE,
  F_INDEX: L.F_INDEX,
  F_MARK_TIMESTAMP: L.F_MARK_TIMESTAMP,
  F_COLLAR_LOW: L.F_COLLAR_LOW,
  F_COLLAR_HIGH: L.F_COLLAR_HIGH,
  F_IV: L.F_IV,
  F_DELTA: L.F_DELTA,
  F_FORWARD: L.F_FORWARD,
  TICK_FIELDS: L.TICK_FIELDS,
};
import { CodecError } from './errors.js';

/** Decodes the ticker in `bytes[start, end)` into the stage it was bound to; see `bindStage`. */
export type StageDecoder = (bytes: Uint8Array, start: number, end: number) => number;

/** Decodes the reply in `bytes[start, end)` into the output it was bound to; see `bindReply`. */
export type { ReplyDecoder } from './reply-decoder.js';
import type { ReplyDecoder } from './reply-decoder.js';

/** The native simdjson decoder (native/src/codec.cc). */
export interface NativeCodec {
  /** Fields written (≥ 0) into `out`, or a negative error code. Allocates no JS object. */
  decodeTicker(bytes: Uint8Array, start: number, end: number, out: Float64Array): number;
  /**
   * `decodeTicker` with `out` fixed once (a Float64Array of ≥ TICK_FIELDS that must stay attached):
   * the hot path, since the addon then reads one typed array per call instead of two.
   */
  bindStage(stage: Float64Array): StageDecoder;
  /**
   * The reply decoder bound to `out` (a Float64Array of ≥ REPLY_FIELDS that must stay attached):
   * the kind of the reply (REPLY_MASS_QUOTE, REPLY_RESULT, REPLY_ERROR) or a negative error code,
   * with the id, n_success, n_fail and errors length in `out` (src/codec/reply-decoder.ts has the
   * JavaScript decoder with the same interface). Allocates no JS object.
   */
  bindReply(out: Float64Array): ReplyDecoder;
  /** Whether `bytes[start, end)` is well-formed UTF-8 (simdjson's validator); false on bad arguments. */
  isUtf8Range(bytes: Uint8Array, start: number, end: number): boolean;
  layout(): Record<string, number>;
  /** The reply slots and kinds, as in src/codec/reply-decoder.ts. */
  replyLayout(): Record<string, number>;
  simdjsonVersion: string;
}

let loaded: NativeCodec | null | undefined;

/**
 * The addon built by `npm install` (scripts/build-native.mjs), or null when it is missing, fails to
 * load, or `THALEX_QUOTER_NO_NATIVE=1`. A missing or broken addon costs one warning, once: the
 * JavaScript decoder does the same job, slower.
 */
export function loadNativeCodec(): NativeCodec | null {
  if (loaded !== undefined) return loaded;
  if (process.env['THALEX_QUOTER_NO_NATIVE'] === '1') {
    loaded = null;
    return loaded;
  }
  // src/codec (tests) and dist/codec (runtime) sit two levels below the package root,
  // dist-bench/src/codec (benchmarks) three.
  const require = createRequire(import.meta.url);
  let error: unknown;
  for (const rel of ['../../native/build/Release/thalex_codec.node', '../../../native/build/Release/thalex_codec.node']) {
    try {
      const codec = require(rel) as NativeCodec;
      // A stale build from before bindStage, bindReply or isUtf8Range existed: as unusable as a missing one.
      if (typeof codec.bindStage !== 'function') throw new CodecError('CODEC_ERR_NATIVE_STALE', `${rel} has no bindStage (stale build: run npm install)`);
      if (typeof codec.bindReply !== 'function') throw new CodecError('CODEC_ERR_NATIVE_STALE', `${rel} has no bindReply (stale build: run npm install)`);
      if (typeof codec.isUtf8Range !== 'function') throw new CodecError('CODEC_ERR_NATIVE_STALE', `${rel} has no isUtf8Range (stale build: run npm install)`);
      // A build from before the ring layout last changed would write fields to the wrong slots.
      const native = codec.layout();
      for (const [name, at] of Object.entries(RING_LAYOUT)) {
        if (native[name] !== at) throw new CodecError('CODEC_ERR_NATIVE_STALE', `${rel} has ${name} = ${native[name]}, not ${at} (stale build: run npm install)`);
      }
      loaded = codec;
      return loaded;
    } catch (e) {
      error ??= e;
    }
  }
  loaded = null;
  process.emitWarning(`native simdjson decoder unavailable (${(error as Error).message.split('\n')[0]}); using the JavaScript decoder`, {
    code: 'THALEX_QUOTER_NO_NATIVE',
  });
  return loaded;
}
