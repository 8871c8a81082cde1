import { defineConfig } from 'vitest/config';

// End-to-end specs: the built renderer in Debian's Chromium (playwright-core) against the browser host.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
