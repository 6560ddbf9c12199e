import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real servers (redis-server, dovecot, chromium): keep the 2 cores for them.
    maxWorkers: 2,
    pool: 'forks',
  },
});
