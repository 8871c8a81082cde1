import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import readline from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LoginResponse } from '../../common/sync/hubApi';
import { generateDemoTasks } from '../demo/demoTasks';
import { startHubProcess, hubApi, hubStore, type HubProcess } from './testing/hubProcess';
import { startTcpProxy, type TcpProxy } from './testing/tcpProxy';
import { intakeTasks, openTestDesk, readDeskDb } from './testing/desks';
import { openDatabase } from '../store/database';
import { createBlobUploads } from './blobUploads';
import { createHubClient } from './hubClient';
import { callRecordId } from './recordIds';
import {
  WEBM_CHUNKS,
  finishRecording,
  partyHangsUp,
  phoneOf,
  recordChunks,
} from '../evidence/testing/deskFixture';

// Desk ↔ hub, for real: the hub as a child process on PGlite, desks on SQLite files, and a TCP
// proxy between desk A and the hub that drops, delays and refuses. Every test ends by checking
// the hub's own record: each local attempt is there exactly once.

let hub: HubProcess;
let proxy: TcpProxy;
let proxyB: TcpProxy;
let api: ReturnType<typeof hubApi>;
let lead: LoginResponse;
let zhang: LoginResponse;
let li: LoginResponse;
let deskA: ReturnType<typeof openTestDesk>;
let deskB: ReturnType<typeof openTestDesk>;
// PGlite in the unit project; a real PostgreSQL database in the desk-sync-postgres project.
const onPostgres = process.env.DESK_SYNC_HUB_DB === 'postgres';
let hubDir: string;

function localIdOf(desk: { dir: string }, hubId: string): number {
  return readDeskDb(
    desk,
    (db) => (db.prepare('SELECT id FROM tasks WHERE hub_id = ?').get(hubId) as { id: number }).id,
  );
}

/** Tasks for the team, given to `to` by the lead. */
async function tasksFor(to: LoginResponse, count: number): Promise<string[]> {
  const { taskIds } = await api.intake(hub.apiKey, intakeTasks(count));
  await api.reassign(lead.token, taskIds, to.user.id, 'test set-up');
  return taskIds;
}

const attemptsOnHub = async (taskId: string) =>
  (await api.task(lead.token, taskId)).facts.filter((f) => f.kind === 'attempt');

async function recordNoAnswer(desk: typeof deskA, hubId: string) {
  const taskId = localIdOf(desk, hubId);
  const detail = await desk.call('callOutcome', { taskId, disposition: 'no_answer', notes: 'test' });
  return detail.attempts[0]!;
}

/** The party calls back (no calling hours), talks while the desk records, hangs up; the outcome is saved. */
async function recordedCall(desk: typeof deskA, hubId: string, chunks = WEBM_CHUNKS) {
  const taskId = localIdOf(desk, hubId);
  const phoneId = await phoneOf(desk.backend, taskId);
  const { attemptId } = await desk.call('callStart', { taskId, phoneId, direction: 'inbound' });
  for (const event of [
    { type: 'invite', sipCallId: `call-${attemptId}@desk.test`, dialled: '13812345678' },
    { type: 'answered' },
    { type: 'media_connected' },
  ] as const)
    await desk.call('callEvent', { attemptId, event });
  const recordingId = await recordChunks(desk.backend, attemptId, chunks);
  await partyHangsUp(desk.backend, attemptId, {
    packetsLost: 0,
    packetsReceived: 500,
    jitterMs: 3,
    roundTripMs: 20,
  });
  const recording = await finishRecording(desk.backend, recordingId);
  await desk.call('callOutcome', { taskId, attemptId, disposition: 'consent_refused', notes: 'recorded' });
  const { record_id: attemptRecordId } = readDeskDb(
    desk,
    (db) => db.prepare('SELECT record_id FROM attempts WHERE id = ?').get(attemptId) as { record_id: string },
  );
  return { recording, attemptRecordId };
}

