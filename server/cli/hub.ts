import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildHub } from '../app';
import { createLogger } from '../logger';
import { DEMO_PASSWORD, DEMO_USERS, ensureDemoAccounts } from '../store/demoAccounts';
import { dbTargetFrom } from './dbOption';

// `npm run hub -- [--db URL | --pglite DIR] [--port N] [--host H] [--tls-cert FILE --tls-key FILE]`
// starts a hub and prints `HUB_URL <url>` on stdout. Several instances may share one PostgreSQL.
// `--demo` also makes the demo team and users (see server/store/demoAccounts.ts) and prints
// `HUB_DEMO <json>` with their user names and password.
const log = createLogger('hub');

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    pglite: { type: 'string' },
    port: { type: 'string', default: '8780' },
    host: { type: 'string', default: '127.0.0.1' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'session-ttl-minutes': { type: 'string' },
    demo: { type: 'boolean', default: false },
  },
});

if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) {
  throw new Error('--tls-cert and --tls-key go together');
}
const https =
  values['tls-cert'] && values['tls-key']
    ? { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']) }
    : undefined;

const app = await buildHub(
  {
    db: dbTargetFrom(values),
    ...(values['session-ttl-minutes'] ? { sessionTtlMinutes: Number(values['session-ttl-minutes']) } : {}),
  },
  { https },
);
if (values.demo) {
  const { teamId } = await ensureDemoAccounts(app.db);
  const users = DEMO_USERS.map(({ username, role }) => ({ username, role }));
  process.stdout.write(`HUB_DEMO ${JSON.stringify({ teamId, users, password: DEMO_PASSWORD })}\n`);
}
const url = await app.listen({ host: values.host, port: Number(values.port) });
log.info({ url, db: app.db.kind }, 'hub listening');
process.stdout.write(`HUB_URL ${url}\n`);

const shutdown = async () => {
  await app.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
