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
});
