import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleSource } from './global-setup.js';

describe('dist/ that worker, CLI and simulator-child tests load', () => {
  it('is no older than src/ (test/global-setup.ts rebuilt it if it was)', () => {
    expect(staleSource(join(import.meta.dirname, '..', 'src'))).toBeUndefined();
  });
});
