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
  let buffer = '';
  return {
    async next(name) {
      for (;;) {
        const events = buffer.split('\n\n');
        buffer = events.pop() ?? '';
        for (const block of events) {
          const lines = block.split('\n');
          if (lines.includes(`event: ${name}`)) {
            buffer = events.slice(events.indexOf(block) + 1).join('\n\n') + (buffer ? `\n\n${buffer}` : '');
            return lines.find((line) => line.startsWith('data: '))!.slice('data: '.length);
          }
        }
        const chunk = await reader.read();
        if (chunk.done) throw new Error('the event stream ended');
        buffer = [...events.filter(Boolean), ''].join('\n\n') + buffer + decoder.decode(chunk.value);
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
});
