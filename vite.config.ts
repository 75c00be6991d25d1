import { defineConfig } from 'vitest/config';

// One config for the test runner now and the playground later (playground/ issue).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    pool: 'forks',
  },
});
