import { defineConfig } from 'vitest/config';

// Unit and integration tests in plain Node (e2e specs have their own config in e2e/).
export default defineConfig({
  test: {
    include: ['{common,main,preload,native,scripts,bench}/**/*.test.ts', 'renderer/src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
