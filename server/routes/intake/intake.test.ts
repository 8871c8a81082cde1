import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IntakeResponse } from '../../../common/sync/hubApi';
import type { HubApp } from '../../app';
import { revokeApiKey, issueApiKey } from '../../store/accounts';
import { backend, bearer, intakeTask, useSeededHub } from '../../test/hubFixture';

const post = (app: HubApp, headers: Record<string, string>, payload: unknown) =>
  app.inject({ method: 'POST', url: '/intake/tasks', headers, payload: payload as object });

describe(`hub: intake API (${backend})`, () => {
  const hub = useSeededHub();

  it("creates tasks in the key's team, answering the desk's import report", async () => {
    const tasks = [intakeTask(), intakeTask({ party: { name: '' } }), intakeTask()];
    const response = await post(hub.app, { 'x-api-key': hub.world.keyA }, { tasks });
    expect(response.statusCode).toBe(200);
    const report = IntakeResponse.parse(response.json());
    // The rows' part of the desk's file import report (common/contract IntakeReport), plus task ids.
    expect(IntakeResponse.safeParse(report).success).toBe(true);
    expect(report.accepted).toBe(2);
    expect(report.duplicates).toEqual([]);
    expect(report.rejected.map((r) => [r.row, r.field, r.code])).toEqual(
      expect.arrayContaining([[2, 'partyName', 'required']]),
    );
    const rows = await hub.app.db.query<{ team_id: string; source_system: string; status: string }>(
      'SELECT team_id, source_system, status FROM tasks WHERE id = ANY($1::uuid[])',
      [report.taskIds],
    );
    expect(rows).toHaveLength(2);
    for (const row of rows)
      expect(row).toEqual({ team_id: hub.world.teamA, source_system: 'case-system-a', status: 'new' });
  });

  it('is idempotent on (sourceSystem, sourceTaskId): a resent order is reported as duplicates', async () => {
    const tasks = [intakeTask(), intakeTask()];
    const first = IntakeResponse.parse(
      (await post(hub.app, { 'x-api-key': hub.world.keyA }, { tasks })).json(),
    );
    const again = IntakeResponse.parse(
      (await post(hub.app, { 'x-api-key': hub.world.keyA }, { tasks: [...tasks, intakeTask()] })).json(),
    );
    expect(first.accepted).toBe(2);
    expect(again).toMatchObject({ accepted: 1, duplicates: [1, 2] });
    const count = await hub.app.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM tasks WHERE source_task_id = ANY($1)',
      [tasks.map((t) => t.sourceTaskId)],
    );
    expect(count[0]!.n).toBe(2);
    // The same task twice in one request: the second row is the duplicate.
    const twice = intakeTask();
    const within = IntakeResponse.parse(
      (await post(hub.app, { 'x-api-key': hub.world.keyA }, { tasks: [twice, twice] })).json(),
    );
    expect(within).toMatchObject({ accepted: 1, duplicates: [2] });
    // Another case system may use the same task ids: its own source system keeps them apart.
    const other = IntakeResponse.parse(
      (await post(hub.app, { 'x-api-key': hub.world.keyB }, { tasks })).json(),
    );
    expect(other.accepted).toBe(2);
  });

  it('stores document files under their SHA-256 and checks a declared hash', async () => {
    const bytes = Buffer.from('%PDF-1.7 起诉状副本');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const task = intakeTask({
      documents: [
        { title: '起诉状副本', kind: 'complaint', sha256, contentBase64: bytes.toString('base64') },
      ],
    });
    const report = IntakeResponse.parse(
      (await post(hub.app, { 'x-api-key': hub.world.keyA }, { tasks: [task] })).json(),
    );
    expect(report.accepted).toBe(1);
    const [blob] = await hub.app.db.query<{ size: number }>('SELECT size FROM blobs WHERE sha256 = $1', [
      sha256,
    ]);
    expect(blob!.size).toBe(bytes.byteLength);
    const [stored] = await hub.app.db.query<{ intake: { documents: { sha256: string }[] } }>(
      'SELECT intake FROM tasks WHERE id = $1',
      [report.taskIds[0]],
    );
    expect(stored!.intake.documents[0]!.sha256).toBe(sha256);
  });

  it('refuses the whole request when a file does not match its sha256, writing nothing', async () => {
    const good = intakeTask();
    const bad = intakeTask({
      documents: [
        { title: '判决书', sha256: 'a'.repeat(64), contentBase64: Buffer.from('x').toString('base64') },
      ],
    });
    const response = await post(hub.app, { 'x-api-key': hub.world.keyA }, { tasks: [good, bad] });
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toMatchObject({ code: 'hash_mismatch', details: { row: 2, document: 1 } });
    const rows = await hub.app.db.query('SELECT 1 FROM tasks WHERE source_task_id = $1', [good.sourceTaskId]);
    expect(rows).toHaveLength(0);
  });

  it('lets a lead send a file import to their own team, and no specialist', async () => {
    const lead = await post(hub.app, bearer(hub.world.leadB), { tasks: [intakeTask()] });
    expect(lead.statusCode).toBe(200);
    const [row] = await hub.app.db.query<{ team_id: string; source_system: string }>(
      'SELECT team_id, source_system FROM tasks WHERE id = $1',
      [lead.json().taskIds[0]],
    );
    expect(row).toEqual({ team_id: hub.world.teamB, source_system: 'case-system' });
    const otherTeam = await post(hub.app, bearer(hub.world.leadB), {
      tasks: [intakeTask()],
      teamId: hub.world.teamA,
    });
    expect(otherTeam.statusCode).toBe(403);
    const specialist = await post(hub.app, bearer(hub.world.specA1), { tasks: [intakeTask()] });
    expect(specialist.statusCode).toBe(403);
    const admin = await post(hub.app, bearer(hub.world.admin), {
      tasks: [intakeTask()],
      teamId: hub.world.teamA,
    });
    expect(admin.statusCode).toBe(200);
  });

  it('refuses unknown and revoked keys, and a request without credentials', async () => {
    expect((await post(hub.app, { 'x-api-key': 'dk_nope' }, { tasks: [intakeTask()] })).statusCode).toBe(401);
    expect((await post(hub.app, {}, { tasks: [intakeTask()] })).statusCode).toBe(401);
    const { keyId, key } = await issueApiKey(hub.app.db, 'short-lived', hub.world.teamA);
    expect((await post(hub.app, { 'x-api-key': key }, { tasks: [intakeTask()] })).statusCode).toBe(200);
    await revokeApiKey(hub.app.db, keyId);
    const revoked = await post(hub.app, { 'x-api-key': key }, { tasks: [intakeTask()] });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error.code).toBe('unauthorized');
    const [stored] = await hub.app.db.query<{ key_sha256: string }>(
      'SELECT key_sha256 FROM api_keys WHERE id = $1',
      [keyId],
    );
    expect(stored!.key_sha256).not.toContain(key);
  });

  it("reports in the file's row numbers when the desk sends them", async () => {
    const tasks = [intakeTask(), intakeTask({ court: undefined, case: { number: 'bad' } })];
    const report = IntakeResponse.parse(
      (await post(hub.app, bearer(hub.world.leadA), { tasks, rows: [3, 7] })).json(),
    );
    expect(report.accepted).toBe(1);
    expect(new Set(report.rejected.map((r) => r.row))).toEqual(new Set([7]));
    const again = IntakeResponse.parse(
      (await post(hub.app, bearer(hub.world.leadA), { tasks, rows: [3, 7] })).json(),
    );
    expect(again.duplicates).toEqual([3]);
    const mismatched = await post(hub.app, bearer(hub.world.leadA), { tasks, rows: [1] });
    expect(mismatched.statusCode).toBe(400);
  });

  it('refuses a body that is not a list of tasks', async () => {
    const response = await post(hub.app, { 'x-api-key': hub.world.keyA }, { tasks: [] });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_request');
  });
});
