// Test projects: `unit` is pure logic (fast, part of `npm run check`); `integration` starts the
// real server in-process or as a child process and talks to it with real y-websocket clients;
// `e2e` builds the app once and drives Debian's Chromium at a phone viewport (playwright-core).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Each file starts its own servers on random ports; two at a time fits 2 cores.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One Chromium at a time on 2 cores: timing-sensitive steps (offline, live inbox) stay honest.
          fileParallelism: false,
        },
      },
    ],
  },
});
