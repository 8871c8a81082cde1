import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubApp } from '../app';
import {
  assignedTasks,
  attemptOp,
  freshDbTarget,
  newClientId,
  push,
  seedWorld,
  startHub,
  type World,
} from '../test/hubFixture';

// A retry racing the original push (the desk timed out and sent again while the first request
// was still running, possibly on another hub instance): real PostgreSQL, several connections.

describe('hub: racing pushes of the same mutations (postgres)', () => {
  let one: HubApp;
  let two: HubApp;
  let world: World;
  beforeAll(async () => {
    const target = await freshDbTarget();
    one = await startHub(target);
    two = await startHub(target);
    world = await seedWorld(one);
  });
  afterAll(async () => {
    await one.close();
    await two.close();
  });

  it('applies each mutation exactly once across instances', async () => {
    const [taskId] = await assignedTasks(world, world.specA1);
    const clientId = newClientId();
    const ops = Array.from({ length: 30 }, (_, index) => attemptOp(taskId!, index + 1));
    const [a, b, c] = await Promise.all([
      push(one, world.specA1, clientId, ops),
      push(two, world.specA1, clientId, ops),
      push(one, world.specA1, clientId, ops.slice(0, 10)),
    ]);
    for (const answer of [a, b, c]) {
      expect(answer.status).toBe(200);
      for (const result of answer.body.results) expect(['applied', 'deferred']).toContain(result.status);
    }
    // Whatever was deferred goes again, as the desk's outbox would.
    const settled = await push(two, world.specA1, clientId, ops);
    expect(settled.body.results.every((r) => r.status === 'applied')).toBe(true);
    const facts = await one.db.query<{ id: string }>(
      'SELECT id FROM facts WHERE task_id = $1 ORDER BY received_at',
      [taskId],
    );
    expect(facts.map((f) => f.id)).toEqual(ops.map((op) => (op as { factId: string }).factId));
    const [task] = await one.db.query<{ attempts: number }>('SELECT attempts FROM tasks WHERE id = $1', [
      taskId,
    ]);
    expect(task!.attempts).toBe(30);
  });

  it("two desks' batches on the same tasks, in opposite orders, beside a lead's move: no deadlock, nothing lost", async () => {
    const [first, second] = await assignedTasks(world, world.specA1, 2);
    const a1 = newClientId();
    const lead = newClientId();
    const forwards = Array.from({ length: 40 }, (_, i) => attemptOp(i % 2 ? second! : first!, i + 1));
    const backwards = Array.from({ length: 40 }, (_, i) => attemptOp(i % 2 ? first! : second!, i + 1));
    const [a, b, move] = await Promise.all([
      push(one, world.specA1, a1, forwards),
      push(two, world.leadA, lead, backwards),
      one.inject({
        method: 'POST',
        url: '/lead/reassign',
        headers: { authorization: `Bearer ${world.leadA.token}` },
        payload: { taskIds: [second, first], assigneeId: world.specA2.user.id, reason: 'balance' },
      }),
    ]);
    expect(move.statusCode).toBe(200);
    for (const answer of [a, b]) {
      expect(answer.status).toBe(200);
      expect(answer.body.results.every((r) => r.status === 'applied')).toBe(true);
    }
    const counts = await one.db.query<{ attempts: number; facts: number }>(
      `SELECT t.attempts, (SELECT count(*)::int FROM facts f WHERE f.task_id = t.id) AS facts
         FROM tasks t WHERE t.id = ANY($1::uuid[])`,
      [[first, second]],
    );
    expect(counts).toEqual([
      { attempts: 40, facts: 40 },
      { attempts: 40, facts: 40 },
    ]);
  });
});
