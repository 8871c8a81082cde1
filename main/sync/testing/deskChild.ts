import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { Database } from '../../../native/sqlite';
import { caller, openTestDesk } from './desks';

// A desk in its own process, so a test can kill it mid-push (SIGKILL) and start it again.
//   --mode record: sign in, pull, record an attempt on each of --tasks (hub ids), print READY,
//                  then sync (the test kills it while the push is in flight);
//   --mode sync:   sync until nothing is pending; print `STATUS <json>`.
const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    'hub-url': { type: 'string' },
    mode: { type: 'string' },
    tasks: { type: 'string', default: '' },
  },
});
const desk = openTestDesk(values['hub-url']!, values.dir!);
const call = caller(desk.backend);

if (values.mode === 'record') {
  await call('hubLogin', { username: 'demo.zhang', password: 'demo-desk-2026' });
  await call('syncNow', {});
  const db = new Database(join(values.dir!, 'desk.sqlite'), { readonly: true });
  const localIds = values
    .tasks!.split(',')
    .map((hubId) => (db.prepare('SELECT id FROM tasks WHERE hub_id = ?').get(hubId) as { id: number }).id);
  db.close();
  for (const taskId of localIds)
    await call('callOutcome', { taskId, disposition: 'no_answer', notes: 'child' });
  process.stdout.write('READY\n');
  await call('syncNow', {});
  process.stdout.write('SYNCED\n');
} else {
  let status = await call('syncNow', {});
  for (let i = 0; i < 20 && status.pendingOperations > 0; i++) status = await call('syncNow', {});
  process.stdout.write(`STATUS ${JSON.stringify(status)}\n`);
}
desk.backend.close();
process.exit(0);
