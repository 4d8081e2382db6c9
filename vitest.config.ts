import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'scripts/*.test.ts'],
    // The consumer test (pack, npm install, build) runs on its own: pnpm test:consumer.
    exclude: ['**/node_modules/**', 'packages/consumer-test/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The machine has 2 cores and the network tests are CPU-bound, but with 2 workers about a fifth
    // of the CPU time went idle (browsers starting, Redis, child processes, waits): a third worker fills it.
    maxWorkers: 3,
  },
});
