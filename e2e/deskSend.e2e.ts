import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskSending } from '../common/contract';
import type { LoginResponse } from '../common/sync/hubApi';
import { Database } from '../native/sqlite';
import { finishRecording, recordChunks, WEBM_CHUNKS } from '../main/evidence/testing/deskFixture';
import { openTestDesk } from '../main/sync/testing/desks';
import { startTcpProxy, type TcpProxy } from '../main/sync/testing/tcpProxy';
import { PASSWORD } from '../server/test/hubFixture';
import {
  ackedSms,
  nextMobile,
  startSendWorld,
  taskWithDocuments,
  type SendWorld,
} from '../server/test/sendFixture';

// The desk's send step against a real hub (PGlite) with the fake carrier and the SMTP sink, no
// browser: consent on a recorded call reaches the hub before the send; an undelivered SMS offers
// the next channel and postal escalation; a send made offline goes out exactly once after the desk
// reconnects, even when the connection drops while the hub answers.

let world: SendWorld;
let proxy: TcpProxy;
let desk: ReturnType<typeof openTestDesk>;

beforeAll(async () => {
  world = await startSendWorld();
  proxy = await startTcpProxy(Number(new URL(world.url).port));
  desk = openTestDesk(proxy.url);
  await desk.call('hubLogin', { username: world.specA1.user.username, password: PASSWORD });
}, 120_000);

afterAll(async () => {
  desk?.backend.close();
  await proxy?.close();
  await world?.close();
});

function localId(hubId: string): number {
  const db = new Database(join(desk.dir, 'desk.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT id FROM tasks WHERE hub_id = ?').get(hubId) as { id: number }).id;
  } finally {
    db.close();
  }
}

/** A hub task with documents, pulled; the party answers (inbound: no calling-hours check) and consents. */
async function consentedTask(phone: string, email = `p${phone}@example.test`) {
  const task = await taskWithDocuments(world, world.specA1, { phone, email });
  await desk.call('syncNow', {});
  const taskId = localId(task.taskId);
  const detail = await desk.call('taskGet', { taskId });
  const phoneId = detail.party.phones[0]!.id;
  const { attemptId } = await desk.call('callStart', { taskId, phoneId, direction: 'inbound' });
  const recordingId = await recordChunks(desk.backend, attemptId, WEBM_CHUNKS);
  await desk.call('recordingMark', { recordingId, stepId: 'consent_address', offsetMs: 1200 });
  await desk.call('callOutcome', {
    taskId,
    attemptId,
    disposition: 'connected_consented',
    consentAddress: { phoneId, email },
  });
  // The recording is finalised after the outcome here: its consent waits for the final hash.
  const before = await desk.call('taskSending', { taskId });
  expect(before.consent).toMatchObject({ waitingForRecording: true });
  const recording = await finishRecording(desk.backend, recordingId);
  return { task, taskId, recording };
}

