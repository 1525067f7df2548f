import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Worker, CLI and simulator-child tests run dist/: rebuild it first when src/ is newer.
    globalSetup: ['test/global-setup.ts'],
    // Forks, not threads: uWebSockets.js and our addon are native modules, and several
    // tests count GCs per process, which worker threads would share.
    pool: 'forks',
    // Two cores: at most two test files at once.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
});
