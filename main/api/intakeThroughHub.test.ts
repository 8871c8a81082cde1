import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../native/sqlite';
import type { LoginResponse } from '../../common/sync/hubApi';
import {
  hubApi,
  hubStore,
  startHubProcess,
  DEMO_PASSWORD,
  type HubProcess,
} from '../sync/testing/hubProcess';
import { intakeTasks, openTestDesk } from '../sync/testing/desks';

// intakeImport through the dispatch, routed by who is signed in: a lead's file goes to the hub's
// intake (a real hub, a child process on PGlite) and the hub's report comes back; a specialist's
// file is imported into the desk's own database as without a hub.
let hub: HubProcess;
let hubDir: string;
let api: ReturnType<typeof hubApi>;
let lead: LoginResponse;
let leadDesk: ReturnType<typeof openTestDesk>;
let specialistDesk: ReturnType<typeof openTestDesk>;

const base64 = (tasks: unknown[]) => Buffer.from(JSON.stringify({ tasks })).toString('base64');

function localTaskCount(desk: { dir: string }, sourceTaskIds: string[]): number {
  const db = new Database(join(desk.dir, 'desk.sqlite'), { readonly: true });
  try {
    const marks = sourceTaskIds.map(() => '?').join(',');
    return (
      db
        .prepare(`SELECT count(*) AS n FROM tasks WHERE source_task_id IN (${marks}) AND hub_id IS NULL`)
        .get(...sourceTaskIds) as { n: number }
    ).n;
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  hubDir = await hubStore(null);
  hub = await startHubProcess(hubDir);
  api = hubApi(hub.url);
  lead = await api.login('demo.lead');
  leadDesk = openTestDesk(hub.url);
  specialistDesk = openTestDesk(hub.url);
  await leadDesk.call('hubLogin', { username: 'demo.lead', password: DEMO_PASSWORD });
  await specialistDesk.call('hubLogin', { username: 'demo.zhang', password: DEMO_PASSWORD });
}, 120_000);

afterAll(async () => {
  leadDesk?.backend.close();
  specialistDesk?.backend.close();
  await hub?.stop();
  if (hubDir) rmSync(hubDir, { recursive: true, force: true });
});

describe('intakeImport through the hub', () => {
  it("a lead's file goes to the hub's intake; duplicates and rejected rows come back as the file's rows", async () => {
    const tasks: Record<string, unknown>[] = intakeTasks(3);
    const bad = { ...tasks[1]!, party: { ...(tasks[1]!.party as object), phones: ['12345'] } };
    const file = [tasks[0], bad, tasks[0], tasks[2]];
    const progress: string[] = [];
    const stop = leadDesk.backend.onEvent((event, payload) => {
      if (event === 'intakeProgress') progress.push((payload as { phase: string }).phase);
    });
    const report = await leadDesk.call('intakeImport', { fileName: 'lead.json', dataBase64: base64(file) });
    stop();
    expect(report).toMatchObject({
      accepted: 2,
      duplicates: [3],
      rejected: [{ row: 2, field: 'phones' }],
      cancelled: false,
      rowsProcessed: 4,
      totalRows: 4,
    });
    expect(progress.at(-1)).toBe('done');

    // The tasks are in the team's pool on the hub, not tasks of the lead's own desk.
    const pool = await api.queue(lead.token, 'filter=unassigned&limit=200');
    expect(pool.total).toBe(2);
    const ids = file.map((t) => (t as { sourceTaskId: string }).sourceTaskId);
    expect(localTaskCount(leadDesk, ids)).toBe(0);

    // The same file again: all of its tasks are on the hub already.
    const again = await leadDesk.call('intakeImport', { fileName: 'lead.json', dataBase64: base64(file) });
    expect(again).toMatchObject({ accepted: 0, duplicates: [1, 3, 4] });
    expect((await api.queue(lead.token, 'filter=unassigned&limit=200')).total).toBe(2);
  });

  it("a specialist's file is imported into the desk's own database, and the hub gets nothing", async () => {
    const tasks = intakeTasks(2);
    const before = (await api.queue(lead.token, 'filter=all&limit=200')).total;
    const report = await specialistDesk.call('intakeImport', {
      fileName: 'mine.json',
      dataBase64: base64(tasks),
    });
    expect(report).toMatchObject({ accepted: 2, duplicates: [], rejected: [], cancelled: false });
    expect(
      localTaskCount(
        specialistDesk,
        tasks.map((t) => t.sourceTaskId),
      ),
    ).toBe(2);
    expect((await api.queue(lead.token, 'filter=all&limit=200')).total).toBe(before);
  });

  it("a lead's unreadable file is refused as bad_file, as on the desk, and sends nothing", async () => {
    const answer = await leadDesk.backend.dispatch('intakeImport', {
      fileName: 'broken.json',
      dataBase64: Buffer.from('{"tasks": [').toString('base64'),
    });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'bad_file', details: { code: 'file_not_json' } },
    });
  });
});
