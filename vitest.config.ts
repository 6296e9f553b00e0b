import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Real HTTP servers, SQLite files and child processes: forks isolate them cleanly.
    pool: 'forks',
    // Two cores here: more workers only add contention to timing-sensitive stream tests.
    maxWorkers: 2,
  },
})
