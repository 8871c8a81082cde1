import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeLegalEffect } from '../../../common/domain/legalEffect';
import { legalEffectFacts } from '../../send/legalFacts';
import { backend, consentOp, push } from '../../test/hubFixture';
import {
  BOUNCE_DOMAIN,
  nextMobile,
  sendOn,
  startSendWorld,
  taskWithDocuments,
  type SendWorld,
} from '../../test/sendFixture';
import { dsnFor, type ReceivedMail } from '../../test/smtpSink';

// An e-mail the receiving server accepted and later bounced: the DSN comes back to the message's
// VERP address through the hub's SMTP bounce listener.

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

describe(`hub: e-mail bounces after acceptance (${backend})`, () => {
  let world: SendWorld;
  let relay: { host: string; port: number };
  beforeAll(async () => {
    world = await startSendWorld();
    relay = { host: '127.0.0.1', port: world.app.bounces!.port };
  });
  afterAll(async () => {
    await world.close();
  });

  const messageRow = async (id: string) =>
    (
      await world.app.db.query<{ status: string; failure_reason: string | null; delivered_at: Date | null }>(
        'SELECT status, failure_reason, delivered_at FROM messages WHERE id = $1',
        [id],
      )
    )[0]!;
  const eventsOf = (id: string) =>
    world.app.db.query<{ kind: string; blob_sha256: string | null; details: Record<string, unknown> }>(
      'SELECT kind, blob_sha256, details FROM message_events WHERE message_id = $1 ORDER BY at, id',
      [id],
    );

  /** A task consented on the recorded call, sent by e-mail (and SMS when a phone is given). */
  async function consentedSend(address: string, phone?: string) {
    const task = await taskWithDocuments(world, world.specA1, {
      email: address,
      ...(phone ? { phone } : {}),
    });
    const pushed = await push(world.app, world.specA1, uuidv7(), [
      consentOp(task.taskId, 1, { channel: 'email', address, recordingSha256: sha256('the recorded call') }),
    ]);
    expect(pushed.body.results[0]!.status).toBe('applied');
    const sent = await sendOn(world, world.specA1, {
      taskId: task.taskId,
      channels: [
        { channel: 'email', address },
        ...(phone ? [{ channel: 'sms' as const, address: phone }] : []),
      ],
      documents: [task.documents[0]!.sha256],
    });
    expect(sent.status).toBe(200);
    const email = sent.body.messages.find((m) => m.channel === 'email')!;
    expect(email.status).toBe('delivered');
    return { task, email, mail: await world.smtp.waitForMail(address) };
  }

  it('records a DSN as the failure with its status and diagnostic; the effect no longer rests on the acceptance', async () => {
    const { task, email, mail } = await consentedSend('moved@example.test');
    const before = computeLegalEffect(await legalEffectFacts(world.app.db, task.taskId));
    expect(before).toMatchObject({ effective: true, rule: 'arrival_on_consent' });

    const bounce = {
      relay,
      arrivedAt: new Date(),
      status: '5.1.1',
      diagnostic: 'smtp; 550 5.1.1 <moved@example.test>: Recipient address rejected: User unknown',
    };
    const answer = await world.smtp.bounce(mail, bounce);
    expect(answer).toMatch(/^250/);

    const row = await messageRow(email.id);
    expect(row.status).toBe('failed');
    expect(row.failure_reason).toBe(
      '5.1.1 550 5.1.1 <moved@example.test>: Recipient address rejected: User unknown',
    );
    // The acceptance stays on record; the bounce is a new event citing the DSN kept as a blob.
    expect(row.delivered_at).not.toBeNull();
    const events = await eventsOf(email.id);
    expect(events.map((e) => e.kind)).toEqual(['accepted', 'sent', 'delivered', 'failed']);
    const failed = events.at(-1)!;
    expect(failed.details).toMatchObject({
      reason: row.failure_reason,
      dsn: { status: '5.1.1', finalRecipient: 'moved@example.test', reportingMta: 'mx.sink.test' },
    });
    const blob = await world.app.db.query<{ data: Uint8Array }>('SELECT data FROM blobs WHERE sha256 = $1', [
      failed.blob_sha256,
    ]);
    expect(Buffer.from(blob[0]!.data).toString('utf8')).toContain('Status: 5.1.1');
    expect(sha256(blob[0]!.data)).toBe(failed.blob_sha256);

    const after = computeLegalEffect(await legalEffectFacts(world.app.db, task.taskId));
    expect(after).toMatchObject({ effective: false, rule: 'undelivered', serviceDate: null });
    expect(after.facts.find((f) => f.kind === 'failure')).toMatchObject({
      channel: 'email',
      detail: row.failure_reason,
    });

    // The gateway relaying the same report again (a new envelope around it) records nothing more.
    expect(await world.smtp.bounce(mail, bounce)).toMatch(/^250/);
    expect((await eventsOf(email.id)).filter((e) => e.kind === 'failed')).toHaveLength(1);
  });

  it('after a bounce, the SMS that arrived is what the effect rests on', async () => {
    const phone = nextMobile();
    const { task, email, mail } = await consentedSend('bounced-too@example.test', phone);
    const sms = await world.carrier.waitForSms(phone);
    await world.carrier.waitForAck(sms.bizId);
    await world.smtp.bounce(mail, { relay, status: '5.2.2', diagnostic: 'smtp; 552 5.2.2 mailbox full' });
    expect((await messageRow(email.id)).status).toBe('failed');
    const effect = computeLegalEffect(await legalEffectFacts(world.app.db, task.taskId));
    expect(effect).toMatchObject({ effective: true, rule: 'arrival_on_consent' });
    expect(effect.facts.filter((f) => f.kind === 'arrival').map((f) => f.channel)).toEqual(['sms']);
  });

  it('a bounce recorded before the hub recorded the acceptance (a fast relay) still stands', async () => {
    const { task, email, mail } = await consentedSend('fast-bounce@example.test');
    await world.smtp.bounce(mail, { relay, status: '5.1.1' });
    // As if the DSN had come in before the hand-over's answer was recorded: the bounce first.
    await world.app.db.query(
      `UPDATE message_events SET at = (SELECT min(at) FROM message_events WHERE message_id = $1 AND kind = 'sent')
              - interval '1 millisecond'
        WHERE message_id = $1 AND kind = 'failed'`,
      [email.id],
    );
    const kinds = (await eventsOf(email.id)).map((e) => e.kind);
    expect(kinds.indexOf('failed')).toBeLessThan(kinds.indexOf('delivered'));
    const effect = computeLegalEffect(await legalEffectFacts(world.app.db, task.taskId));
    expect(effect).toMatchObject({ effective: false, rule: 'undelivered' });
  });

  it('a delay notice changes nothing', async () => {
    const { email, mail } = await consentedSend('slow@example.test');
    expect(await world.smtp.bounce(mail, { relay, action: 'delayed', status: '4.4.7' })).toMatch(/^250/);
    expect((await messageRow(email.id)).status).toBe('delivered');
    expect((await eventsOf(email.id)).map((e) => e.kind)).not.toContain('failed');
  });

  it('refuses what is not a DSN, another address, another message, and an unknown id, changing nothing', async () => {
    const { email, mail } = await consentedSend('kept@example.test');
    const transport = nodemailer.createTransport({ ...relay, ignoreTLS: true });
    const refused = async (to: string, raw: string) => {
      const error = await transport.sendMail({ envelope: { from: '', to }, raw }).catch((e: unknown) => e);
      return (error as { response?: string }).response ?? 'accepted';
    };
    const own = `bounce+${email.id}@${BOUNCE_DOMAIN}`;
    const autoReply = 'From: kept@example.test\r\nSubject: Out of office\r\n\r\nI am away.\r\n';
    expect(await refused(own, autoReply)).toMatch(/^550 5\.6\.0/);
    expect(await refused(`postmaster@${BOUNCE_DOMAIN}`, dsnFor(mail))).toMatch(/^550 5\.1\.1/);
    expect(await refused(`bounce+${email.id}@elsewhere.example`, dsnFor(mail))).toMatch(/^550 5\.1\.1/);
    expect(await refused(`bounce+${uuidv7()}@${BOUNCE_DOMAIN}`, dsnFor(mail))).toMatch(
      /^550 5\.1\.1 no such/,
    );
    const other: ReceivedMail = { ...mail, messageId: '<someone-else@court.example>' };
    expect(await refused(own, dsnFor(other))).toMatch(/^550 5\.7\.1/);
    transport.close();
    expect((await messageRow(email.id)).status).toBe('delivered');
    expect((await eventsOf(email.id)).map((e) => e.kind)).toEqual(['accepted', 'sent', 'delivered']);
  });
});
