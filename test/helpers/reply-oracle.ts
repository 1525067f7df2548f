import { isUtf8 } from 'node:buffer';
import { R_ERRORS, R_ID, R_N_FAIL, R_N_SUCCESS, REPLY_ERROR, REPLY_FIELDS, REPLY_MASS_QUOTE, REPLY_RESULT } from '../../src/codec/reply-decoder.js';

/** What a reply decoder must answer, per JSON.parse: kind and the REPLY_FIELDS slots, or null (malformed). */
export interface ReplyVerdict {
  kind: number;
  fields: number[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

/**
 * The oracle: JSON.parse of the bytes (which must be UTF-8: the addon refuses invalid UTF-8 where
 * JSON.parse would substitute U+FFFD). null: the decoders must return a negative code.
 */
export function replyOracle(bytes: Uint8Array): ReplyVerdict | null {
  if (!isUtf8(bytes)) return null;
  let m: unknown;
  try {
    m = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return null;
  }
  if (!isObject(m) || !('id' in m) || !finite(m['id'])) return null;
  const r = m['result'];
  if (isObject(r)) {
    for (const k of ['n_success', 'n_fail']) if (k in r && !finite(r[k])) return null;
    if ('errors' in r && !Array.isArray(r['errors'])) return null;
  }
  const fields = new Array<number>(REPLY_FIELDS).fill(Number.NaN);
  fields[R_ID] = m['id'] as number;
  fields[R_ERRORS] = -1;
  if ('error' in m && m['error'] !== null) return { kind: REPLY_ERROR, fields };
  if (!('result' in m)) return null;
  if (isObject(r) && ('n_success' in r || 'n_fail' in r)) {
    fields[R_N_SUCCESS] = (r['n_success'] as number | undefined) ?? Number.NaN;
    fields[R_N_FAIL] = (r['n_fail'] as number | undefined) ?? Number.NaN;
    fields[R_ERRORS] = Array.isArray(r['errors']) ? r['errors'].length : -1;
    return { kind: REPLY_MASS_QUOTE, fields };
  }
  return { kind: REPLY_RESULT, fields };
}