/** The hub's bytes of a blob (as the lead may read them), hashed here. */
async function blobHashOnHub(sha256: string): Promise<string> {
  const response = await fetch(`${hub.url}/blobs/${sha256}`, {
    headers: { authorization: `Bearer ${lead.token}` },
  });
  expect(response.status).toBe(200);
  return createHash('sha256')
    .update(Buffer.from(await response.arrayBuffer()))
    .digest('hex');
}

beforeAll(async () => {
  hubDir = await hubStore(onPostgres ? inject('hubPostgresUrl' as never) : null);
  hub = await startHubProcess(hubDir);
  api = hubApi(hub.url);
  [lead, zhang, li] = await api.loginDemoTeam();
  proxy = await startTcpProxy(hub.port);
  deskA = openTestDesk(proxy.url);
  proxyB = await startTcpProxy(hub.port);
  deskB = openTestDesk(proxyB.url);
  await deskA.call('hubLogin', { username: 'demo.zhang', password: 'demo-desk-2026' });
  await deskB.call('hubLogin', { username: 'demo.li', password: 'demo-desk-2026' });
}, 120_000);

afterAll(async () => {
  deskA?.backend.close();
  deskB?.backend.close();
  await proxy?.close();
  await proxyB?.close();
  await hub?.stop();
});

