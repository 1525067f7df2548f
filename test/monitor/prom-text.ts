/**
 * A strict parser for the Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/): written for the tests so that
 * a malformed line fails loudly instead of being skipped the way lenient scrapers do.
 */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromFamily {
  name: string;
  help: string | undefined;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  samples: PromSample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*';
const VALUE_RE = /^(?:[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|NaN|[+-]Inf)$/;
const HELP_RE = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE_RE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const SAMPLE_RE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: (-?\\d+))?$`);
const LABEL_RE = new RegExp(`^(${LABEL})="((?:[^"\\\\\\n]|\\\\[\\\\"n])*)"(,|$)`);

export function parsePromText(text: string): Map<string, PromFamily> {
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const families = new Map<string, PromFamily>();
  const closed = new Set<string>();
  let current: PromFamily | undefined;
  const lines = text.split('\n');
  lines.pop();
  lines.forEach((line, i) => {
    const where = `line ${i + 1}: ${JSON.stringify(line)}`;
    if (line === '') return;
    const family = (name: string): PromFamily => {
      if (closed.has(name)) throw new Error(`${where}: family ${name} is not contiguous`);
      let f = families.get(name);
      if (f === undefined) {
        f = { name, help: undefined, type: 'untyped', samples: [] };
        families.set(name, f);
      }
      if (current !== undefined && current !== f) closed.add(current.name);
      current = f;
      return f;
    };
    if (line.startsWith('#')) {
      const h = HELP_RE.exec(line);
      const t = TYPE_RE.exec(line);
      if (h !== null) {
        const f = family(h[1]!);
        if (f.help !== undefined) throw new Error(`${where}: second HELP`);
        f.help = h[2]!;
      } else if (t !== null) {
        const f = family(t[1]!);
        if (f.samples.length > 0 || f.type !== 'untyped') throw new Error(`${where}: TYPE after samples or twice`);
        f.type = t[2] as PromFamily['type'];
      } else if (line.startsWith('# HELP') || line.startsWith('# TYPE')) {
        throw new Error(`${where}: malformed HELP/TYPE`);
      }
      return; // other comments are allowed
    }
    const m = SAMPLE_RE.exec(line);
    if (m === null) throw new Error(`${where}: not a sample`);
    const [, name, labelText, valueText] = m as unknown as [string, string, string | undefined, string];
    if (!VALUE_RE.test(valueText)) throw new Error(`${where}: bad value ${valueText}`);
    const labels: Record<string, string> = {};
    let rest = labelText ?? '';
    while (rest.length > 0) {
      const l = LABEL_RE.exec(rest);
      if (l === null) throw new Error(`${where}: bad labels at ${JSON.stringify(rest)}`);
      if (l[1]! in labels) throw new Error(`${where}: duplicate label ${l[1]}`);
      labels[l[1]!] = l[2]!.replace(/\\(["\\n])/g, (_s, c: string) => (c === 'n' ? '\n' : c));
      rest = rest.slice(l[0].length);
    }
    const f = family(familyOf(name, families));
    f.samples.push({ name, labels, value: Number(valueText.replace('Inf', 'Infinity')) });
  });
  return families;
}

/** Summary and histogram samples carry suffixes; everything else is named as its family. */
function familyOf(sample: string, families: Map<string, PromFamily>): string {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (sample.endsWith(suffix)) {
      const base = sample.slice(0, -suffix.length);
      const f = families.get(base);
      if (f !== undefined && (f.type === 'histogram' || f.type === 'summary')) return base;
    }
  }
  return sample;
}

/** The value of sample `name` (a family's name, or a summary's `_sum`/`_count`) with exactly `labels`. */
export function value(families: Map<string, PromFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const f = families.get(name) ?? [...families.values()].find((g) => g.samples.some((x) => x.name === name));
  const s = f?.samples.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v) && Object.keys(x.labels).length === Object.keys(labels).length);
  return s?.value;
}
