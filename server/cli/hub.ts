import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildHub } from '../app';
import { createLogger } from '../logger';
import { DEMO_PASSWORD, DEMO_USERS, ensureDemoAccounts } from '../store/demoAccounts';
import { dbTargetFrom } from './dbOption';

// `npm run hub -- [--db URL | --pglite DIR] [--port N] [--host H] [--tls-cert FILE --tls-key FILE]`
// starts a hub and prints `HUB_URL <url>` on stdout. Several instances may share one PostgreSQL.
// `--demo` also makes the demo team and users (server/store/demoAccounts.ts, the same as the
// embedded hub of `npm start`) and prints `HUB_DEMO <json>` with their user names and password.
// `--send FILE` sets up sending from a JSON file (server/config.ts's SendConfig). `--demo-send` instead
// sends to a local fake SMS carrier and SMTP server (the test peers in server/test/) and prints
// each message they receive as `HUB_DEMO_SMS <json>` / `HUB_DEMO_MAIL <json>`, links included.
// The seal: `--seal-demo DIR` (made by `hub:admin seal-demo`), or `--seal-p12 FILE --seal-root
// ROOT.pem` with the password in `--seal-password-file FILE` or the variable HUB_SEAL_PASSWORD
// (another with `--seal-password-env NAME`). Without one, proofs are filed unsealed.
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
    send: { type: 'string' },
    'demo-send': { type: 'boolean', default: false },
    'seal-demo': { type: 'string' },
    'seal-p12': { type: 'string' },
    'seal-password-file': { type: 'string' },
    'seal-password-env': { type: 'string' },
    'seal-root': { type: 'string' },
  },
});

/** The local carrier and mail server of `--demo-send`, and the send configuration that uses them. */
async function demoSend(publicUrl: string) {
  const { startFakeCarrier } = await import('../test/fakeCarrier');
  const { startSmtpSink } = await import('../test/smtpSink');
  const print = (tag: string, value: unknown) => process.stdout.write(`${tag} ${JSON.stringify(value)}\n`);
  const carrier = await startFakeCarrier((sms) => print('HUB_DEMO_SMS', { to: sms.phone, text: sms.text }));
  const smtp = await startSmtpSink((mail) =>
    print('HUB_DEMO_MAIL', { to: mail.to, subject: mail.subject, text: mail.text }),
  );
  return {
    carrier,
    smtp,
    config: {
      publicUrl,
      email: { host: smtp.host, port: smtp.port, requireTls: false, from: 'songda@court.example' },
      sms: {
        apiUrl: carrier.url,
        accessKey: carrier.accessKey,
        signName: '演示法院',
        senderNumber: '106900012368',
        reportToken: carrier.reportToken,
      },
    },
  };
}

if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) {
  throw new Error('--tls-cert and --tls-key go together');
}
const https =
  values['tls-cert'] && values['tls-key']
    ? { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']) }
    : undefined;

/** `--seal-demo DIR`, or `--seal-p12 FILE --seal-root FILE` with the password from a file or a variable. */
function sealFrom() {
  if (values['seal-demo'] && values['seal-p12'])
    throw new Error('--seal-demo and --seal-p12 exclude each other');
  if (values['seal-demo']) return { kind: 'demo', dir: values['seal-demo'] };
  if (!values['seal-p12']) return null;
  return {
    kind: 'pkcs12',
    file: values['seal-p12'],
    rootFile: values['seal-root'],
    ...(values['seal-password-file'] ? { passwordFile: values['seal-password-file'] } : {}),
    passwordEnv:
      values['seal-password-env'] ?? (values['seal-password-file'] ? undefined : 'HUB_SEAL_PASSWORD'),
  };
}
const seal = sealFrom();

const publicUrl = `${https ? 'https' : 'http'}://${values.host}:${values.port}`;
const demoPeers = values['demo-send'] ? await demoSend(publicUrl) : null;
const send = values.send
  ? (JSON.parse(readFileSync(values.send, 'utf8')) as unknown)
  : (demoPeers?.config ?? null);
const app = await buildHub(
  {
    db: dbTargetFrom(values),
    ...(values['session-ttl-minutes'] ? { sessionTtlMinutes: Number(values['session-ttl-minutes']) } : {}),
    ...(send ? { send } : {}),
    ...(seal ? { seal } : {}),
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
demoPeers?.carrier.reportTo(`${url}/send/reports/sms`);

const shutdown = async () => {
  await app.close();
  await demoPeers?.carrier.close();
  await demoPeers?.smtp.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
