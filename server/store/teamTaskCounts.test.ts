import { describe, expect, it } from 'vitest';
import { LeadQueuePage } from '../../common/sync/hubApi';
import { assignedTasks, backend, bearer, intake, intakeTask, useSeededHub } from '../test/hubFixture';

// The lead queue's "all" total comes from team_task_counts (migration 006), kept by triggers: after
// intakes, moves between specialists, returns to the pool and a delete it must equal count(*).
describe(`hub: team task counts (${backend})`, () => {
  const hub = useSeededHub();

  const total = async (query: Record<string, string>) => {
    const response = await hub.app.inject({
      method: 'GET',
      url: '/lead/queue',
      query: { filter: 'all', ...query },
      headers: bearer(hub.world.leadA),
    });
    expect(response.statusCode).toBe(200);
    return LeadQueuePage.parse(response.json()).total;
  };
  const counted = async (assigneeId?: string) => {
    const rows = await hub.app.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM tasks WHERE team_id = $1${assigneeId ? ' AND assignee_id = $2' : ''}`,
      assigneeId ? [hub.world.teamA, assigneeId] : [hub.world.teamA],
    );
    return rows[0]!.n;
  };
  const expectTotalsRight = async () => {
    expect(await total({})).toBe(await counted());
    expect(await total({ assigneeId: hub.world.specA1.user.id })).toBe(
      await counted(hub.world.specA1.user.id),
    );
    expect(await total({ assigneeId: hub.world.specA2.user.id })).toBe(
      await counted(hub.world.specA2.user.id),
    );
  };

  it('equals count(*) for the team and for each specialist after intake, moves and a delete', async () => {
    await intake(hub.app, hub.world.keyA, [intakeTask(), intakeTask(), intakeTask()]);
    await intake(hub.app, hub.world.keyB, [intakeTask()]); // another team's task is not counted in A's
    const ids = await assignedTasks(hub.world, hub.world.specA1, 4);
    await expectTotalsRight();
    expect(await total({})).toBe(7);

    const move = async (taskIds: string[], assigneeId: string | null) => {
      const response = await hub.app.inject({
        method: 'POST',
        url: '/lead/reassign',
        headers: bearer(hub.world.leadA),
        payload: { taskIds, assigneeId, reason: 'test' },
      });
      expect(response.statusCode).toBe(200);
    };
    await move(ids.slice(0, 2), hub.world.specA2.user.id);
    await move(ids.slice(2, 3), null);
    await expectTotalsRight();
    expect(await total({ assigneeId: hub.world.specA2.user.id })).toBe(2);

    // A search is counted over the rows themselves; a delete (maintenance only) is counted too.
    await hub.app.db.query('DELETE FROM task_holders WHERE task_id = $1', [ids[3]]);
    await hub.app.db.query('DELETE FROM tasks WHERE id = $1', [ids[3]]);
    await expectTotalsRight();
    expect(await total({})).toBe(6);
  });
});
