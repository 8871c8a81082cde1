import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SERVICE_MESSAGES } from '../../../common/domain/legalEffect';
import type { MessageView } from '../../../common/sync/send';
import { legalEffectFacts } from '../../send/legalFacts';
import { send } from '../../send/sendService';
import { backend, bearer } from '../../test/hubFixture';
import {
  BOUNCE_DOMAIN,
  HOTLINE,
  nextMobile,
  SENDER_MAILBOX,
  SENDER_NUMBER,
  sendOn,
  startSendWorld,
  taskSentBySms,
  taskWithDocuments,
  tokenIn,
  ackedSms,
  type SendWorld,
} from '../../test/sendFixture';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe(`hub: sending by e-mail and SMS (${backend})`, () => {
  let world: SendWorld;
  beforeAll(async () => {
    world = await startSendWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  const row = async (id: string) =>
    (
      await world.app.db.query<{ content_sha256: string; link_token_sha256: string; sent_at: Date }>(
        'SELECT content_sha256, link_token_sha256, sent_at FROM messages WHERE id = $1',
        [id],
      )
    )[0]!;
  const pulledMessages = async (taskId: string): Promise<MessageView[]> => {
    const response = await world.app.inject({
      method: 'GET',
      url: `/sync/tasks/${taskId}`,
      headers: bearer(world.specA1),
    });
    return response.json().messages;
  };
  /** A new task of spec.a1's for `phone`, and a request to send its first document by SMS (own send id). */
  const smsOfFirstDocument = async (phone: string) => {
    const task = await taskWithDocuments(world, world.specA1, { phone });
    const request = {
      sendId: uuidv7(),
      taskId: task.taskId,
      channels: [{ channel: 'sms' as const, address: phone }],
      documents: [task.documents[0]!.sha256],
    };
    return { task, request };
  };

  it('refuses a send past the most messages one service may hold, and changes nothing', async () => {
    const phone = nextMobile();
    const { task, request } = await smsOfFirstDocument(phone);
    const { sendId: _once, ...again } = request; // each round its own send id
    for (let i = 0; i < MAX_SERVICE_MESSAGES; i++) {
      const sent = await sendOn(world, world.specA1, again);
      expect(sent.status).toBe(200);
    }
    const refused = await sendOn(world, world.specA1, again);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain('at most');
    const [count] = await world.app.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM messages WHERE task_id = $1',
      [task.taskId],
    );
    expect(count!.n).toBe(MAX_SERVICE_MESSAGES);
  });

  it('e-mails the exact content with the link; the mail server accepting it is delivery', async () => {
    const task = await taskWithDocuments(world, world.specA1, { email: 'party@example.test' });
    const sent = await sendOn(world, world.specA1, {
      taskId: task.taskId,
      channels: [{ channel: 'email', address: 'party@example.test' }],
      documents: task.documents.map((d) => d.sha256),
    });
    expect(sent.status).toBe(200);
    expect(sent.body.checkCode).toMatch(/^\d{4}$/);
    const [message] = sent.body.messages;
    expect(message).toMatchObject({
      channel: 'email',
      address: 'party@example.test',
      sender: SENDER_MAILBOX,
      status: 'delivered',
      failureReason: null,
      documents: task.documents.map((d) => expect.objectContaining({ title: d.title, sha256: d.sha256 })),
    });
    expect(message!.sentAt).not.toBeNull();
    expect(message!.deliveredAt).not.toBeNull();

    const mail = await world.smtp.waitForMail('party@example.test');
    // The envelope sender names the message (VERP), so a later bounce finds it; the From is the mailbox.
    expect(mail.from).toBe(`bounce+${message!.id}@${BOUNCE_DOMAIN}`);
    expect((mail.headers.get('from') as { text: string }).text).toBe(SENDER_MAILBOX);
    expect(mail.subject).toBe(message!.subject);
    const token = tokenIn(mail.text);
    expect(token.length).toBeGreaterThanOrEqual(43); // 256 random bits, base64url
    // The record keeps the text with the token as {token}; the hash covers the exact text sent.
    const exact = message!.content.replace('{token}', token);
    expect(mail.text.trim()).toBe(exact.trim());
    const stored = await row(message!.id);
    expect(stored.content_sha256).toBe(sha256(exact));
    expect(stored.link_token_sha256).toBe(sha256(token));
    expect(mail.text).toContain(`${world.url}/p/${token}`);
    expect(mail.text).toContain(sent.body.checkCode);
    expect(mail.text).toContain(HOTLINE);
    expect(mail.text).toContain('《民事判决书》');
    expect(mail.text).toContain('纸质文书');
  });

  it('sends an SMS through the carrier; its delivery report moves the status, seen by sync', async () => {
    const phone = nextMobile();
    const task = await taskWithDocuments(world, world.specA1, { phone });
    const sent = await sendOn(world, world.specA1, {
      taskId: task.taskId,
      channels: [
        { channel: 'sms', address: `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}` },
      ],
      documents: [task.documents[1]!.sha256],
    });
    expect(sent.status).toBe(200);
    const [message] = sent.body.messages;
    expect(message).toMatchObject({ channel: 'sms', address: phone, sender: SENDER_NUMBER });
    const sms = await world.carrier.waitForSms(phone);
    expect(sms.templateCode).toBe('DD_SMS_GENERAL');
    expect(sms.params.checkCode).toBe(sent.body.checkCode);
    const token = tokenIn(sms.text);
    expect(sms.text).toBe(message!.content.replace('{token}', token));
    expect((await row(message!.id)).content_sha256).toBe(sha256(sms.text));

    await world.carrier.waitForAck(sms.bizId);
    const [pulled] = await pulledMessages(task.taskId);
    expect(pulled).toMatchObject({ id: message!.id, status: 'delivered' });
    // The report may reach the hub before the carrier's answer to the send is recorded.
    expect(pulled!.events.map((e) => e.kind).sort()).toEqual(['accepted', 'delivered', 'sent']);
    expect(pulled!.deliveredAt).not.toBeNull();
  });

  it('keeps a delivery report that arrives before the carrier’s answer to the send', async () => {
    const phone = nextMobile();
    world.carrier.behave(phone, { reportFirst: true });
    const { sent } = await taskSentBySms(world, phone, 'first');
    const sms = await world.carrier.waitForSms(phone);
    expect(world.carrier.acknowledged).toContain(sms.bizId);
    expect(sent.body.messages[0]).toMatchObject({ status: 'delivered' });
    expect(sent.body.messages[0]!.deliveredAt).not.toBeNull();
  });

  it('never sends twice for one send id, even when the send is retried', async () => {
    const phone = nextMobile();
    const { task, request } = await smsOfFirstDocument(phone);
    const first = await sendOn(world, world.specA1, request);
    const again = await sendOn(world, world.specA1, request);
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body.replayed).toBe(true);
    expect(again.body.messages.map((m) => m.id)).toEqual(first.body.messages.map((m) => m.id));
    await world.carrier.waitForSms(phone);
    expect(world.carrier.sent.filter((s) => s.phone === phone)).toHaveLength(1);
    const count = await world.app.db.query('SELECT 1 FROM messages WHERE send_id = $1', [request.sendId]);
    expect(count).toHaveLength(1);

    const other = await sendOn(world, world.specA1, { ...request, documents: [task.documents[1]!.sha256] });
    expect(other.status).toBe(409);
  });

  it('completes a send an outage cut off after it was accepted: the retry hands it over once', async () => {
    const phone = nextMobile();
    const { request } = await smsOfFirstDocument(phone);
    // The database goes away right after the send was committed, before any hand-over.
    let transactions = 0;
    const db = world.app.db;
    const cutOff = {
      ...db,
      transaction: <T>(work: Parameters<typeof db.transaction<T>>[0]) => {
        transactions += 1;
        if (transactions > 1) return Promise.reject(new Error('connection lost'));
        return db.transaction(work);
      },
    };
    await expect(
      send(
        { db: cutOff, config: world.app.config.send, channels: world.app.channels },
        world.specA1.user,
        request,
      ),
    ).rejects.toThrow('connection lost');
    expect(world.carrier.sent.filter((s) => s.phone === phone)).toHaveLength(0);

    const retried = await sendOn(world, world.specA1, request);
    expect(retried.body.replayed).toBe(true);
    expect(['sent', 'delivered']).toContain(retried.body.messages[0]!.status);
    const again = await sendOn(world, world.specA1, request);
    expect(again.body.replayed).toBe(true);
    await world.carrier.waitForSms(phone);
    expect(world.carrier.sent.filter((s) => s.phone === phone)).toHaveLength(1);
  });

  it('a send whose connection dropped, retried with its send id at once and later, sends once', async () => {
    const phone = nextMobile();
    // The carrier answers late, so the desk's connection drops while the hub is handing over.
    world.carrier.behave(phone, { delayMs: 600 });
    const { request } = await smsOfFirstDocument(phone);
    const post = (signal?: AbortSignal) =>
      fetch(`${world.url}/send/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(world.specA1) },
        body: JSON.stringify(request),
        ...(signal ? { signal } : {}),
      });
    // The connection drops once the hub has taken the message for its carrier.
    const drop = new AbortController();
    const first = post(drop.signal);
    for (;;) {
      const taken = await world.app.db.query<{ status: string }>(
        'SELECT status FROM messages WHERE send_id = $1',
        [request.sendId],
      );
      if (taken[0]?.status === 'sending') break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    drop.abort();
    await expect(first).rejects.toThrow();
    // The retry while the first hand-over is still in flight answers the same message, sending nothing.
    const during = await post();
    expect(during.status).toBe(200);
    const duringBody = (await during.json()) as { replayed: boolean; messages: MessageView[] };
    expect(duringBody.replayed).toBe(true);
    expect(duringBody.messages).toHaveLength(1);
    const sms = await ackedSms(world, phone);
    const after = (await (await post()).json()) as { replayed: boolean; messages: MessageView[] };
    expect(after.replayed).toBe(true);
    expect(after.messages[0]).toMatchObject({ id: duringBody.messages[0]!.id, status: 'delivered' });
    expect(world.carrier.sent.filter((s) => s.phone === phone)).toEqual([sms]);
    const rows = await world.app.db.query<{ id: string }>('SELECT id FROM messages WHERE send_id = $1', [
      request.sendId,
    ]);
    expect(rows.map((r) => r.id)).toEqual([duringBody.messages[0]!.id]);
    const events = await world.app.db.query<{ kind: string }>(
      'SELECT kind FROM message_events WHERE message_id = $1 ORDER BY at, id',
      [rows[0]!.id],
    );
    expect(events.map((e) => e.kind).filter((k) => k === 'accepted' || k === 'sent')).toEqual([
      'accepted',
      'sent',
    ]);
  });

  it('keeps a failed hand-over final for its send id: a retry does not send it again', async () => {
    const phone = nextMobile();
    const { request } = await smsOfFirstDocument(phone);
    world.carrier.behave(phone, { fail: 'http' });
    const failed = await sendOn(world, world.specA1, request);
    expect(failed.body.messages[0]).toMatchObject({
      status: 'failed',
      failureReason: 'carrier answered HTTP 503',
    });
    // A failed hand-over is final for this send id: a retry does not send it again.
    world.carrier.behave(phone, {});
    const retried = await sendOn(world, world.specA1, request);
    expect(retried.body.messages[0]!.status).toBe('failed');
    expect(world.carrier.sent.filter((s) => s.phone === phone)).toHaveLength(0);
  });

  it('records an undelivered SMS and a bounced e-mail with their reasons', async () => {
    const phone = nextMobile();
    world.carrier.behave(phone, { report: 'undelivered' });
    world.smtp.refuse('gone@example.test');
    const task = await taskWithDocuments(world, world.specA1, { phone, email: 'gone@example.test' });
    const sent = await sendOn(world, world.specA1, {
      taskId: task.taskId,
      channels: [
        { channel: 'sms', address: phone },
        { channel: 'email', address: 'gone@example.test' },
      ],
      documents: [task.documents[0]!.sha256],
    });
    expect(sent.status).toBe(200);
    const email = sent.body.messages.find((m) => m.channel === 'email')!;
    expect(email.status).toBe('failed');
    expect(email.failureReason).toMatch(/550/);
    const sms = await world.carrier.waitForSms(phone);
    await world.carrier.waitForAck(sms.bizId);
    const pulled = await pulledMessages(task.taskId);
    const smsView = pulled.find((m) => m.channel === 'sms')!;
    expect(smsView.status).toBe('failed');
    expect(smsView.failureReason).toContain('MK:0001');
    expect(smsView.events.map((e) => e.kind).sort()).toEqual(['accepted', 'failed', 'sent']);
    // The legal effect is judged on the SMS's failure and its reason; the refused e-mail was never sent.
    const facts = await legalEffectFacts(world.app.db, task.taskId);
    expect(facts.channels.map((c) => [c.channel, c.report?.outcome])).toEqual([['sms', 'failed']]);
    expect(facts.channels.find((c) => c.channel === 'sms')!.report).toMatchObject({
      reason: expect.stringContaining('用户手机关机或停机'),
    });
  });

  it('waits for a slow carrier, and still takes its report', async () => {
    const phone = nextMobile();
    world.carrier.behave(phone, { delayMs: 300 });
    const { task, sent } = await taskSentBySms(world, phone, 'first');
    expect(['sent', 'delivered']).toContain(sent.body.messages[0]!.status);
    const sms = await world.carrier.waitForSms(phone);
    await world.carrier.waitForAck(sms.bizId);
    expect((await pulledMessages(task.taskId))[0]!.status).toBe('delivered');
  });

  it('records a carrier refusal with its reason', async () => {
    const phone = nextMobile();
    world.carrier.behave(phone, { fail: 'code' });
    const { sent } = await taskSentBySms(world, phone, 'first');
    expect(sent.body.messages[0]).toMatchObject({ status: 'failed' });
    expect(sent.body.messages[0]!.failureReason).toContain('isv.BUSINESS_LIMIT_CONTROL');
  });

  it('sends only on the specialist’s own task, and writes nothing otherwise', async () => {
    const task = await taskWithDocuments(world, world.specA1);
    const body = {
      taskId: task.taskId,
      channels: [{ channel: 'sms' as const, address: nextMobile() }],
      documents: [task.documents[0]!.sha256],
    };
    expect((await sendOn(world, world.specA2, body)).status).toBe(403);
    expect((await sendOn(world, world.specB, body)).status).toBe(403);
    expect((await sendOn(world, world.leadA, body)).status).toBe(403);
    const unknownDoc = await sendOn(world, world.specA1, { ...body, documents: ['0'.repeat(64)] });
    expect(unknownDoc.status).toBe(409);
    const rows = await world.app.db.query('SELECT 1 FROM messages WHERE task_id = $1', [task.taskId]);
    expect(rows).toHaveLength(0);
  });

  it('previews the exact text with placeholders for the token and the check code', async () => {
    const task = await taskWithDocuments(world, world.specA1);
    const response = await world.app.inject({
      method: 'POST',
      url: '/send/preview',
      headers: bearer(world.specA1),
      payload: {
        taskId: task.taskId,
        channels: [{ channel: 'sms', address: '13812345678' }],
        documents: [task.documents[0]!.sha256],
      },
    });
    expect(response.statusCode).toBe(200);
    const [preview] = response.json().messages;
    expect(preview.content).toContain(`${world.url}/p/{token}`);
    expect(preview.content).toContain('核验码····');
  });

  it('revokes a link for the task’s specialist or lead only; the portal then says revoked', async () => {
    const phone = nextMobile();
    const { sent } = await taskSentBySms(world, phone, 'first');
    const token = tokenIn((await world.carrier.waitForSms(phone)).text);
    const revoke = (member: typeof world.specA1) =>
      world.app.inject({
        method: 'POST',
        url: `/send/messages/${sent.body.messages[0]!.id}/revoke`,
        headers: bearer(member),
        payload: { reason: 'wrong number' },
      });
    expect((await revoke(world.leadB)).statusCode).toBe(403);
    expect((await revoke(world.specA2)).statusCode).toBe(403);
    const revoked = await revoke(world.leadA);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().events.map((e: { kind: string }) => e.kind)).toContain('revoked');
    const opened = await world.app.inject({ method: 'POST', url: '/portal/api/open', payload: { token } });
    expect(opened.json()).toMatchObject({ state: 'revoked', hotline: HOTLINE });
  });

  it('refuses delivery reports without the carrier’s token', async () => {
    const response = await world.app.inject({
      method: 'POST',
      url: '/send/reports/sms',
      headers: { 'x-report-token': 'wrong-token-wrong-token' },
      payload: [{ phone_number: '13800000000', success: true, biz_id: 'x' }],
    });
    expect(response.statusCode).toBe(401);
  });
});

describe(`hub: a carrier that answers after the hub gave up (${backend})`, () => {
  let world: SendWorld;
  beforeAll(async () => {
    world = await startSendWorld({}, 200);
  });
  afterAll(async () => {
    await world.close();
  });

  it('records the timeout as a failure, then the carrier’s report of delivery by our message id', async () => {
    const phone = nextMobile();
    world.carrier.behave(phone, { delayMs: 600 });
    const { task, sent } = await taskSentBySms(world, phone, 'first');
    expect(sent.body.messages[0]!.status).toBe('failed');
    expect(sent.body.messages[0]!.failureReason).toMatch(/^carrier unreachable/);
    const sms = await world.carrier.waitForSms(phone);
    await world.carrier.waitForAck(sms.bizId);
    const rows = await world.app.db.query<{
      status: string;
      delivered_at: Date | null;
      sent_at: Date | null;
    }>('SELECT status, delivered_at, sent_at FROM messages WHERE id = $1', [sent.body.messages[0]!.id]);
    expect(rows[0]!.status).toBe('delivered');
    expect(rows[0]!.delivered_at).not.toBeNull();
    // Sent by the carrier's word, so the service's facts count it.
    expect(rows[0]!.sent_at).not.toBeNull();
    const facts = await legalEffectFacts(world.app.db, task.taskId);
    expect(facts.channels).toEqual([
      expect.objectContaining({ report: expect.objectContaining({ outcome: 'arrived' }) }),
    ]);
  });
});
