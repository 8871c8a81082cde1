// A desk process for the log test: saves a SIP account with a password, uses it the ways the
// renderer does, and exits. Run with DESK_LOG_LEVEL=trace; the parent reads every log line.
import { createLogger } from '../../app/logger';
import { openDesk } from '../../app/openDesk';

const [dataDir, password] = process.argv.slice(2);
if (!dataDir || !password) throw new Error('usage: settingsChild.ts DATA_DIR PASSWORD');
const desk = openDesk({ dataDir });
const settings = { wsServer: 'wss://pbx.desk.test:8443', sipUri: 'sip:8001@pbx.desk.test' };
await desk.dispatch('phoneSettingsSave', { settings, password });
await desk.dispatch('phoneSetup', {});
await desk.dispatch('phoneCredentials', {});
// A save that breaks the schema is logged by nobody with its params, but try the logger itself too.
await desk.dispatch('phoneSettingsSave', { settings: { ...settings, wsServer: 'http://x' }, password });
createLogger('test').warn(
  { password, settings: { password }, params: { settings, password } },
  'redaction check',
);
desk.close();
