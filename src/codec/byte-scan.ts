/** Byte-pattern scans over a borrowed view, for the hot path: no decoding, no allocation. */

/** `pat` at `data[p]`, entirely before `end`. */
export function startsWith(data: Uint8Array, pat: Uint8Array, p: number, end: number): boolean {
  if (end - p < pat.length) return false;
  for (let k = 0; k < pat.length; k++) if (data[p + k] !== pat[k]) return false;
  return true;
}

/** `data[s, e)` is exactly `v`. */
export function bytesEqual(data: Uint8Array, s: number, e: number, v: Uint8Array): boolean {
  if (e - s !== v.length) return false;
  for (let k = 0; k < v.length; k++) if (data[s + k] !== v[k]) return false;
  return true;
}

/** First index of `pat` in `data[from, end)`, or -1. */
export function indexOf(data: Uint8Array, pat: Uint8Array, from: number, end: number): number {
  const first = pat[0]!;
  for (let p = from; p <= end - pat.length; p++) {
    if (data[p] === first && startsWith(data, pat, p, end)) return p;
  }
  return -1;
}

/** First index at or after `p` that is not JSON whitespace (RFC 8259 §2: space, tab, LF, CR), or `end`. */
export function skipWs(data: Uint8Array, p: number, end: number): number {
  while (p < end) {
    const c = data[p]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    p++;
  }
  return p;
}