describe(`desk ↔ hub sync (${onPostgres ? 'postgres' : 'pglite'})`, () => {
  it('refuses a remote hub over plain http, and a wrong password, with coded errors', async () => {
    const desk = openTestDesk('https://hub.court.example');
    try {
      const insecure = await desk.backend.dispatch('hubLogin', {
        url: 'http://hub.court.example',
        username: 'x',
        password: 'y',
      });
      expect(insecure).toMatchObject({ ok: false, error: { code: 'insecure_hub_url' } });
    } finally {
      desk.backend.close();
    }
    const wrong = await deskB.backend.dispatch('hubLogin', { username: 'demo.li', password: 'nope-nope' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('round trip: pulled tasks keep the hub id; an outcome reaches the hub once, with the desk-made record id', async () => {
    const [taskId] = await tasksFor(zhang, 1);
    await deskA.call('syncNow', {});
    const localId = localIdOf(deskA, taskId!);
    expect((await deskA.call('taskSyncState', { taskId: localId })).heldByMe).toBe(true);

    const attempt = await recordNoAnswer(deskA, taskId!);
    const queued = await deskA.call('syncStatus', {});
    expect(queued.pendingOperations).toBeGreaterThanOrEqual(2); // start_work + the attempt
    const after = await deskA.call('syncNow', {});
    expect(after).toMatchObject({ state: 'online', pendingOperations: 0, lastError: null });

    const onHub = await api.task(lead.token, taskId!);
    expect(onHub.status).toBe('in_progress');
    expect(onHub.facts.filter((f) => f.kind === 'attempt')).toHaveLength(1);
    expect(onHub.facts[0]).toMatchObject({
      body: { disposition: 'no_answer', notes: 'test' },
      authorName: '张敏',
    });
    // The id the desk made is the id everywhere.
    const recordId = readDeskDb(
      deskA,
      (db) =>
        db.prepare('SELECT record_id FROM attempts WHERE id = ?').get(attempt.id) as { record_id: string },
    ).record_id;
    expect(onHub.facts[0]!.id).toBe(recordId);
  });

  it('a connection dropped mid-push, one dropped mid-response, a delay and a refusal: after healing each operation is applied exactly once', async () => {
    const ids = await tasksFor(zhang, 4);
    await deskA.call('syncNow', {});

    // (Background retries run too; what matters is that the cuts happened and what the hub kept.)
    const cutsBefore = proxy.cuts;
    proxy.dropRequest('/sync/push', 80);
    await recordNoAnswer(deskA, ids[0]!);
    await deskA.call('syncNow', {});

    proxy.dropResponse('/sync/push');
    await recordNoAnswer(deskA, ids[1]!);
    await deskA.call('syncNow', {});
    expect(proxy.cuts).toBe(cutsBefore + 2);

    proxy.delay(150);
    await recordNoAnswer(deskA, ids[2]!);
    await deskA.call('syncNow', {});

    await proxy.refuse();
    await recordNoAnswer(deskA, ids[3]!);
    const refused = await deskA.call('syncNow', {});
    expect(refused).toMatchObject({ state: 'offline' });
    expect(refused.offlineSince).not.toBeNull();
    expect(refused.pendingOperations).toBeGreaterThan(0);

    await proxy.heal();
    const healed = await deskA.call('syncNow', {});
    expect(healed).toMatchObject({ state: 'online', pendingOperations: 0, offlineSince: null });
    for (const id of ids) expect(await attemptsOnHub(id)).toHaveLength(1);
  });

  it('restarting the hub mid-sync loses nothing and duplicates nothing', async () => {
    const ids = await tasksFor(zhang, 2);
    await deskA.call('syncNow', {});
    proxy.delay(300);
    await recordNoAnswer(deskA, ids[0]!);
    await recordNoAnswer(deskA, ids[1]!);
    const syncing = deskA.call('syncNow', {});
    await new Promise((r) => setTimeout(r, 200));
    await hub.stop('SIGKILL');
    await syncing;
    expect((await deskA.call('syncStatus', {})).state).toBe('offline');

    hub = await startHubProcess(hubDir, hub.apiKey);
    api = hubApi(hub.url);
    proxy.setTarget(hub.port);
    proxyB.setTarget(hub.port);
    await proxy.heal();
    expect(await deskA.call('syncNow', {})).toMatchObject({ state: 'online', pendingOperations: 0 });
    for (const id of ids) expect(await attemptsOnHub(id)).toHaveLength(1);
  });

  it('two desks and a lead: reassigned while desk A is offline, A records an attempt; both facts end on the hub and both desks, flagged for the lead', async () => {
    const [taskId] = await tasksFor(zhang, 1);
    await deskA.call('syncNow', {});
    const onA = localIdOf(deskA, taskId!);

    await proxy.refuse(); // desk A loses the hub
    await api.reassign(lead.token, [taskId!], li.user.id, 'zhang is off sick');
    await deskA.call('callOutcome', { taskId: onA, disposition: 'busy', notes: 'offline attempt' });
    expect((await deskA.call('syncNow', {})).state).toBe('offline');
    // Offline, the desk still believes it holds the task and says the change is only local.
    expect(await deskA.call('taskSyncState', { taskId: onA })).toMatchObject({
      heldByMe: true,
      pendingOperations: 2,
    });

    // Desk B hears of its new task (the hub's notice, or a sync) and records its own attempt.
    const statusB = await deskB.call('syncNow', {});
    expect(statusB.lastError).toBeNull();
    const onB = localIdOf(deskB, taskId!);
    await deskB.call('callOutcome', { taskId: onB, disposition: 'no_answer', notes: 'B tries' });
    await deskB.call('syncNow', {});

    await proxy.heal();
    await deskA.call('syncNow', {});
    await deskB.call('syncNow', {});

    const onHub = await api.task(lead.token, taskId!);
    expect(onHub.assignee?.id).toBe(li.user.id);
    expect(onHub.completedAfterReassignment).toBe(true);
    expect(onHub.facts.map((f) => f.body.notes).sort()).toEqual(['B tries', 'offline attempt']);

    const stateA = await deskA.call('taskSyncState', { taskId: onA });
    expect(stateA).toMatchObject({
      heldByMe: false,
      holder: { name: '李静' },
      completedAfterReassignment: true,
      pendingOperations: 0,
    });
    const notesOn = async (desk: typeof deskA, id: number) =>
      (await desk.call('taskGet', { taskId: id })).attempts.map((a) => a.notes).sort();
    expect(await notesOn(deskA, onA)).toEqual(['B tries', 'offline attempt']);
    expect(await notesOn(deskB, onB)).toEqual(['B tries', 'offline attempt']);

    const flagged = await api.queue(lead.token, 'filter=completed_after_reassignment&limit=200');
    expect(flagged.rows.map((r) => r.id)).toContain(taskId);
  });

  it('a change the hub refuses for good is kept with its code and does not block the facts behind it', async () => {
    const [taskId] = await tasksFor(zhang, 1);
    await deskA.call('syncNow', {});
    const onA = localIdOf(deskA, taskId!);
    await proxy.refuse();
    await api.reassign(lead.token, [taskId!], li.user.id, 'li knows the party');
    await deskB.call('syncNow', {});
    const onB = localIdOf(deskB, taskId!);
    await deskB.call('callOutcome', { taskId: onB, disposition: 'connected_consented', notes: 'B: consent' });
    await deskB.call('syncNow', {});
    expect((await api.task(lead.token, taskId!)).status).toBe('consented');

    // Desk A, offline, still sees the task as its own and records a consent of its own.
    await deskA.call('callOutcome', { taskId: onA, disposition: 'connected_consented', notes: 'A: consent' });
    await proxy.heal();
    const status = await deskA.call('syncNow', {});
    expect(status).toMatchObject({ state: 'online', pendingOperations: 0 });
    expect(status.rejectedOperations).toBeGreaterThan(0);
    const rejections = await deskA.call('syncRejections', {});
    // The task was already consented on the hub: A's consent transition is refused, A's attempt kept.
    expect(rejections[0]).toMatchObject({ taskId: onA, kind: 'event.record_consent', code: 'refused' });

    const onHub = await api.task(lead.token, taskId!);
    expect(onHub.facts.map((f) => f.body.notes).sort()).toEqual(['A: consent', 'B: consent']);
    // The hub's status now stands on desk A too; A's own attempt is still there.
    const detail = await deskA.call('taskGet', { taskId: onA });
    expect(detail.status).toBe('consented');
    expect(detail.attempts.map((a) => a.notes).sort()).toEqual(['A: consent', 'B: consent']);
  });

  it('killing the desk process mid-push and starting it again: no loss, no duplicate', async () => {
    const ids = await tasksFor(zhang, 3);
    const dir = mkdtempSync(join(tmpdir(), 'desk-child-'));
    const proxyC = await startTcpProxy(hub.port);
    const run = (mode: string, onLine: (line: string, kill: () => void) => void) =>
      new Promise<void>((done) => {
        const child = spawn(
          process.execPath,
          [
            '--import',
            'tsx',
            join(import.meta.dirname, 'testing/deskChild.ts'),
            '--dir',
            dir,
            '--hub-url',
            proxyC.url,
            '--mode',
            mode,
            '--tasks',
            ids.join(','),
          ],
          { stdio: ['ignore', 'pipe', 'ignore'] },
        );
        readline
          .createInterface({ input: child.stdout! })
          .on('line', (line) => onLine(line, () => child.kill('SIGKILL')));
        child.once('exit', () => done());
      });
    try {
      let synced = false;
      await run('record', (line, kill) => {
        if (line === 'SYNCED') synced = true;
        if (line !== 'READY') return;
        // Slow line: the push reaches the hub, the answer is still on its way when the desk dies.
        proxyC.delay(400);
        const pushesBefore = proxyC.requests.filter((r) => r.startsWith('POST /sync/push')).length;
        const watch = setInterval(() => {
          if (proxyC.requests.filter((r) => r.startsWith('POST /sync/push')).length > pushesBefore) {
            clearInterval(watch);
            setTimeout(kill, 600);
          }
        }, 10);
      });
      expect(synced).toBe(false);
      await proxyC.heal();
      let status: { pendingOperations: number; state: string } | null = null;
      await run('sync', (line) => {
        if (line.startsWith('STATUS ')) status = JSON.parse(line.slice(7));
      });
      expect(status).toMatchObject({ state: 'online', pendingOperations: 0 });
      for (const id of ids) expect(await attemptsOnHub(id)).toHaveLength(1);
    } finally {
      await proxyC.close();
    }
  });

  it('blobs: an upload cut after its first chunk resumes from the offset the hub holds; a file that does not hash to its name is kept and flagged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-blobs-'));
    const db = openDatabase(join(dir, 'desk.sqlite'));
    const blobs = createBlobUploads(db);
    const bytes = randomBytes(2_500_000);
    const path = join(dir, 'recording.webm');
    writeFileSync(path, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const now = () => new Date().toISOString();
    blobs.uploadBlob(sha256, path, now());
    blobs.uploadBlob(sha256, path, now()); // enqueued once
    expect(blobs.totals()).toEqual({ n: 1, bytes: 2_500_000 });

    const client = createHubClient({ url: proxy.url, token: zhang.token });
    proxy.dropResponse('PATCH /blobs/');
    await expect(blobs.uploadAll(client, now)).rejects.toThrow();
    const patchesBefore = proxy.requests.filter((r) => r.startsWith('PATCH')).length;
    expect(await blobs.uploadAll(client, now)).toBe(1);
    // The first megabyte reached the hub before the cut: only the rest is sent again.
    expect(proxy.requests.filter((r) => r.startsWith('PATCH')).length - patchesBefore).toBe(2);
    expect(blobs.state(sha256)?.doneAt).not.toBeNull();
    expect(await client.blobState(sha256)).toEqual({ present: true });

    const wrong = join(dir, 'tampered.webm');
    writeFileSync(wrong, randomBytes(1000));
    const claimed = createHash('sha256').update('something else').digest('hex');
    blobs.uploadBlob(claimed, wrong, now());
    await blobs.uploadAll(client, now);
    expect(blobs.state(claimed)).toMatchObject({ doneAt: null });
    expect(blobs.totals().n).toBe(1); // still there, still waiting: never silently dropped
    expect(await client.blobState(claimed)).toMatchObject({ present: false });
    db.close();
  });

  it('a recorded call reaches the hub as a call fact, a recording fact and its file, re-hashed there; also after an outage', async () => {
    const [online, offline] = await tasksFor(zhang, 2);
    await deskA.call('syncNow', {});
    const first = await recordedCall(deskA, online!);
    expect(first.recording.state).toBe('complete');
    expect((await deskA.call('syncNow', {})).pendingUploads).toBe(0);

    const onHub = await api.task(lead.token, online!);
    const call = onHub.facts.find((f) => f.kind === 'call')!;
    expect(call).toMatchObject({
      id: callRecordId(first.attemptRecordId),
      body: {
        attemptId: first.attemptRecordId,
        sipCallId: expect.stringMatching(/@desk\.test$/),
        answered: true,
      },
    });
    const recording = onHub.facts.find((f) => f.kind === 'recording')!;
    expect(recording).toMatchObject({
      body: {
        callId: call.id,
        sha256: first.recording.sha256,
        bytes: first.recording.bytes,
        mimeType: 'audio/webm;codecs=opus',
      },
      blobSha256: first.recording.sha256,
      blobPresent: true,
    });
    expect(recording.body.incomplete).toBeUndefined();
    expect(await blobHashOnHub(first.recording.sha256!)).toBe(first.recording.sha256);

    // Offline: the call and its outcome are done locally at once; facts and file wait.
    await proxy.refuse();
    // (Fewer chunks: other bytes than the first recording's, so a blob of its own.)
    const second = await recordedCall(deskA, offline!, WEBM_CHUNKS.slice(0, 4));
    const waiting = await deskA.call('syncNow', {});
    expect(waiting).toMatchObject({ state: 'offline', pendingUploads: 1 });
    expect(waiting.pendingOperations).toBeGreaterThanOrEqual(3); // call, recording, attempt
    await proxy.heal();
    // Back online, the first upload is cut mid-chunk: the next sync resumes it.
    const cuts = proxy.cuts;
    proxy.dropRequest('PATCH /blobs/', 1024);
    await deskA.call('syncNow', {});
    expect(proxy.cuts).toBe(cuts + 1);
    const healed = await deskA.call('syncNow', {});
    expect(healed).toMatchObject({ state: 'online', pendingOperations: 0, pendingUploads: 0 });
    const after = await api.task(lead.token, offline!);
    expect(after.facts.filter((f) => f.kind === 'call')).toHaveLength(1);
    expect(after.facts.filter((f) => f.kind === 'recording')).toEqual([
      expect.objectContaining({ blobSha256: second.recording.sha256, blobPresent: true }),
    ]);
    expect(await blobHashOnHub(second.recording.sha256!)).toBe(second.recording.sha256);
  });

  it('a recording a crash left open is finalised at the next start as incomplete and still reaches the hub with its file', async () => {
    const [taskId] = await tasksFor(li, 1);
    await deskB.call('syncNow', {});
    const localId = localIdOf(deskB, taskId!);
    const phoneId = await phoneOf(deskB.backend, localId);
    const { attemptId } = await deskB.call('callStart', { taskId: localId, phoneId, direction: 'inbound' });
    await deskB.call('callEvent', { attemptId, event: { type: 'answered' } });
    await recordChunks(deskB.backend, attemptId, WEBM_CHUNKS.slice(0, 3));
    // The desk goes away mid-recording (its rows stay 'recording'), then starts again on the same data.
    deskB.backend.close();
    deskB = openTestDesk(proxyB.url, deskB.dir);
    expect((await deskB.call('syncNow', {})).pendingUploads).toBe(0);
    const recording = (await api.task(lead.token, taskId!)).facts.find((f) => f.kind === 'recording')!;
    expect(recording).toMatchObject({ body: { incomplete: true }, blobPresent: true });
    expect(await blobHashOnHub(recording.blobSha256!)).toBe(recording.blobSha256);
  });

  it("the hub's notice brings a newly assigned task to the desk within seconds, with no sync asked for", async () => {
    const [taskId] = await tasksFor(li, 1);
    const arrived = () =>
      readDeskDb(
        deskB,
        (db) => db.prepare('SELECT count(*) AS n FROM tasks WHERE hub_id = ?').get(taskId) as { n: number },
      );
    await expect.poll(() => arrived().n, { timeout: 10_000, interval: 100 }).toBe(1);
  });

  it("a lead's move reaches the desk it takes the task from within seconds, through the event stream", async () => {
    const [taskId] = await tasksFor(zhang, 1);
    await deskA.call('syncNow', {});
    const onA = localIdOf(deskA, taskId!);
    expect((await deskA.call('taskSyncState', { taskId: onA })).heldByMe).toBe(true);
    await api.reassign(lead.token, [taskId!], li.user.id, 'li takes it over');
    await expect
      .poll(async () => (await deskA.call('taskSyncState', { taskId: onA })).holder?.name, {
        timeout: 10_000,
        interval: 100,
      })
      .toBe('李静');
  });

  it('the lead console through main: live answers, the last picture read-only when offline, leads only', async () => {
    const proxyL = await startTcpProxy(hub.port);
    const leadDesk = openTestDesk(proxyL.url);
    try {
      await leadDesk.call('hubLogin', { username: 'demo.lead', password: 'demo-desk-2026' });
      const live = await leadDesk.call('leadQueue', { filter: 'all', limit: 200 });
      expect(live.live).toBe(true);
      expect(live.value!.total).toBeGreaterThan(5);
      const load = await leadDesk.call('leadLoad', {});
      expect(load.value!.specialists.map((s) => s.user.name)).toEqual(
        expect.arrayContaining(['张敏', '李静']),
      );

      expect(await deskA.backend.dispatch('leadQueue', {})).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });

      await proxyL.refuse();
      const offline = await leadDesk.call('leadQueue', { filter: 'all', limit: 200 });
      expect(offline).toMatchObject({ live: false, asOf: live.asOf, value: live.value });
      const move = await leadDesk.backend.dispatch('leadReassign', {
        taskIds: [live.value!.rows[0]!.id],
        assigneeId: null,
        reason: 'offline try',
      });
      expect(move).toMatchObject({ ok: false, error: { code: 'hub_unreachable' } });
      await proxyL.heal();
      const back = await leadDesk.call('leadReassign', {
        taskIds: [live.value!.rows[0]!.id],
        assigneeId: null,
        reason: 'back to the pool',
      });
      expect(back.updated + back.skipped.length).toBe(1);

      // "Stuck" with the lead's own N, and pool tasks handed out round-robin by load.
      const stuck = await leadDesk.call('leadQueue', { filter: 'stuck', stuckDays: 365 });
      expect(stuck).toMatchObject({ live: true, value: { total: 0 } });
      const { taskIds: pool } = await api.intake(hub.apiKey, intakeTasks(2));
      const handed = await leadDesk.call('leadAutoAssign', { taskIds: pool, reason: 'morning hand-out' });
      expect(handed.updated).toBe(2);
      for (const id of pool) {
        const assignee = (await api.task(lead.token, id)).assignee?.id;
        expect([zhang.user.id, li.user.id]).toContain(assignee);
      }
    } finally {
      leadDesk.backend.close();
      await proxyL.close();
    }
  });

  it('a pull lands while an import worker writes: the worker ends its chunk for it (the write gate)', async () => {
    // One chunk for the whole file unless main asks for the database: without the gate the
    // pull would wait behind the import (or fail at busy_timeout).
    const desk = openTestDesk(hub.url, undefined, {
      importChunks: { chunkRows: 100_000, maxChunkMs: 600_000 },
    });
    try {
      await desk.call('hubLogin', { username: 'demo.li', password: 'demo-desk-2026' });
      await desk.call('syncNow', {});
      let phase = '';
      desk.backend.onEvent((name, payload) => {
        if (name === 'intakeProgress') phase = (payload as { phase: string }).phase;
      });
      const tasks = generateDemoTasks({
        count: 20_000,
        today: '2026-11-23',
        idPrefix: `GATE-${Date.now()}-`,
      });
      let running = true;
      const importing = desk
        .call('intakeImport', {
          fileName: 'big.json',
          dataBase64: Buffer.from(JSON.stringify({ tasks })).toString('base64'),
        })
        .finally(() => (running = false));
      await expect.poll(() => phase, { timeout: 20_000, interval: 20 }).toBe('importing');
      await new Promise((resolve) => setTimeout(resolve, 200)); // the chunk's transaction is open
      const [taskId] = await tasksFor(li, 1);
      expect(await desk.call('syncNow', {})).toMatchObject({ state: 'online', lastError: null });
      expect(running).toBe(true);
      expect(localIdOf(desk, taskId!)).toBeGreaterThan(0);
      expect((await importing).accepted).toBe(20_000);
      const chunks = readDeskDb(
        desk,
        (db) =>
          db.prepare("SELECT count(*) AS n FROM audit_events WHERE type = 'intake.chunk'").get() as {
            n: number;
          },
      );
      expect(chunks.n).toBeGreaterThan(1);
    } finally {
      desk.backend.close();
    }
  });

  it('a task imported on a desk alone stays local: no outbox rows', async () => {
    const file = JSON.stringify({ tasks: intakeTasks(1) });
    const report = await deskA.call('intakeImport', {
      fileName: 'local.json',
      dataBase64: Buffer.from(file).toString('base64'),
    });
    expect(report.accepted).toBe(1);
    const local = readDeskDb(
      deskA,
      (db) =>
        db.prepare('SELECT id FROM tasks WHERE hub_id IS NULL ORDER BY id DESC LIMIT 1').get() as {
          id: number;
        },
    );
    await deskA.call('callOutcome', { taskId: local.id, disposition: 'no_answer' });
    expect((await deskA.call('taskSyncState', { taskId: local.id })).hubId).toBeNull();
    expect((await deskA.call('syncStatus', {})).pendingOperations).toBe(0);
  });
});
