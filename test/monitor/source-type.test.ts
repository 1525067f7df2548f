import { describe, expectTypeOf, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import type { MonitorSource } from '../../src/monitor/source.js';

describe('MonitorSource', () => {
  it('is a structural subset of Engine (checked by tsc -p tsconfig.test.json)', () => {
    expectTypeOf<Engine>().toExtend<MonitorSource>();
    // The compile-time check that matters; the runtime body is empty by design.
    const accepts = (e: Engine): MonitorSource => e;
    void accepts;
  });
});
