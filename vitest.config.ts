import { defineConfig } from 'vitest/config';

// Three projects: fast unit tests in Node (in-memory browser, fake clock), the feed server's tests
// (real processes on localhost), and end-to-end tests that drive Debian's Chromium against
// dist/chrome with a fake internet (run after `npm run build`).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'server',
          include: ['server/test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Crash and SIGTERM tests start real server processes: one file at a time.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 90_000,
          // One browser at a time: two cores, every test owns the fake internet's modes, and both
          // Firefox files hold ports 443 and 80 (network.dns.forceResolve keeps the port).
          fileParallelism: false,
        },
      },
    ],
  },
});
