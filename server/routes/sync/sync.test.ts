import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { PullResponse, type OperationResult, type TaskSnapshot } from '../../../common/sync/protocol';
import {
  assignedTasks,
  attemptOp,
  backend,
  bearer,
  newClientId,
  push,
  useSeededHub,
  taskEventOp,
  type Member,
} from '../../test/hubFixture';

const statuses = (results: OperationResult[]) => results.map((r) => [r.mutationId, r.status, r.code ?? null]);

describe(`hub: sync push and pull (${backend})`, () => {
  const hub = useSeededHub();

  const facts = async (taskId: string) =>
    hub.app.db.query<{ id: string; kind: string; after_reassignment: boolean }>(
      'SELECT id, kind, after_reassignment FROM facts WHERE task_id = $1 ORDER BY received_at',
      [taskId],
    );

  async function pullAll(
    member: Member,
    cursor?: string,
  ): Promise<{ tasks: TaskSnapshot[]; cursor: string }> {
    const tasks: TaskSnapshot[] = [];
    let next = cursor;
    for (;;) {
      const response = await hub.app.inject({
        method: 'GET',
        url: '/sync/pull',
        query: { ...(next ? { cursor: next } : {}), limit: '2' },
        headers: bearer(member),
      });
      expect(response.statusCode).toBe(200);
      const page = PullResponse.parse(response.json());
      tasks.push(...page.tasks);
      next = page.cursor;
      if (!page.more) return { tasks, cursor: page.cursor };
    }
  }

  it('applies each mutation at most once: a repeated push gets the first answer, replayed', async () => {
    const [taskId] = await assignedTasks(hub.world, hub.world.specA1);
    const clientId = newClientId();
    const op = attemptOp(taskId!, 1);
    const first = await push(hub.app, hub.world.specA1, clientId, [op]);
    expect(first.status).toBe(200);
    expect(statuses(first.body.results)).toEqual([[1, 'applied', null]]);
    const again = await push(hub.app, hub.world.specA1, clientId, [op]);
    expect(again.body.results[0]).toMatchObject({ mutationId: 1, status: 'applied', replayed: true });
    expect(again.body.lastMutationId).toBe(1);
    expect(await facts(taskId!)).toHaveLength(1);
    const [task] = await hub.app.db.query<{ attempts: number }>('SELECT attempts FROM tasks WHERE id = $1', [
      taskId,
    ]);
    expect(task!.attempts).toBe(1);
  });

  it('applies in order: a gap defers the mutation and everything after it', async () => {
    const [taskId] = await assignedTasks(hub.world, hub.world.specA1);
    const clientId = newClientId();
    const gap = await push(hub.app, hub.world.specA1, clientId, [
      attemptOp(taskId!, 2),
      attemptOp(taskId!, 3),
    ]);
    expect(statuses(gap.body.results)).toEqual([
      [2, 'deferred', null],
      [3, 'deferred', null],
    ]);
    expect(await facts(taskId!)).toHaveLength(0);
    const ops = [1, 2, 3].map((n) => attemptOp(taskId!, n));
    const filled = await push(hub.app, hub.world.specA1, clientId, ops);
    expect(statuses(filled.body.results)).toEqual([
      [1, 'applied', null],
      [2, 'applied', null],
      [3, 'applied', null],
    ]);
    expect((await facts(taskId!)).map((f) => f.id)).toEqual(
      ops.map((op) => (op as { factId: string }).factId),
    );
  });

  it('rejects a malformed operation on its own, without blocking the queue behind it', async () => {
    const [taskId] = await assignedTasks(hub.world, hub.world.specA1);
    const clientId = newClientId();
    const malformed = { ...attemptOp(taskId!, 2), body: { disposition: 'teleported' } };
    const { status, body } = await push(hub.app, hub.world.specA1, clientId, [
      attemptOp(taskId!, 1),
      malformed,
      { nonsense: true },
      attemptOp(taskId!, 3),
    ]);
    expect(status).toBe(200);
    expect(statuses(body.results)).toEqual([
      [1, 'applied', null],
      [2, 'rejected', 'malformed'],
      [null, 'rejected', 'malformed'],
      [3, 'applied', null],
    ]);
    expect(body.results[1]!.message).toMatch(/body\.disposition/);
    expect(await facts(taskId!)).toHaveLength(2);
    expect(body.lastMutationId).toBe(3);
  });

  it('undoes a failing operation alone: it and what follows wait, what came before is kept', async () => {
    const [taskId] = await assignedTasks(hub.world, hub.world.specA1);
    const clientId = newClientId();
    // A real database failure inside the second operation's insert.
    await hub.app.db.exec(`
      CREATE FUNCTION fail_marked_fact() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.body->>'notes' = 'fail here' THEN RAISE EXCEPTION 'injected failure'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER fail_marked_fact BEFORE INSERT ON facts FOR EACH ROW EXECUTE FUNCTION fail_marked_fact();`);
    const failing = attemptOp(taskId!, 2);
    (failing as { body: { notes?: string } }).body.notes = 'fail here';
    const ops = [attemptOp(taskId!, 1), failing, attemptOp(taskId!, 3)];
    try {
      const { body } = await push(hub.app, hub.world.specA1, clientId, ops);
      expect(statuses(body.results)).toEqual([
        [1, 'applied', null],
        [2, 'deferred', null],
        [3, 'deferred', null],
      ]);
      expect(body.lastMutationId).toBe(1);
      expect((await facts(taskId!)).map((f) => f.id)).toEqual([(ops[0] as { factId: string }).factId]);
    } finally {
      await hub.app.db.exec('DROP TRIGGER fail_marked_fact ON facts; DROP FUNCTION fail_marked_fact();');
    }
    const healed = await push(hub.app, hub.world.specA1, clientId, ops);
    expect(healed.body.results.map((r) => [r.mutationId, r.status, r.replayed ?? false])).toEqual([
      [1, 'applied', true],
      [2, 'applied', false],
      [3, 'applied', false],
    ]);
    expect(await facts(taskId!)).toHaveLength(3);
    const [task] = await hub.app.db.query<{ attempts: number }>('SELECT attempts FROM tasks WHERE id = $1', [
      taskId,
    ]);
    expect(task!.attempts).toBe(3);
  });

  it('rejects a reused op id on its own, and answers a mutation repeated in one batch as replayed', async () => {
    const [taskId] = await assignedTasks(hub.world, hub.world.specA1);
    const clientId = newClientId();
    const first = attemptOp(taskId!, 1);
    const reused = { ...attemptOp(taskId!, 2), opId: first.opId };
    const { body } = await push(hub.app, hub.world.specA1, clientId, [
      first,
      reused,
      first,
      attemptOp(taskId!, 3),
    ]);
    expect(body.results.map((r) => [r.mutationId, r.status, r.code ?? null, r.replayed ?? false])).toEqual([
      [1, 'applied', null, false],
      [2, 'rejected', 'conflict', false],
      [1, 'applied', null, true],
      [3, 'applied', null, false],
    ]);
    // The next push from elsewhere with the same op id is refused the same way, and blocks nothing.
    const other = await push(hub.app, hub.world.specA1, newClientId(), [
      { ...attemptOp(taskId!, 1), opId: first.opId },
      attemptOp(taskId!, 2),
    ]);
    expect(statuses(other.body.results)).toEqual([
      [1, 'rejected', 'conflict'],
      [2, 'applied', null],
    ]);
    expect(await facts(taskId!)).toHaveLength(3);
  });

  it('keeps permanent rejections final: the hub decides assignment, the task machine decides status', async () => {
    const [taskId] = await assignedTasks(hub.world, hub.world.specA1);
    const clientId = newClientId();
    const event = (mutationId: number, type: string) => taskEventOp(taskId!, mutationId, type);
    const { body } = await push(hub.app, hub.world.specA1, clientId, [
      event(1, 'assign'),
      event(2, 'send'), // not before consent
      event(3, 'start_work'),
      event(4, 'record_consent'),
      attemptOp(taskId!, 5, 'connected_consented'),
    ]);
    expect(statuses(body.results)).toEqual([
      [1, 'rejected', 'hub_decides'],
      [2, 'rejected', 'refused'],
      [3, 'applied', null],
      [4, 'applied', null],
      [5, 'applied', null],
    ]);
    const [task] = await hub.app.db.query<{ status: string }>('SELECT status FROM tasks WHERE id = $1', [
      taskId,
    ]);
    expect(task!.status).toBe('consented');
    // Replaying a rejected mutation answers the same rejection, not a new try.
    const replay = await push(hub.app, hub.world.specA1, clientId, [event(2, 'start_work')]);
    expect(replay.body.results[0]).toMatchObject({ status: 'rejected', code: 'refused', replayed: true });
  });

  it('lets status only move forward: a delivered task stays delivered', async () => {
    const [taskId] = await assignedTasks(hub.world, hub.world.specA1);
    const clientId = newClientId();
    const event = (mutationId: number, type: string) => taskEventOp(taskId!, mutationId, type);
    const steps = ['start_work', 'record_consent', 'send', 'confirm_delivery', 'start_work', 'send'];
    const { body } = await push(
      hub.app,
      hub.world.specA1,
      clientId,
      steps.map((type, index) => event(index + 1, type)),
    );
    expect(body.results.map((r) => r.status)).toEqual([
      'applied',
      'applied',
      'applied',
      'applied',
      'rejected',
      'rejected',
    ]);
    expect(body.results[4]!.message).toMatch(/stays delivered/);
    const [task] = await hub.app.db.query<{ status: string }>('SELECT status FROM tasks WHERE id = $1', [
      taskId,
    ]);
    expect(task!.status).toBe('delivered');
  });

  it('keeps facts made offline on a task reassigned meanwhile, and flags it for the lead', async () => {
    const [taskId] = await assignedTasks(hub.world, hub.world.specA1);
    const a1Client = newClientId();
    // The lead moves the task to spec.a2 while spec.a1's desk is offline with an attempt queued.
    const reassign = await hub.app.inject({
      method: 'POST',
      url: '/lead/reassign',
      headers: bearer(hub.world.leadA),
      payload: { taskIds: [taskId], assigneeId: hub.world.specA2.user.id, reason: 'a1 is out sick' },
    });
    expect(reassign.json()).toMatchObject({ updated: 1 });
    const offline = await push(hub.app, hub.world.specA1, a1Client, [
      attemptOp(taskId!, 1, 'callback_requested'),
    ]);
    expect(offline.body.results[0]!.status).toBe('applied');
    const [fact] = await facts(taskId!);
    expect(fact).toMatchObject({ kind: 'attempt', after_reassignment: true });

    // Both desks see both facts: the new holder, and the old one (who sees who holds it now).
    const forA1 = (await pullAll(hub.world.specA1)).tasks.filter((t) => t.id === taskId).at(-1)!;
    expect(forA1.assignee).toEqual({ id: hub.world.specA2.user.id, name: '李二' });
    expect(forA1.completedAfterReassignment).toBe(true);
    expect(forA1.facts.map((f) => f.authorId)).toEqual([hub.world.specA1.user.id]);
    const forA2 = (await pullAll(hub.world.specA2)).tasks.filter((t) => t.id === taskId).at(-1)!;
    expect(forA2.facts).toHaveLength(1);
    const queue = await hub.app.inject({
      method: 'GET',
      url: '/lead/queue',
      query: { filter: 'completed_after_reassignment' },
      headers: bearer(hub.world.leadA),
    });
    expect(queue.json().rows.map((r: { id: string }) => r.id)).toContain(taskId);
  });

  it('scopes pull to what the user may see and never answers a task twice for one change', async () => {
    const a2Tasks = await assignedTasks(hub.world, hub.world.specA2, 3);
    const bTasks = await assignedTasks(hub.world, hub.world.specB, 2);
    const seenByB = (await pullAll(hub.world.specB)).tasks.map((t) => t.id);
    expect(new Set(seenByB)).toEqual(new Set(bTasks));
    const seenByA1 = new Set((await pullAll(hub.world.specA1)).tasks.map((t) => t.id));
    for (const id of [...a2Tasks, ...bTasks]) expect(seenByA1.has(id)).toBe(false);
    const seenByLeadA = new Set((await pullAll(hub.world.leadA)).tasks.map((t) => t.id));
    for (const id of a2Tasks) expect(seenByLeadA.has(id)).toBe(true);
    for (const id of bTasks) expect(seenByLeadA.has(id)).toBe(false);
  });

  it('answers only what changed after the cursor', async () => {
    const [taskId] = await assignedTasks(hub.world, hub.world.specB);
    const { cursor } = await pullAll(hub.world.specB);
    const nothing = await pullAll(hub.world.specB, cursor);
    expect(nothing.tasks).toEqual([]);
    expect(nothing.cursor).toBe(cursor);
    await push(hub.app, hub.world.specB, newClientId(), [attemptOp(taskId!, 1)]);
    const after = await pullAll(hub.world.specB, cursor);
    expect(after.tasks.map((t) => [t.id, t.attempts])).toEqual([[taskId, 1]]);
  });

  it("moves a specialist's cursor past the team's changes they may not see", async () => {
    const { cursor } = await pullAll(hub.world.specA1);
    await assignedTasks(hub.world, hub.world.specA2, 3);
    const after = await pullAll(hub.world.specA1, cursor);
    expect(after.tasks).toEqual([]);
    expect(after.cursor).not.toBe(cursor);
    // …and a later change of their own still arrives from there.
    const [mine] = await assignedTasks(hub.world, hub.world.specA1);
    expect((await pullAll(hub.world.specA1, after.cursor)).tasks.map((t) => t.id)).toEqual([mine]);
  });

  it("refuses another team's task and another user's client id", async () => {
    const [bTask] = await assignedTasks(hub.world, hub.world.specB);
    const clientId = newClientId();
    const { body } = await push(hub.app, hub.world.specA1, clientId, [
      attemptOp(bTask!, 1),
      attemptOp(uuidv7(), 2),
    ]);
    expect(statuses(body.results)).toEqual([
      [1, 'rejected', 'forbidden'],
      [2, 'rejected', 'not_found'],
    ]);
    expect(await facts(bTask!)).toHaveLength(0);
    const stolen = await push(hub.app, hub.world.specB, clientId, [attemptOp(bTask!, 3)]);
    expect(stolen.status).toBe(403);
    const read = await hub.app.inject({
      method: 'GET',
      url: `/sync/tasks/${bTask}`,
      headers: bearer(hub.world.specA1),
    });
    expect(read.statusCode).toBe(403);
    const own = await hub.app.inject({
      method: 'GET',
      url: `/sync/tasks/${bTask}`,
      headers: bearer(hub.world.specB),
    });
    expect(own.statusCode).toBe(200);
  });
});
