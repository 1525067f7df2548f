/** Applies fuzz damage (truncate, flip, insert, delete at positions taken modulo the length) to a text. */
export function applyDamage(text: string, ds: Array<{ at: number; kind: string; ch: string }>): string {
  let t = text;
  for (const d of ds) {
    const at = d.at % (t.length + 1);
    if (d.kind === 'truncate') t = t.slice(0, at);
    else if (d.kind === 'flip') t = t.slice(0, at) + d.ch + t.slice(at + 1);
    else if (d.kind === 'insert') t = t.slice(0, at) + d.ch + t.slice(at);
    else t = t.slice(0, at) + t.slice(at + 1);
  }
  return t;
}
