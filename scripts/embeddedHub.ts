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
import { createTeam, createUser, issueApiKey } from '../server/store/accounts';

// The hub `npm start` runs when no hub is configured: PGlite in the data directory, on 127.0.0.1,
// with demo users (a lead and two specialists of one team) and the demo tasks sent through the
// hub's own intake on first start. Prints `HUB_URL <url>` and `HUB_DEMO <json>` (the accounts,
// the case system's API key on the first start, the demo seal's root certificate file) on stdout.
// Also the test peer of the desk–hub integration tests (`--pglite DIR --demo-tasks 0`, or `--db postgres://…` on PostgreSQL).

export const DEMO_PASSWORD = 'demo-desk-2026';
export const DEMO_ACCOUNTS = [
  { username: 'demo.lead', displayName: '王组长', role: 'lead' },
  { username: 'demo.zhang', displayName: '张敏', role: 'specialist' },
  { username: 'demo.li', displayName: '李静', role: 'specialist' },
] as const;

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
  const team = await createTeam(app.db, '送达一组');
  for (const account of DEMO_ACCOUNTS) {
    await createUser(app.db, { ...account, teamId: team.id, password: DEMO_PASSWORD });
  }
  apiKey = (await issueApiKey(app.db, 'demo-case-system', team.id)).key;
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
      payload: { username: 'demo.lead', password: DEMO_PASSWORD },
    });
    const { token } = login.json<LoginResponse>();
    const users = await app.db.query<{ id: string; username: string }>('SELECT id, username FROM users');
    const idOf = (username: string) => users.find((u) => u.username === username)!.id;
    // Half to each specialist's queue would leave the lead nothing to hand out: a third each,
    // the rest in the team pool.
    const third = Math.floor(taskIds.length / 3);
    for (const [username, ids] of [
      ['demo.zhang', taskIds.slice(0, third)],
      ['demo.li', taskIds.slice(third, 2 * third)],
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
    accounts: DEMO_ACCOUNTS.map((a) => ({ username: a.username, password: DEMO_PASSWORD, role: a.role })),
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
