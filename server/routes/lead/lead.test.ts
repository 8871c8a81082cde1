import { describe, expect, it } from 'vitest';
import { BulkResult, LeadQueuePage, TeamLoad } from '../../../common/sync/hubApi';
import {
  assignedTasks,
  attemptOp,
  backend,
  bearer,
  intake,
  intakeTask,
  newClientId,
  push,
  useSeededHub,
  type Member,
} from '../../test/hubFixture';

describe(`hub: lead console (${backend})`, () => {
  const hub = useSeededHub();

  const queue = async (member: Member, query: Record<string, string>) => {
    const response = await hub.app.inject({
      method: 'GET',
      url: '/lead/queue',
      query,
      headers: bearer(member),
    });
    expect(response.statusCode).toBe(200);
    return LeadQueuePage.parse(response.json());
  };
  const postAs = async (member: Member, url: string, payload: object) =>
    hub.app.inject({ method: 'POST', url, headers: bearer(member), payload });

  it('reassigns a selection in bulk with a reason, audited, skipping what is not the team’s', async () => {
    const ids = await assignedTasks(hub.world, hub.world.specA1, 3);
    const [bTask] = await assignedTasks(hub.world, hub.world.specB);
    const response = await postAs(hub.world.leadA, '/lead/reassign', {
      taskIds: [...ids, bTask],
      assigneeId: hub.world.specA2.user.id,
      reason: 'balancing the load',
    });
    expect(response.statusCode).toBe(200);
    const result = BulkResult.parse(response.json());
    expect(result.updated).toBe(3);
    expect(result.skipped).toEqual([{ taskId: bTask, reason: 'not a task of this team' }]);
    const rows = await hub.app.db.query<{ assignee_id: string; status: string }>(
      'SELECT assignee_id, status FROM tasks WHERE id = ANY($1::uuid[])',
      [ids],
    );
    expect(rows.every((r) => r.assignee_id === hub.world.specA2.user.id && r.status === 'assigned')).toBe(
      true,
    );
    const audit = await hub.app.db.query<{ details: { from: string; to: string; reason: string } }>(
      `SELECT details FROM hub_audit WHERE action = 'task.assign' AND task_id = $1 ORDER BY id`,
      [ids[0]],
    );
    expect(audit.at(-1)!.details).toEqual({
      from: hub.world.specA1.user.id,
      to: hub.world.specA2.user.id,
      reason: 'balancing the load',
    });
    const [b] = await hub.app.db.query<{ assignee_id: string }>(
      'SELECT assignee_id FROM tasks WHERE id = $1',
      [bTask],
    );
    expect(b!.assignee_id).toBe(hub.world.specB.user.id);
  });

  it('moves hundreds of tasks in one request, each audited once', async () => {
    const { taskIds } = await intake(
      hub.app,
      hub.world.keyA,
      Array.from({ length: 300 }, () => intakeTask()),
    );
    const result = BulkResult.parse(
      (
        await postAs(hub.world.leadA, '/lead/reassign', {
          taskIds,
          assigneeId: hub.world.specA1.user.id,
          reason: 'new batch',
        })
      ).json(),
    );
    expect(result).toEqual({ updated: 300, skipped: [] });
    const [audited] = await hub.app.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM hub_audit WHERE action = 'task.assign' AND task_id = ANY($1::uuid[])`,
      [taskIds],
    );
    expect(audited!.n).toBe(300);
    const [held] = await hub.app.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM task_holders WHERE user_id = $1 AND task_id = ANY($2::uuid[])',
      [hub.world.specA1.user.id, taskIds],
    );
    expect(held!.n).toBe(300);
  });

  it('returns a task to the pool and refuses an assignee from another team', async () => {
    const [taskId] = await assignedTasks(hub.world, hub.world.specA1);
    const wrong = await postAs(hub.world.leadA, '/lead/reassign', {
      taskIds: [taskId],
      assigneeId: hub.world.specB.user.id,
      reason: 'x',
    });
    expect(wrong.statusCode).toBe(400);
    const pool = await postAs(hub.world.leadA, '/lead/reassign', {
      taskIds: [taskId],
      assigneeId: null,
      reason: 'leave',
    });
    expect(BulkResult.parse(pool.json()).updated).toBe(1);
    const unassigned = await queue(hub.world.leadA, { filter: 'unassigned' });
    expect(unassigned.rows.map((r) => r.id)).toContain(taskId);
    const noReason = await postAs(hub.world.leadA, '/lead/reassign', {
      taskIds: [taskId],
      assigneeId: null,
      reason: ' ',
    });
    expect(noReason.statusCode).toBe(400);
  });

  it('hands unassigned tasks out round-robin by load', async () => {
    const { taskIds } = await intake(hub.app, hub.world.keyB, [
      intakeTask(),
      intakeTask(),
      intakeTask(),
      intakeTask(),
    ]);
    // Team B has one specialist: everything goes to them; team A is checked below with two.
    const resultB = BulkResult.parse(
      (await postAs(hub.world.leadB, '/lead/auto-assign', { taskIds })).json(),
    );
    expect(resultB.assignments!.every((a) => a.assigneeId === hub.world.specB.user.id)).toBe(true);

    const loadBefore = TeamLoad.parse(
      (await hub.app.inject({ method: 'GET', url: '/lead/load', headers: bearer(hub.world.leadA) })).json(),
    );
    const open = (member: Member) =>
      loadBefore.specialists.find((s) => s.user.id === member.user.id)!.openTasks;
    const fresh = await intake(
      hub.app,
      hub.world.keyA,
      Array.from({ length: 6 }, () => intakeTask()),
    );
    const result = BulkResult.parse(
      (await postAs(hub.world.leadA, '/lead/auto-assign', { taskIds: fresh.taskIds })).json(),
    );
    expect(result.updated).toBe(6);
    const given = (member: Member) =>
      result.assignments!.filter((a) => a.assigneeId === member.user.id).length;
    // Each task goes to the one with fewer open tasks: the gap closes first, then they alternate.
    const after1 = open(hub.world.specA1) + given(hub.world.specA1);
    const after2 = open(hub.world.specA2) + given(hub.world.specA2);
    const gap = Math.abs(open(hub.world.specA1) - open(hub.world.specA2));
    expect(Math.abs(after1 - after2)).toBe(gap >= 6 ? gap - 6 : gap % 2);
  });

  it('changes priority with a reason and filters the queue', async () => {
    const [taskId] = await assignedTasks(hub.world, hub.world.specA1);
    const response = await postAs(hub.world.leadA, '/lead/priority', {
      taskIds: [taskId],
      priority: 'urgent',
      reason: 'court asked',
    });
    expect(BulkResult.parse(response.json()).updated).toBe(1);
    const page = await queue(hub.world.leadA, { filter: 'all', limit: '200' });
    expect(page.rows.find((r) => r.id === taskId)!.priority).toBe('urgent');
    // Urgent first.
    expect(page.rows[0]!.priority).toBe('urgent');
  });

  it('finds failed (escalation due), overdue, stuck and missed-callback tasks', async () => {
    const [failed, callback] = await assignedTasks(hub.world, hub.world.specA2, 2);
    const clientId = newClientId();
    await push(hub.app, hub.world.specA2, clientId, [
      attemptOp(failed!, 1, 'no_answer'),
      attemptOp(failed!, 2, 'no_answer'),
      attemptOp(failed!, 3, 'no_answer'),
    ]);
    const ids = (page: { rows: { id: string }[] }) => page.rows.map((r) => r.id);
    expect(ids(await queue(hub.world.leadA, { filter: 'escalation_due', limit: '200' }))).toContain(failed);

    const past = new Date(Date.now() - 3_600_000).toISOString();
    await push(hub.app, hub.world.specA2, clientId, [
      {
        ...attemptOp(callback!, 4, 'callback_requested'),
        body: { disposition: 'callback_requested', callbackAt: past },
      },
    ]);
    // The callback hour was before the attempt that set it here; a real miss is a time after the
    // last attempt. Move the clock of the row, as hours passing would.
    await hub.app.db.query(
      `UPDATE tasks SET callback_at = now() - interval '1 minute', last_attempt_at = now() - interval '2 hours' WHERE id = $1`,
      [callback],
    );
    expect(ids(await queue(hub.world.leadA, { filter: 'callback_missed', limit: '200' }))).toEqual([
      callback,
    ]);

    // The fixture's deadline (2024-06-30) is long past: every open task is overdue.
    expect((await queue(hub.world.leadA, { filter: 'overdue', limit: '1' })).total).toBeGreaterThan(0);
    await hub.app.db.query(`UPDATE tasks SET last_attempt_at = now() - interval '10 days' WHERE id = $1`, [
      failed,
    ]);
    expect(ids(await queue(hub.world.leadA, { filter: 'stuck', stuckDays: '7', limit: '200' }))).toEqual([
      failed,
    ]);
    const mine = await queue(hub.world.leadA, {
      filter: 'all',
      assigneeId: hub.world.specA2.user.id,
      search: '张三',
    });
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.rows.every((r) => r.assignee?.id === hub.world.specA2.user.id)).toBe(true);
  });

  it("reports each member's load today and who is online", async () => {
    const [taskId] = await assignedTasks(hub.world, hub.world.specA1);
    await push(hub.app, hub.world.specA1, newClientId(), [attemptOp(taskId!, 1, 'connected_consented')]);
    const response = await hub.app.inject({
      method: 'GET',
      url: '/lead/load',
      headers: bearer(hub.world.leadA),
    });
    const load = TeamLoad.parse(response.json());
    const a1 = load.specialists.find((s) => s.user.id === hub.world.specA1.user.id)!;
    expect(a1.attemptsToday).toBeGreaterThanOrEqual(1);
    expect(a1.connectsToday).toBeGreaterThanOrEqual(1);
    expect(a1.online).toBe(true);
    expect(load.specialists.map((s) => s.user.id)).not.toContain(hub.world.specB.user.id);
  });
});
