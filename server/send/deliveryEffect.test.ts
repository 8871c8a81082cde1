import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeLegalEffect, LegalEffectSchema } from '../../common/domain/legalEffect';
import { TaskSnapshot } from '../../common/sync/protocol';
import { backend, bearer, consentOp, push, taskEventOp } from '../test/hubFixture';
import { nextMobile, sendOn, startSendWorld, taskWithDocuments, type SendWorld } from '../test/sendFixture';
import { legalEffectFacts } from './legalFacts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe(`hub: a task moves to delivered on its legal effect (${backend})`, () => {
  let world: SendWorld;
  beforeAll(async () => {
    world = await startSendWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  const snapshot = async (taskId: string) => {
    const response = await world.app.inject({
      method: 'GET',
      url: `/sync/tasks/${taskId}`,
      headers: bearer(world.specA1),
    });
    return TaskSnapshot.parse(response.json());
  };
  /** The snapshot once `ready` holds (the carrier's report arrives on its own). */
  const snapshotWhen = async (taskId: string, ready: (s: TaskSnapshot) => boolean) => {
    for (let i = 0; i < 200; i += 1) {
      const s = await snapshot(taskId);
      if (ready(s)) return s;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the snapshot never got there');
  };

  /** A task the party consented to on a recorded call, as a desk pushes it. */
  async function consentedTask(phone: string) {
    const task = await taskWithDocuments(world, world.specA1, { phone });
    const pushed = await push(world.app, world.specA1, uuidv7(), [
      taskEventOp(task.taskId, 1, 'start_work'),
      taskEventOp(task.taskId, 2, 'record_consent'),
      consentOp(task.taskId, 3, { channel: 'sms', address: phone, recordingSha256: sha256(`call ${phone}`) }),
    ]);
    expect(pushed.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    return task;
  }

  it('sends (consented → sent) and delivers on the carrier’s report, keeping the effect', async () => {
    const phone = nextMobile();
    const task = await consentedTask(phone);
    const sent = await sendOn(world, world.specA1, {
      taskId: task.taskId,
      channels: [{ channel: 'sms', address: phone }],
      documents: task.documents.map((d) => d.sha256),
    });
    expect(sent.status).toBe(200);
    const delivered = await snapshotWhen(task.taskId, (s) => s.status === 'delivered');
    const message = delivered.messages![0]!;
    expect(message.status).toBe('delivered');
    const effect = LegalEffectSchema.parse(delivered.legalEffect);
    expect(effect).toMatchObject({
      effective: true,
      basis: 'confirmed',
      rule: 'arrival_on_consent',
      serviceDate: message.deliveredAt,
    });
    // (Sorted by time: the carrier's report time has whole seconds, so it may sort first.)
    expect(effect.facts.map((f) => f.kind).sort()).toEqual(['arrival', 'consent_on_call', 'sent']);
    // The one rule, over the same facts: what the hub kept is computeLegalEffect's answer.
    const facts = await legalEffectFacts(world.app.db, task.taskId);
    expect(effect).toEqual(JSON.parse(JSON.stringify(computeLegalEffect(facts))));
    const [row] = await world.app.db.query<{ rule: string; basis: string; service_date: Date }>(
      'SELECT rule, basis, service_date FROM delivery_effects WHERE task_id = $1',
      [task.taskId],
    );
    expect(row).toMatchObject({ rule: 'arrival_on_consent', basis: 'confirmed' });
    expect(row!.service_date.toISOString()).toBe(message.deliveredAt);
    const moves = await world.app.db.query<{ details: { event: { type: string }; to: string } }>(
      `SELECT details FROM hub_audit WHERE task_id = $1 AND action = 'task.transition' ORDER BY at, id`,
      [task.taskId],
    );
    expect(moves.map((m) => m.details.to)).toEqual(['in_progress', 'consented', 'sent', 'delivered']);
  });

  it('keeps an undelivered SMS’s task sent, with the failure as the reason', async () => {
    const phone = nextMobile();
    world.carrier.behave(phone, { report: 'undelivered' });
    const task = await consentedTask(phone);
    await sendOn(world, world.specA1, {
      taskId: task.taskId,
      channels: [{ channel: 'sms', address: phone }],
      documents: [task.documents[0]!.sha256],
    });
    const failed = await snapshotWhen(task.taskId, (s) => s.messages?.[0]?.status === 'failed');
    expect(failed.status).toBe('sent');
    expect(failed.legalEffect).toMatchObject({ effective: false, rule: 'undelivered', serviceDate: null });
    expect(failed.messages![0]!.failureReason).toBeTruthy();
  });

  it('leaves a task without consent where the task machine has it, and still judges the effect', async () => {
    const phone = nextMobile();
    const task = await taskWithDocuments(world, world.specA1, { phone });
    await sendOn(world, world.specA1, {
      taskId: task.taskId,
      channels: [{ channel: 'sms', address: phone }],
      documents: [task.documents[0]!.sha256],
    });
    const s = await snapshotWhen(task.taskId, (x) => x.messages?.[0]?.status === 'delivered');
    expect(s.status).toBe('assigned');
    expect(s.legalEffect).toMatchObject({ effective: false, rule: 'awaiting_reply' });
  });
});
