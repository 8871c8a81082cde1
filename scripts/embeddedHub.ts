import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { COURT_TIME_ZONE } from '../common/domain/time';
import type { IntakeResponse, LoginResponse } from '../common/sync/hubApi';
import { generateDemoTasks } from '../main/demo/demoTasks';
import { buildHub } from '../server/app';
import { createDemoSeal, DEMO_SEAL_FILES } from '../server/seal/demoSeal';
import { issueApiKey } from '../server/store/accounts';
import { DEMO_PASSWORD, DEMO_USERS, demoSignIns, ensureDemoAccounts } from '../server/store/demoAccounts';

// The hub `npm start` runs when no hub is configured: PGlite in the data directory, on 127.0.0.1,
// with the demo users (server/store/demoAccounts.ts: a lead and two specialists of one team) and
// the demo tasks sent through the hub's own intake on first start. Prints `HUB_URL <url>` and
// `HUB_DEMO <json>` (the accounts, the case system's API key on the first start, the demo seal's
// root certificate file) on stdout. Also the test peer of the desk–hub integration tests
// (`--pglite DIR --demo-tasks 0`, or `--db postgres://…` on PostgreSQL).

const { values } = parseArgs({
  options: {
    pglite: { type: 'string' },
    db: { type: 'string' },
    port: { type: 'string', default: '0' },
    'demo-tasks': { type: 'string', default: '40' },
    'seal-dir': { type: 'string' },
  },
});
if (!values.pglite === !values.db) throw new Error('give --pglite DIR or --db postgres://…');

// The demo seal, made once beside the database (`<pglite dir>-seal`) and kept: proofs sealed on
// an earlier start still verify against the same root.
const sealDir = resolve(
  values['seal-dir'] ??
    (values.pglite ? `${resolve(values.pglite)}-seal` : mkdtempSync(join(tmpdir(), 'hub-seal-'))),
);
if (!existsSync(join(sealDir, DEMO_SEAL_FILES.key))) await createDemoSeal(sealDir);

const app = await buildHub({
  db: values.db ? { kind: 'postgres', url: values.db } : { kind: 'pglite', dataDir: resolve(values.pglite!) },
  seal: { kind: 'demo', dir: sealDir },
});
await app.ready();

let apiKey: string | null = null;
const [{ n }] = (await app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users')) as [
  { n: number },
];
if (n === 0) {
  const { teamId } = await ensureDemoAccounts(app.db);
  apiKey = (await issueApiKey(app.db, 'demo-case-system', teamId)).key;
  const count = Number(values['demo-tasks']);
  if (count > 0) {
    const today = DateTime.now().setZone(COURT_TIME_ZONE).toISODate()!;
    const tasks = generateDemoTasks({ count, today, idPrefix: `HUB-${today}-` });
    const intake = await app.inject({
      method: 'POST',
      url: '/intake/tasks',
      headers: { 'x-api-key': apiKey },
      payload: { tasks },
    });
    const { taskIds } = intake.json<IntakeResponse>();
    const login = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { username: DEMO_USERS.find((u) => u.role === 'lead')!.username, password: DEMO_PASSWORD },
    });
    const { token } = login.json<LoginResponse>();
    const users = await app.db.query<{ id: string; username: string }>('SELECT id, username FROM users');
    const idOf = (username: string) => users.find((u) => u.username === username)!.id;
    // Half to each specialist's queue would leave the lead nothing to hand out: a third each,
    // the rest in the team pool.
    const third = Math.floor(taskIds.length / 3);
    const [first, second] = DEMO_USERS.filter((u) => u.role === 'specialist').map((u) => u.username);
    for (const [username, ids] of [
      [first!, taskIds.slice(0, third)],
      [second!, taskIds.slice(third, 2 * third)],
    ] as const) {
      if (ids.length === 0) continue;
      await app.inject({
        method: 'POST',
        url: '/lead/reassign',
        headers: { authorization: `Bearer ${token}` },
        payload: { taskIds: ids, assigneeId: idOf(username), reason: '示范数据 / demo set-up' },
      });
    }
  }
}

const url = await app.listen({ host: '127.0.0.1', port: Number(values.port) });
process.stdout.write(`HUB_URL ${url}\n`);
process.stdout.write(
  `HUB_DEMO ${JSON.stringify({
    accounts: demoSignIns(),
    apiKey,
    sealRoot: join(sealDir, DEMO_SEAL_FILES.root),
  })}\n`,
);

const shutdown = async () => {
  await app.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
