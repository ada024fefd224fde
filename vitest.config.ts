import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Store and client suites share one PostgreSQL database and one Redis; files run in
    // parallel, so each suite namespaces its keys and tables.
    pool: 'forks',
  },
});
