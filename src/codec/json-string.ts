/**
 * JSON string literals written as UTF-8 bytes, escaped as JSON.stringify escapes them: `"`, `\`,
 * control characters (short forms where JSON has them, else \u00XX), lone surrogates as \uXXXX;
 * everything else, non-ASCII included, as UTF-8. No allocation. Used when registering
 * instruments and options and for the rare cancel-by-product, not per quote.
 */
const HEX = Buffer.from('0123456789abcdef', 'latin1');

/** Upper bound of the bytes `writeJsonString` writes for `s` (quotes included). */
export function jsonStringMaxBytes(s: string): number {
  return s.length * 6 + 2;
}

function writeU(buf: Uint8Array, pos: number, c: number): number {
  buf[pos] = 0x5c; // \
  buf[pos + 1] = 0x75; // u
  buf[pos + 2] = HEX[(c >> 12) & 15]!;
  buf[pos + 3] = HEX[(c >> 8) & 15]!;
  buf[pos + 4] = HEX[(c >> 4) & 15]!;
  buf[pos + 5] = HEX[c & 15]!;
  return pos + 6;
}

/** Writes `"…"` for `s` at `pos`; returns the new position. */
export function writeJsonString(buf: Uint8Array, pos: number, s: string): number {
  buf[pos++] = 0x22;
  const n = s.length;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c) {
        buf[pos++] = c;
        continue;
      }
      buf[pos++] = 0x5c;
      switch (c) {
        case 0x22: buf[pos++] = 0x22; break;
        case 0x5c: buf[pos++] = 0x5c; break;
        case 0x08: buf[pos++] = 0x62; break; // b
        case 0x0c: buf[pos++] = 0x66; break; // f
        case 0x0a: buf[pos++] = 0x6e; break; // n
        case 0x0d: buf[pos++] = 0x72; break; // r
        case 0x09: buf[pos++] = 0x74; break; // t
        default: pos = writeU(buf, pos - 1, c);
      }
    } else if (c < 0x800) {
      buf[pos++] = 0xc0 | (c >> 6);
      buf[pos++] = 0x80 | (c & 63);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const lo = k + 1 < n ? s.charCodeAt(k + 1) : 0;
      if (c <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        buf[pos++] = 0xf0 | (cp >> 18);
        buf[pos++] = 0x80 | ((cp >> 12) & 63);
        buf[pos++] = 0x80 | ((cp >> 6) & 63);
        buf[pos++] = 0x80 | (cp & 63);
        k++;
      } else {
        pos = writeU(buf, pos, c); // lone surrogate: well-formed JSON.stringify escapes it
      }
    } else {
      buf[pos++] = 0xe0 | (c >> 12);
      buf[pos++] = 0x80 | ((c >> 6) & 63);
      buf[pos++] = 0x80 | (c & 63);
    }
  }
  buf[pos++] = 0x22;
  return pos;
}

/** `prefix` + JSON string of `s` + `suffix` as an exact-size Buffer (cold: registration time). */
export function encodeWithString(prefix: string, s: string, suffix = ''): Buffer {
  const tmp = Buffer.allocUnsafe(prefix.length + jsonStringMaxBytes(s) + suffix.length);
  let p = tmp.write(prefix, 0, 'latin1');
  p = writeJsonString(tmp, p, s);
  p += tmp.write(suffix, p, 'latin1');
  return Buffer.from(tmp.subarray(0, p));
}
