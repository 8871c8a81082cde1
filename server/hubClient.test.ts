import { createHash, randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHubClient, HubRequestError, type FetchLike } from '../common/sync/hubClient';
import { backend, intakeTask, PASSWORD, useSeededHub } from './test/hubFixture';

// The desk-side client of common/sync against a hub listening on loopback, over real HTTP.

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const realFetch: FetchLike = (url, init) => fetch(url, init);

describe(`common/sync hub client over HTTP (${backend})`, () => {
  const hub = useSeededHub();
  let baseUrl: string;
  beforeAll(async () => {
    baseUrl = await hub.app.listen({ host: '127.0.0.1', port: 0 });
  });

  it('takes a case-system order, a lead assigns it, the specialist pulls, works and pushes', async () => {
    const caseSystem = createHubClient({ baseUrl, fetch: realFetch, apiKey: hub.world.keyA });
    const report = await caseSystem.intake([intakeTask()]);
    expect(report.accepted).toBe(1);

    const lead = createHubClient({ baseUrl, fetch: realFetch });
    await lead.login('lead.a', PASSWORD);
    const moved = await lead.autoAssign({ taskIds: report.taskIds });
    const assignee = moved.assignments![0]!.assigneeId;
    const specialistName = assignee === hub.world.specA1.user.id ? 'spec.a1' : 'spec.a2';

    const desk = createHubClient({ baseUrl, fetch: realFetch });
    await desk.login(specialistName, PASSWORD);
    const pulled = await desk.pull();
    expect(pulled.tasks.map((t) => t.id)).toContain(report.taskIds[0]);
    const pushed = await desk.push(uuidv7(), [
      {
        type: 'fact.record',
        kind: 'attempt',
        opId: uuidv7(),
        mutationId: 1,
        taskId: report.taskIds[0],
        factId: uuidv7(),
        body: { disposition: 'connected_consented' },
      },
    ]);
    expect(pushed.results[0]!.status).toBe('applied');
    const after = await desk.pull(pulled.cursor);
    expect(after.tasks[0]!.attempts).toBe(1);
    const queue = await lead.leadQueue({ filter: 'all' });
    expect(queue.rows.find((r) => r.id === report.taskIds[0])!.attempts).toBe(1);
  });

  it('resumes an upload cut off by an outage, sending only the rest', async () => {
    const desk = createHubClient({ baseUrl, fetch: realFetch });
    await desk.login('spec.a1', PASSWORD);
    const recording = randomBytes(5 * 64 * 1024 + 123);
    const name = sha(recording);
    let patches = 0;
    // The network goes away after the second chunk.
    const flaky: FetchLike = async (url, init) => {
      if (init.method === 'PATCH' && ++patches > 2) throw new Error('ECONNRESET');
      return fetch(url, init);
    };
    const cut = createHubClient({ baseUrl, fetch: flaky });
    cut.setToken((await desk.login('spec.a1', PASSWORD)).token);
    await expect(cut.uploadBlob(name, recording, 64 * 1024)).rejects.toThrow('ECONNRESET');
    expect(await desk.blobState(name)).toEqual({ present: false, offset: 2 * 64 * 1024 });
    const sent = await desk.uploadBlob(name, recording, 64 * 1024);
    expect(sent).toBe(recording.byteLength - 2 * 64 * 1024);
    expect(await desk.blobState(name)).toEqual({ present: true });
    expect(await desk.uploadBlob(name, recording)).toBe(0); // present: skipped
  });

  it('surfaces the hub errors with their codes', async () => {
    const desk = createHubClient({ baseUrl, fetch: realFetch });
    await expect(desk.login('spec.a1', 'nope')).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    await desk.login('spec.a1', PASSWORD);
    await expect(desk.leadQueue()).rejects.toBeInstanceOf(HubRequestError);
    const bytes = randomBytes(100);
    await expect(desk.uploadBlob(sha(randomBytes(1)), bytes)).rejects.toMatchObject({
      code: 'hash_mismatch',
    });
  });
});
