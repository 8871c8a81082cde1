import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { homedir } from 'node:os';
import { DB_FILE_NAME, openDesk } from '../app/openDesk';
import { clockStartingAt, systemClock } from '../app/clock';
import { CallingHoursSchema } from '../../common/domain/callingHours';
import { createStartupTimings, reportFirstCalls } from '../app/startupTimings';
import { startBrowserHost } from './browserHost';
import { readSipAccountFile } from '../phone/sipAccountFile';
import { sipAccountSavedIn } from '../phone/phoneSettings';
import { startDemoLine } from './demoLine';
import { hubOptionsFromEnv } from '../app/hubOptions';

// Everything above is loaded once this line runs: the first start-up phase ends here.
const timings = createStartupTimings();
timings.mark('modulesLoaded');

// `npm run host -- [--db PATH] [--port N]`: the desk in a browser. Prints `DESK_URL <url>` on stdout.
// --hub-url (or DESK_HUB_URL) names the hub; without one the desk works alone.
// --now and --calling-hours exist for tests and demos (a fixed start time, open calling hours).
// --settings FILE: the SIP account as JSON (SipSettings); its password from DESK_SIP_PASSWORD.
// --timings also prints `DESK_TIMINGS {json}` (the start-up phases) and `DESK_FIRST_CALL {json}`
// for the first call of each name, for bench/startBench.ts.
// --demo-line: without --settings and with no account saved in the settings view, start the local
// demo line (Kamailio and an answering party); `npm start` passes it.
const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    'data-dir': { type: 'string' },
    port: { type: 'string', default: '0' },
    // Two folders up from main/host/ (the source) and from dist/node/ (the bundle) is the project.
    renderer: { type: 'string', default: resolve(import.meta.dirname, '../../dist/renderer') },
    now: { type: 'string' },
    'calling-hours': { type: 'string' },
    specialist: { type: 'string' },
    settings: { type: 'string' },
    'hub-url': { type: 'string' },
    timings: { type: 'boolean', default: false },
    'demo-line': { type: 'boolean', default: false },
  },
});
const printLine = (line: string) => process.stdout.write(`${line}\n`);

const dataDir = values['data-dir'] ?? process.env.DESK_DATA_DIR ?? resolve(homedir(), '.delivery-desk');
const callingHours = values['calling-hours']
  ? CallingHoursSchema.parse({
      windows: [{ start: values['calling-hours'].split('-')[0], end: values['calling-hours'].split('-')[1] }],
      days: [1, 2, 3, 4, 5, 6, 7],
    })
  : undefined;
// No top-level await: the bundle is CommonJS, for V8's code cache (scripts/build-node.mjs).
async function serve() {
  const dbPath = values.db ?? resolve(dataDir, DB_FILE_NAME);
  const wantsDemoLine = values['demo-line'] && !values.settings && !sipAccountSavedIn(dbPath);
  const demoLine = wantsDemoLine ? await startDemoLine() : null;
  const opened = openDesk({
    dataDir,
    dbPath: values.db,
    clock: values.now ? clockStartingAt(values.now) : systemClock,
    specialistName: values.specialist,
    callingHours,
    sipAccount: values.settings
      ? readSipAccountFile(values.settings, process.env.DESK_SIP_PASSWORD)
      : undefined,
    demoLine: demoLine?.line,
    hub: hubOptionsFromEnv(process.env, values['hub-url']),
    onPhase: (phase) => timings.mark(phase),
  });
  const backend = values.timings
    ? reportFirstCalls(opened, (call) => printLine(`DESK_FIRST_CALL ${JSON.stringify(call)}`))
    : opened;
  try {
    const host = await startBrowserHost({
      backend,
      rendererDir: resolve(values.renderer),
      port: Number(values.port),
    });
    timings.mark('listening');
    printLine(`DESK_URL ${host.url}`);
    if (values.timings)
      printLine(`DESK_TIMINGS ${JSON.stringify({ origin: timings.origin, marks: timings.marks })}`);

    const shutdown = async () => {
      await host.close();
      backend.close();
      await demoLine?.stop();
      process.exit(0);
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  } catch (error) {
    backend.close();
    await demoLine?.stop();
    throw error;
  }
}

void serve();
