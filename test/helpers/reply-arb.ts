import fc from 'fast-check';

/** A JSON text built member by member, so that key order, whitespace and number spelling vary. */
type Json = { n: number; how: number } | { raw: string } | { obj: Array<[string, Json]> } | { arr: Json[] };

/** How a number is spelled: as JSON.stringify does, with an exponent, 17 digits, or a trailing `.0`/`e0`. */
function spell(v: number, how: number): string {
  const s = JSON.stringify(v);
  if (how === 1) return v.toExponential();
  if (how === 2) return Object.is(v, -0) ? '-0' : v.toPrecision(17);
  if (how === 3 && /^-?\d+$/.test(s)) return `${s}.0`;
  if (how === 4 && /^-?\d+$/.test(s)) return `${s}0e-1`;
  if (how === 5) return `${s}E+0`;
  return s;
}

export function render(j: Json, ws: string): string {
  if ('n' in j) return spell(j.n, j.how);
  if ('raw' in j) return j.raw;
  if ('arr' in j) return `[${ws}${j.arr.map((x) => render(x, ws)).join(`${ws},${ws}`)}${ws}]`;
  return `{${ws}${j.obj.map(([k, v]) => `${JSON.stringify(k)}${ws}:${ws}${render(v, ws)}`).join(`${ws},${ws}`)}${ws}}`;
}

const how = fc.nat(5);
const num = (a: fc.Arbitrary<number>) => fc.tuple(a, how).map(([n, h]): Json => ({ n, how: h }));
const raw = (a: fc.Arbitrary<unknown>) => a.map((v): Json => ({ raw: JSON.stringify(v) }));

/** Ids: small counters, up to 2^53 - 1, and the odd double. */
export const idArb = num(
  fc.oneof(
    { weight: 4, arbitrary: fc.nat(1_000_000) },
    { weight: 3, arbitrary: fc.maxSafeNat() },
    { weight: 1, arbitrary: fc.constantFrom(0, 2 ** 53 - 1, 2 ** 53 - 2, 1e15, 123456789012345) },
    { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  ),
);
const count = num(fc.oneof({ weight: 5, arbitrary: fc.nat(100) }, { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) }));
const junk = raw(fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant({ n_fail: 0, errors: [], s: 'a"}b]' }), fc.constant('\\"n_fail\\":0')));
const otherKey = (taken: string[]) => fc.string({ maxLength: 10 }).filter((k) => !taken.includes(k));

/** Put the members in an order chosen by `perm` (a list of sort keys). */
function permute<T>(items: T[], perm: number[]): T[] {
  return items.map((x, i) => [x, perm[i] ?? i] as const).sort((a, b) => a[1] - b[1]).map(([x]) => x);
}

const errorItem = fc
  .record({ code: fc.nat(100), message: fc.string({ maxLength: 20 }), side: fc.constantFrom('bid', 'ask') }, { requiredKeys: [] })
  .map((o): Json => ({ raw: JSON.stringify(o) }));

/** A mass_quote result: n_success / n_fail / errors (each possibly absent), extra members, any order. */
const massResult = fc
  .tuple(fc.option(count, { freq: 8 }), fc.option(count, { freq: 8 }), fc.option(fc.array(errorItem, { maxLength: 4 }), { freq: 6 }), fc.array(fc.tuple(otherKey(['n_success', 'n_fail', 'errors']), junk), { maxLength: 2 }), fc.array(fc.nat(), { minLength: 6, maxLength: 6 }))
  .map(([s, f, e, extra, perm]): Json => {
    const m: Array<[string, Json]> = [];
    if (s !== null) m.push(['n_success', s]);
    if (f !== null) m.push(['n_fail', f]);
    if (e !== null) m.push(['errors', { arr: e }]);
    const seen = new Set<string>();
    for (const [k, v] of extra) if (!seen.has(k)) (seen.add(k), m.push([k, v]));
    return { obj: permute(m, perm) };
  });

const otherResult: fc.Arbitrary<Json> = fc.oneof(
  raw(fc.constantFrom(null, true, 0, 'ok', [], [1, 2], {})),
  raw(fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => k !== 'n_success' && k !== 'n_fail' && k !== 'errors'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })),
);
const errorValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 5, arbitrary: raw(fc.record({ code: fc.nat(20_000), message: fc.string({ maxLength: 20 }) })) },
  { weight: 1, arbitrary: raw(fc.constantFrom(null, 'x', 1, [])) },
);

/** A reply as a venue (or a stranger one) could send it: id, result or error, extras, any order, any whitespace. */
export const replyArb = fc
  .tuple(
    fc.option(idArb, { freq: 20 }),
    fc.oneof({ weight: 6, arbitrary: massResult.map((r) => ['result', r] as const) }, { weight: 2, arbitrary: otherResult.map((r) => ['result', r] as const) }, { weight: 2, arbitrary: errorValue.map((e) => ['error', e] as const) }, { weight: 1, arbitrary: fc.constant(null) }),
    fc.array(fc.tuple(otherKey(['id', 'result', 'error']), junk), { maxLength: 2 }),
    fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
    fc.constantFrom('', '', '', ' ', '\n', ' \t\r\n'),
  )
  .map(([id, body, extra, perm, ws]) => {
    const m: Array<[string, Json]> = [];
    if (id !== null) m.push(['id', id]);
    if (body !== null) m.push([body[0], body[1]]);
    const seen = new Set<string>();
    for (const [k, v] of extra) if (!seen.has(k)) (seen.add(k), m.push([k, v]));
    return `${ws}${render({ obj: permute(m, perm) }, ws)}${ws}`;
  });

/** Damage: truncation, a flipped, inserted or deleted byte. */
export const damageArb = fc.array(
  fc.record({ at: fc.nat(), kind: fc.constantFrom('truncate', 'flip', 'insert', 'delete'), ch: fc.constantFrom('"', '\\', '{', '}', '[', ']', ',', ':', 'e', '-', '.', '0', '9', 'n', ' ', '\u0000', '\u001f', 'é') }),
  { minLength: 1, maxLength: 3 },
);

export { applyDamage } from './damage.js';
