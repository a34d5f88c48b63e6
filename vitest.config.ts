import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Timeouts catch a hung test, not a slow machine: the slowest tests (a browser session, a
    // conversation corpus, child processes) take 10-26 s on 2 busy cores.
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One test file per core, not vitest's cores - 1: most files wait on sockets, child processes
    // and Chromium much of the time, and on the 2-core CI machine the default ran one file at a
    // time (the PGlite run took 14 min with one worker, 9.6 min with two: docs/BENCHMARKS.md).
    maxWorkers: Math.max(2, availableParallelism()),
    reporters: ['default'],
  },
});
