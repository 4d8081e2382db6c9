import { defineConfig } from 'vitest/config';

// `pnpm test:consumer`: minutes of npm installs and builds, so not part of the unit run.
export default defineConfig({
  test: {
    include: ['packages/consumer-test/test/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 900_000,
    // One app at a time: the installs and the builds each use the machine's 2 cores.
    fileParallelism: false,
  },
});
