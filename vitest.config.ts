import { defineConfig } from 'vitest/config';

// Unit and integration tests in plain Node (e2e specs have their own config in e2e/).
// The hub's suite runs twice: on PGlite (embedded) and on a real PostgreSQL server that
// server/test/postgresGlobalSetup.ts starts once for the whole run. `*.pg.test.ts` files need
// several connections at once (concurrent transactions, two hub instances): real PostgreSQL only.
const HUB_TESTS = 'server/**/*.test.ts';
const POSTGRES_ONLY = 'server/**/*.pg.test.ts';

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['{common,main,preload,native,scripts,bench}/**/*.test.ts', 'renderer/src/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'hub-pglite',
          include: [HUB_TESTS],
          exclude: [POSTGRES_ONLY],
          env: { HUB_TEST_DB: 'pglite' },
          // Seeding (argon2 hashes, PGlite start) can pass 10 s on a loaded machine.
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // The desk–hub integration suite again, its hub on a real PostgreSQL server.
          name: 'desk-sync-postgres',
          include: ['main/sync/deskHubSync.test.ts'],
          env: { DESK_SYNC_HUB_DB: 'postgres' },
          globalSetup: ['server/test/postgresGlobalSetup.ts'],
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'hub-postgres',
          include: [HUB_TESTS],
          env: { HUB_TEST_DB: 'postgres' },
          globalSetup: ['server/test/postgresGlobalSetup.ts'],
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
