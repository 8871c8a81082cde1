import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubApp } from '../app';
import {
  bearer,
  freshDbTarget,
  intake,
  intakeTask,
  seedWorld,
  startHub,
  type Member,
  type World,
} from '../test/hubFixture';

// Two stateless hub instances on one PostgreSQL: a desk listening on instance 1 hears a change
// made through instance 2 (LISTEN/NOTIFY relayed as server-sent events).

type Events = { next(name: string): Promise<string>; close(): void };

async function openEvents(baseUrl: string, member: Member): Promise<Events> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/sync/events`, {
    headers: bearer(member),
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const events: { name: string; data: string }[] = [];
  return {
    /** The data of the next event called `name` (earlier events of other names are passed over). */
    async next(name) {
      for (;;) {
        while (events.length > 0) {
          const event = events.shift()!;
          if (event.name === name) return event.data;
        }
        const chunk = await reader.read();
        if (chunk.done) throw new Error('the event stream ended');
        text += decoder.decode(chunk.value, { stream: true });
        const blocks = text.split('\n\n');
        text = blocks.pop() ?? '';
        for (const block of blocks) {
          const lines = block.split('\n');
          const eventLine = lines.find((line) => line.startsWith('event: '));
          const dataLine = lines.find((line) => line.startsWith('data: '));
          if (eventLine) events.push({ name: eventLine.slice(7), data: dataLine?.slice(6) ?? '' });
        }
      }
    },
    close: () => controller.abort(),
  };
}

describe('hub: change notices across instances (postgres)', () => {
  let one: HubApp;
  let two: HubApp;
  let world: World;
  let url: string;
  beforeAll(async () => {
    const target = await freshDbTarget();
    one = await startHub(target);
    two = await startHub(target);
    world = await seedWorld(two);
    url = await one.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await one.close();
    await two.close();
  });

  it('tells a lead on instance 1 of tasks created and moved through instance 2', async () => {
    const lead = await openEvents(url, world.leadA);
    const specialist = await openEvents(url, world.specA1);
    const outsider = await openEvents(url, world.leadB);
    try {
      await lead.next('ready');
      await specialist.next('ready');
      await outsider.next('ready');
      const { taskIds } = await intake(two, world.keyA, [intakeTask()]);
      expect(JSON.parse(await lead.next('changed'))).toEqual({ taskIds });

      const moved = await two.inject({
        method: 'POST',
        url: '/lead/reassign',
        headers: bearer(world.leadA),
        payload: { taskIds, assigneeId: world.specA1.user.id, reason: 'yours' },
      });
      expect(moved.statusCode).toBe(200);
      expect(JSON.parse(await lead.next('changed'))).toEqual({ taskIds });
      // The specialist hears a nudge (scoped: no task ids) and pulls what is theirs.
      await specialist.next('changed');
      const pulled = await one.inject({ method: 'GET', url: '/sync/pull', headers: bearer(world.specA1) });
      expect(pulled.json().tasks.map((t: { id: string }) => t.id)).toEqual(taskIds);

      // Team B's lead heard nothing of team A: the next thing it hears is its own team's task.
      const own = await intake(two, world.keyB, [intakeTask()]);
      expect(JSON.parse(await outsider.next('changed'))).toEqual({ taskIds: own.taskIds });
    } finally {
      lead.close();
      specialist.close();
      outsider.close();
    }
  });

  it('listens again after the database drops its listening connection', async () => {
    const lead = await openEvents(url, world.leadA);
    try {
      await lead.next('ready');
      const killed = await one.db.query<{ ok: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
          WHERE query LIKE 'LISTEN hub_changes%' AND datname = current_database()`,
      );
      expect(killed.length).toBeGreaterThanOrEqual(2); // one per instance
      // Wait until both instances listen again (they retry every second).
      const listening = () =>
        one.db.query(
          `SELECT 1 FROM pg_stat_activity WHERE query LIKE 'LISTEN hub_changes%' AND datname = current_database()`,
        );
      for (let wait = 0; (await listening()).length < 2; wait += 1) {
        if (wait > 100) throw new Error('the instances never listened again');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const { taskIds } = await intake(two, world.keyA, [intakeTask()]);
      expect(JSON.parse(await lead.next('changed'))).toEqual({ taskIds });
    } finally {
      lead.close();
    }
  });
});
