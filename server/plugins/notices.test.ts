import { describe, expect, it } from 'vitest';
import type { ChangeNotice } from '../../common/sync/protocol';
import { attemptOp, assignedTasks, backend, newClientId, push, useSeededHub } from '../test/hubFixture';

// Who hears a change (the relay behind GET /sync/events), on one instance: the team's lead hears
// every task; a specialist only changes of tasks they hold or held.

describe(`hub: change notices reach the desks concerned (${backend})`, () => {
  const hub = useSeededHub();

  it("tells a specialist of their own tasks' changes, not of a teammate's", async () => {
    const heard = { lead: [] as ChangeNotice[], a1: [] as ChangeNotice[], a2: [] as ChangeNotice[] };
    const stops = [
      hub.app.notices.subscribe(hub.world.leadA.user, (n) => heard.lead.push(n)),
      hub.app.notices.subscribe(hub.world.specA1.user, (n) => heard.a1.push(n)),
      hub.app.notices.subscribe(hub.world.specA2.user, (n) => heard.a2.push(n)),
    ];
    // Notices arrive in commit order, to every listener at once: when the lead has heard a
    // change, each specialist has heard it too, or never will.
    const leadHeard = (taskId: string) =>
      expect.poll(() => heard.lead.some((n) => n.taskIds.includes(taskId))).toBe(true);
    try {
      const [a1Task] = await assignedTasks(hub.world, hub.world.specA1); // intake, then the move
      await push(hub.app, hub.world.specA1, newClientId(), [attemptOp(a1Task!, 1)]);
      await leadHeard(a1Task!);
      await expect.poll(() => heard.lead.filter((n) => n.taskIds.includes(a1Task!)).length).toBe(3);
      expect(heard.a1).toHaveLength(2); // the move to them and their push; not the intake to the pool
      expect(heard.a2).toHaveLength(0);

      const [a2Task] = await assignedTasks(hub.world, hub.world.specA2);
      await expect.poll(() => heard.lead.filter((n) => n.taskIds.includes(a2Task!)).length).toBe(2);
      expect(heard.a2).toEqual([{ taskIds: [] }]);
      expect(heard.a1).toHaveLength(2);
    } finally {
      for (const stop of stops) stop();
    }
  });
});