async function sendingWhen(taskId: number, ready: (s: TaskSending) => boolean): Promise<TaskSending> {
  for (let i = 0; i < 200; i += 1) {
    await desk.call('syncNow', {});
    const sending = await desk.call('taskSending', { taskId });
    if (ready(sending)) return sending;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the send step never got there');
}

const hubSnapshot = async (member: LoginResponse | SendWorld['specA1'], hubTaskId: string) =>
  (
    await fetch(`${world.url}/sync/tasks/${hubTaskId}`, {
      headers: { authorization: `Bearer ${member.token}` },
    })
  ).json() as Promise<{
    status: string;
    facts: { kind: string; body: Record<string, unknown> }[];
    messages: { channel: string; status: string; sendId: string }[];
  }>;

describe('desk send step ↔ hub', () => {
  it('pushes the consent with the final recording hash first, sends by SMS and e-mail, and ends delivered', async () => {
    const phone = nextMobile();
    const { task, taskId, recording } = await consentedTask(phone);
    const step = await desk.call('taskSending', { taskId });
    expect(step.consent).toMatchObject({ waitingForRecording: false, recordingSha256: recording.sha256 });
    expect(step.channels.map((c) => [c.channel, c.addressMasked])).toEqual([
      ['sms', `${phone.slice(0, 3)}****${phone.slice(-4)}`],
      ['email', expect.stringMatching(/^p\*\*\*\d@example\.test$/)],
    ]);
    const preview = await desk.call('sendPreview', {
      taskId,
      channels: ['sms', 'email'],
      documents: step.documents.map((d) => d.sha256),
    });
    expect(preview.messages.map((m) => m.channel)).toEqual(['sms', 'email']);
    expect(preview.messages[0]!.content).toContain('民事判决书');

    const queued = await desk.call('sendQueue', {
      taskId,
      channels: ['sms', 'email'],
      documents: step.documents.map((d) => d.sha256),
    });
    expect(queued.state).toBe('queued');
    const delivered = await sendingWhen(taskId, (s) => s.legalEffect?.effective === true);
    expect(delivered.sends[0]).toMatchObject({ sendId: queued.sendId, state: 'accepted' });
    expect(delivered.sends[0]!.checkCode).toMatch(/^\d{4}$/);
    expect(delivered.legalEffect).toMatchObject({ rule: 'arrival_on_consent', basis: 'confirmed' });
    expect((await desk.call('taskGet', { taskId })).status).toBe('delivered');

    const onHub = await hubSnapshot(world.specA1, task.taskId);
    const consents = onHub.facts.filter((f) => f.kind === 'consent');
    expect(consents.map((c) => c.body.channel).sort()).toEqual(['email', 'sms']);
    expect(consents[0]!.body).toMatchObject({ recordingSha256: recording.sha256, markOffsetMs: 1200 });
    expect(onHub.status).toBe('delivered');
    expect(onHub.messages.map((m) => m.channel).sort()).toEqual(['email', 'sms']);
    const sms = await ackedSms(world, phone);
    expect(sms.params.checkCode ?? sms.text).toContain(delivered.sends[0]!.checkCode!);
  });

  it('shows an undelivered SMS as failed and offers e-mail next, or postal service', async () => {
    const phone = nextMobile();
    world.carrier.behave(phone, { report: 'undelivered' });
    const { taskId } = await consentedTask(phone);
    const step = await desk.call('taskSending', { taskId });
    await desk.call('sendQueue', { taskId, channels: ['sms'], documents: [step.documents[0]!.sha256] });
    const failed = await sendingWhen(taskId, (s) => s.messages[0]?.status === 'failed');
    expect(failed.messages[0]!.failureReason).toBeTruthy();
    expect(failed.nextStep).toEqual({ channel: 'email', escalate: true });
    expect(failed.legalEffect).toMatchObject({ effective: false, rule: 'undelivered' });
    expect(await desk.call('sendEscalatePostal', { taskId })).toEqual({ status: 'postal_pending' });
  });

  it('keeps a send made offline queued, and sends it exactly once after a drop mid-answer', async () => {
    const phone = nextMobile();
    const { task, taskId } = await consentedTask(phone);
    await desk.call('syncNow', {}); // the consent reaches the hub
    await proxy.refuse();
    const step = await desk.call('taskSending', { taskId });
    const queued = await desk.call('sendQueue', {
      taskId,
      channels: ['sms'],
      documents: [step.documents[0]!.sha256],
    });
    // The indicator and the task count the waiting send as a change not yet at the center.
    expect(await desk.call('syncNow', {})).toMatchObject({ state: 'offline', pendingOperations: 1 });
    expect(await desk.call('taskSyncState', { taskId })).toMatchObject({ pendingOperations: 1 });
    expect((await desk.call('taskSending', { taskId })).sends[0]).toMatchObject({ state: 'queued' });
    // Back online, the hub makes and sends the message, but its answer never reaches the desk
    // (the background sync may get there first: either way one post is cut).
    const cutsBefore = proxy.cuts;
    proxy.dropResponse('/send/messages');
    await proxy.heal();
    const accepted = await sendingWhen(taskId, (s) => s.sends[0]?.state === 'accepted');
    expect(accepted.sends[0]!.sendId).toBe(queued.sendId);
    expect(await desk.call('syncStatus', {})).toMatchObject({ pendingOperations: 0 });
    const onHub = await hubSnapshot(world.specA1, task.taskId);
    expect(onHub.messages.filter((m) => m.sendId === queued.sendId)).toHaveLength(1);
    await ackedSms(world, phone);
    expect(world.carrier.sent.filter((s) => s.phone === phone)).toHaveLength(1);
    expect(proxy.cuts).toBe(cutsBefore + 1);
    const posts = proxy.requests.filter((line) => line.includes('/send/messages'));
    expect(posts.length).toBeGreaterThanOrEqual(2); // the cut one, and the one answered `replayed`
  });

  it('posts a send only after the consent queued before it has reached the hub', async () => {
    const phone = nextMobile();
    const seen = proxy.requests.length;
    // The push carrying the consent is answered into the void: the desk cannot know it is there.
    proxy.dropResponse('/sync/push');
    const { task, taskId } = await consentedTask(phone);
    const step = await desk.call('taskSending', { taskId });
    await desk.call('sendQueue', { taskId, channels: ['sms'], documents: [step.documents[0]!.sha256] });
    const accepted = await sendingWhen(taskId, (s) => s.sends[0]?.state === 'accepted');
    expect(accepted.sends).toHaveLength(1);
    // The send went only after a push that was answered: the cut one, then at least one more.
    const later = proxy.requests.slice(seen);
    const firstSend = later.findIndex((line) => line.includes('/send/messages'));
    expect(
      later.slice(0, firstSend).filter((line) => line.includes('/sync/push')).length,
    ).toBeGreaterThanOrEqual(2);
    const onHub = await hubSnapshot(world.specA1, task.taskId);
    expect(onHub.facts.filter((f) => f.kind === 'consent')).toHaveLength(2);
    expect(onHub.messages).toHaveLength(1);
  });
});
