import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { homedir } from 'node:os';
import { DB_FILE_NAME, openDesk } from '../app/openDesk';
import { clockStartingAt, systemClock } from '../app/clock';
import { CallingHoursSchema } from '../../common/domain/callingHours';
import { startBrowserHost } from './browserHost';
import { readSipAccountFile } from '../phone/sipAccountFile';
import { sipAccountSavedIn } from '../phone/phoneSettings';
import { startDemoLine } from './demoLine';

// `npm run host -- [--db PATH] [--port N]`: the desk in a browser. Prints `DESK_URL <url>` on stdout.
// --now and --calling-hours exist for tests and demos (a fixed start time, open calling hours).
// --settings FILE: the SIP account as JSON (SipSettings); its password from DESK_SIP_PASSWORD.
// --demo-line: without --settings and with no account saved in the settings view, start the local
// demo line (Kamailio and an answering party); `npm start` passes it.
const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    'data-dir': { type: 'string' },
    port: { type: 'string', default: '0' },
    renderer: { type: 'string', default: resolve(import.meta.dirname, '../../dist/renderer') },
    now: { type: 'string' },
    'calling-hours': { type: 'string' },
    specialist: { type: 'string' },
    settings: { type: 'string' },
    'demo-line': { type: 'boolean', default: false },
  },
});

const dataDir = values['data-dir'] ?? process.env.DESK_DATA_DIR ?? resolve(homedir(), '.delivery-desk');
const callingHours = values['calling-hours']
  ? CallingHoursSchema.parse({
      windows: [{ start: values['calling-hours'].split('-')[0], end: values['calling-hours'].split('-')[1] }],
      days: [1, 2, 3, 4, 5, 6, 7],
    })
  : undefined;
const dbPath = values.db ?? resolve(dataDir, DB_FILE_NAME);
const wantsDemoLine = values['demo-line'] && !values.settings && !sipAccountSavedIn(dbPath);
const demoLine = wantsDemoLine ? await startDemoLine() : null;
const backend = openDesk({
  dataDir,
  dbPath: values.db,
  clock: values.now ? clockStartingAt(values.now) : systemClock,
  specialistName: values.specialist,
  callingHours,
  sipAccount: values.settings
    ? readSipAccountFile(values.settings, process.env.DESK_SIP_PASSWORD)
    : undefined,
  demoLine: demoLine?.line,
});
const host = await startBrowserHost({ backend, rendererDir: values.renderer, port: Number(values.port) });
process.stdout.write(`DESK_URL ${host.url}\n`);

const shutdown = async () => {
  await host.close();
  backend.close();
  await demoLine?.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
