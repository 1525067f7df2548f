import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The short soak of CI: `npm run soak -- --minutes 1` (built by `pretest`), one fault every two
 * seconds or so. Asserts the soak's own invariants from its JSON report; no timing is asserted.
 */
describe('soak (1 minute, random faults)', () => {
  it('keeps heap flat, answers or times out every request, leaves no quote and no handle behind', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'soak-')), 'soak.json');
    const script = new URL('../../dist-bench/bench/soak/main.js', import.meta.url).pathname;
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--expose-gc', script, '--minutes', '1', '--fault-every', '2', '--rate', '300', '--json', out], { timeout: 150_000 }, (err, stdout, stderr) =>
        resolve({ code: err === null ? 0 : ((err as { code?: number }).code ?? null), stdout, stderr }),
      );
    });
    const report = JSON.parse(readFileSync(out, 'utf8')) as {
      invariants: Record<string, boolean>;
      faults: Record<string, number>;
      reconnects: number;
      quotesSent: number;
      requests: { registered: number; inFlight: number };
    };
    expect(report.invariants, `${stdout}\n${stderr}`).toEqual(Object.fromEntries(Object.keys(report.invariants).map((k) => [k, true])));
    expect(code).toBe(0);
    // It really was a soak under faults.
    expect(Object.values(report.faults).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10);
    expect(report.reconnects).toBeGreaterThanOrEqual(3);
    expect(report.quotesSent).toBeGreaterThan(1_000);
    expect(report.requests.inFlight).toBe(0);
  }, 180_000);
});
