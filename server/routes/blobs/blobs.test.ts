import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  assignedTasks,
  backend,
  bearer,
  newClientId,
  push,
  recordingOp,
  useSeededHub,
  type Member,
} from '../../test/hubFixture';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe(`hub: blobs (${backend})`, () => {
  const hub = useSeededHub();

  const head = (member: Member, sha256: string) =>
    hub.app.inject({ method: 'HEAD', url: `/blobs/${sha256}`, headers: bearer(member) });
  const patch = (member: Member, sha256: string, offset: number, length: number, chunk: Buffer) =>
    hub.app.inject({
      method: 'PATCH',
      url: `/blobs/${sha256}`,
      headers: {
        ...bearer(member),
        'content-type': 'application/octet-stream',
        'upload-offset': String(offset),
        'upload-length': String(length),
      },
      payload: chunk,
    });

  it('uploads resumably: after a lost chunk the desk resumes from the offset the hub holds', async () => {
    const recording = randomBytes(300_000);
    const name = sha(recording);
    const missing = await head(hub.world.specA1, name);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['upload-offset']).toBe('0');

    const first = await patch(hub.world.specA1, name, 0, recording.length, recording.subarray(0, 100_000));
    expect(first.json()).toEqual({ offset: 100_000, complete: false });
    // The desk lost the answer to its second chunk and believes it is still at 100,000 — but it
    // sends a chunk from 200,000 after a restart with a stale offset: refused, with the hub's offset.
    const stale = await patch(hub.world.specA1, name, 200_000, recording.length, recording.subarray(200_000));
    expect(stale.statusCode).toBe(409);
    expect(stale.headers['upload-offset']).toBe('100000');
    const resumed = await head(hub.world.specA1, name);
    expect(resumed.headers['upload-offset']).toBe('100000');
    const rest = await patch(hub.world.specA1, name, 100_000, recording.length, recording.subarray(100_000));
    expect(rest.json()).toEqual({ offset: recording.length, complete: true });

    const present = await head(hub.world.specA1, name);
    expect(present.statusCode).toBe(200);
    const [stored] = await hub.app.db.query<{ data: Uint8Array }>(
      'SELECT data FROM blobs WHERE sha256 = $1',
      [name],
    );
    expect(sha(stored!.data)).toBe(name);
    // Sending it again changes nothing and says it is complete.
    const again = await patch(hub.world.specA1, name, 0, recording.length, recording.subarray(0, 10));
    expect(again.json()).toEqual({ offset: recording.length, complete: true });
  });

  it('re-hashes on arrival and refuses bytes that do not match their name, keeping nothing', async () => {
    const bytes = randomBytes(5000);
    const claimed = sha(randomBytes(10));
    const response = await patch(hub.world.specA1, claimed, 0, bytes.length, bytes);
    expect(response.statusCode).toBe(422);
    expect(response.json().error.code).toBe('hash_mismatch');
    expect((await head(hub.world.specA1, claimed)).headers['upload-offset']).toBe('0');
    expect(await hub.app.db.query('SELECT 1 FROM blobs WHERE sha256 = $1', [claimed])).toHaveLength(0);
  });

  it('refuses a bad name, a chunk past the declared length, and no session', async () => {
    expect((await head(hub.world.specA1, 'not-a-hash')).statusCode).toBe(400);
    const bytes = randomBytes(10);
    expect((await patch(hub.world.specA1, sha(bytes), 0, 5, bytes)).statusCode).toBe(400);
    const anonymous = await hub.app.inject({ method: 'HEAD', url: `/blobs/${sha(bytes)}` });
    expect(anonymous.statusCode).toBe(401);
  });

  it('serves a blob only to users who may see a task it belongs to', async () => {
    const [taskId] = await assignedTasks(hub.world, hub.world.specA1);
    const recording = randomBytes(2048);
    const name = sha(recording);
    await patch(hub.world.specA1, name, 0, recording.length, recording);
    // Before any fact refers to it, nobody may read it back.
    expect(
      (await hub.app.inject({ method: 'GET', url: `/blobs/${name}`, headers: bearer(hub.world.leadA) }))
        .statusCode,
    ).toBe(404);
    const fact = recordingOp(taskId!, 1, name, recording.length);
    expect((await push(hub.app, hub.world.specA1, newClientId(), [fact])).body.results[0]!.status).toBe(
      'applied',
    );
    const lead = await hub.app.inject({
      method: 'GET',
      url: `/blobs/${name}`,
      headers: bearer(hub.world.leadA),
    });
    expect(lead.statusCode).toBe(200);
    expect(sha(lead.rawPayload)).toBe(name);
    const otherTeam = await hub.app.inject({
      method: 'GET',
      url: `/blobs/${name}`,
      headers: bearer(hub.world.leadB),
    });
    expect(otherTeam.statusCode).toBe(404);
  });

  it('records a recording fact before its blob arrives: completion never waits for an upload', async () => {
    const [taskId] = await assignedTasks(hub.world, hub.world.specA2);
    const name = sha(randomBytes(64));
    const fact = recordingOp(taskId!, 1, name, 64);
    expect((await push(hub.app, hub.world.specA2, newClientId(), [fact])).body.results[0]!.status).toBe(
      'applied',
    );
    const snapshot = await hub.app.inject({
      method: 'GET',
      url: `/sync/tasks/${taskId}`,
      headers: bearer(hub.world.specA2),
    });
    expect(snapshot.json().facts[0]).toMatchObject({
      kind: 'recording',
      blobSha256: name,
      blobPresent: false,
    });
  });
});
