import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeLegalEffect } from '../../../common/domain/legalEffect';
import { legalEffectFacts } from '../../send/legalFacts';
import { backend, bearer, consentOp, push } from '../../test/hubFixture';
import {
  ackedSms,
  HOTLINE,
  nextMobile,
  sendOn,
  startSendWorld,
  taskSentBySms,
  taskWithDocuments,
  tokenIn,
  type SendWorld,
} from '../../test/sendFixture';

const UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) PortalTest';
const IP = '203.0.113.7';
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

function signaturePng(): string {
  const png = new PNG({ width: 40, height: 20 });
  for (let i = 0; i < png.data.length; i += 4) png.data[i + 3] = i % 12 === 0 ? 255 : 0;
  return PNG.sync.write(png).toString('base64');
}

describe(`hub: the recipient's portal (${backend})`, () => {
  let world: SendWorld;
  beforeAll(async () => {
    world = await startSendWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  const call = (method: 'GET' | 'POST', url: string, payload?: object, session?: string) =>
    world.app.inject({
      method,
      url,
      remoteAddress: IP,
      headers: { 'user-agent': UA, ...(session ? { 'x-portal-session': session } : {}) },
      ...(payload ? { payload } : {}),
    });

  /** A task sent by SMS: its message id, the token from the carrier, the check code and documents. */
  async function sentBySms() {
    const phone = nextMobile();
    const { task, sent } = await taskSentBySms(world, phone);
    const sms = await ackedSms(world, phone);
    return {
      ...task,
      phone,
      messageId: sent.body.messages[0]!.id,
      checkCode: sent.body.checkCode,
      token: tokenIn(sms.text),
    };
  }

  async function verified(sent: Awaited<ReturnType<typeof sentBySms>>): Promise<string> {
    await call('POST', '/portal/api/open', { token: sent.token });
    expect((await call('POST', '/portal/api/otp', { token: sent.token })).statusCode).toBe(200);
    const otp = await world.carrier.waitForSms(sent.phone, 2);
    const answer = await call('POST', '/portal/api/verify', { token: sent.token, code: otp.params.code });
    expect(answer.json()).toMatchObject({ verified: true });
    return answer.json().session;
  }

  const events = async (messageId: string) =>
    world.app.db.query<{
      kind: string;
      ip: string;
      user_agent: string;
      blob_sha256: string | null;
      details: object;
    }>(
      'SELECT kind, ip, user_agent, blob_sha256, details FROM message_events WHERE message_id = $1 ORDER BY at, id',
      [messageId],
    );

  it('opens a link: the court, its hotline and the check code; the open is recorded with IP and UA', async () => {
    const sent = await sentBySms();
    const opened = await call('POST', '/portal/api/open', { token: sent.token });
    expect(opened.statusCode).toBe(200);
    expect(opened.json()).toMatchObject({
      state: 'ok',
      court: '乌海市海南区人民法院',
      hotline: HOTLINE,
      checkCode: sent.checkCode,
      identity: {
        method: 'otp',
        phoneMasked: `${sent.phone.slice(0, 3)}****${sent.phone.slice(-4)}`,
        attemptsLeft: 5,
      },
    });
    expect(opened.headers['content-security-policy']).toContain("default-src 'none'");
    const recorded = (await events(sent.messageId)).find((e) => e.kind === 'opened');
    expect(recorded).toMatchObject({ ip: IP, user_agent: UA });
  });

  it('limits wrong codes: five wrong tries lock the link, recorded each', async () => {
    const sent = await sentBySms();
    await call('POST', '/portal/api/open', { token: sent.token });
    await call('POST', '/portal/api/otp', { token: sent.token });
    const otp = await world.carrier.waitForSms(sent.phone, 2);
    expect(otp.text).toContain(otp.params.code!);
    const wrong = otp.params.code === '000000' ? '111111' : '000000';
    const left: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      left.push(
        (await call('POST', '/portal/api/verify', { token: sent.token, code: wrong })).json().attemptsLeft,
      );
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    // Locked: even the right code is refused now, and opening says so.
    const right = await call('POST', '/portal/api/verify', { token: sent.token, code: otp.params.code });
    expect(right.statusCode).toBe(403);
    expect((await call('POST', '/portal/api/open', { token: sent.token })).json().state).toBe('locked');
    const failed = (await events(sent.messageId)).filter((e) => e.kind === 'verify_failed');
    expect(failed).toHaveLength(5);
    expect(failed.every((e) => e.ip === IP && e.user_agent === UA)).toBe(true);
  });

  it('a locked link stays locked: no new code is sent, a later right code is refused, nothing opens', async () => {
    const sent = await sentBySms();
    await call('POST', '/portal/api/open', { token: sent.token });
    await call('POST', '/portal/api/otp', { token: sent.token });
    const otp = await world.carrier.waitForSms(sent.phone, 2);
    const wrong = otp.params.code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i += 1)
      await call('POST', '/portal/api/verify', { token: sent.token, code: wrong });
    const before = await events(sent.messageId);

    // A new code is refused and none goes out; the code sent before the lock is refused too.
    const again = await call('POST', '/portal/api/otp', { token: sent.token });
    expect(again.statusCode).toBe(403);
    expect(again.json().error.details).toEqual({ state: 'locked' });
    const right = await call('POST', '/portal/api/verify', { token: sent.token, code: otp.params.code });
    expect(right.statusCode).toBe(403);
    expect(right.json().error.details).toEqual({ state: 'locked' });
    // Opened again later (another browser): still locked, with the hotline, and no case without a session.
    const reopened = await world.app.inject({
      method: 'POST',
      url: '/portal/api/open',
      remoteAddress: '198.51.100.9',
      headers: { 'user-agent': 'Another browser' },
      payload: { token: sent.token },
    });
    expect(reopened.json()).toMatchObject({
      state: 'locked',
      hotline: HOTLINE,
      identity: { attemptsLeft: 0 },
    });
    expect((await call('GET', '/portal/api/case')).statusCode).toBe(401);
    expect(world.carrier.sent.filter((s) => s.phone === sent.phone)).toHaveLength(2);
    const row = await world.app.db.query<{ verify_failures: number; portal_session_sha256: string | null }>(
      'SELECT verify_failures, portal_session_sha256 FROM messages WHERE id = $1',
      [sent.messageId],
    );
    expect(row[0]).toEqual({ verify_failures: 5, portal_session_sha256: null });
    // Each refusal is recorded; no verify_failed or verified was added after the lock.
    const after = (await events(sent.messageId)).slice(before.length).map((e) => e.kind);
    expect(after).not.toContain('verified');
    expect(after).not.toContain('verify_failed');
    expect(after).not.toContain('otp_sent');
  });

  it('verifies with the right code, then records each view and download; the bytes are the document', async () => {
    const sent = await sentBySms();
    const session = await verified(sent);
    const doc = sent.documents[0]!;
    const view = await call('GET', `/portal/api/documents/${doc.sha256}?mode=view`, undefined, session);
    expect(view.statusCode).toBe(200);
    expect(view.headers['content-type']).toBe('application/pdf');
    expect(view.headers['content-disposition']).toMatch(/^inline/);
    expect(sha256(view.rawPayload)).toBe(doc.sha256);
    const download = await call(
      'GET',
      `/portal/api/documents/${doc.sha256}?mode=download`,
      undefined,
      session,
    );
    expect(download.headers['content-disposition']).toMatch(/^attachment/);
    expect(sha256(download.rawPayload)).toBe(doc.sha256);
    // Without a session, nothing.
    expect((await call('GET', `/portal/api/documents/${doc.sha256}`)).statusCode).toBe(401);

    const kinds = (await events(sent.messageId)).map((e) => e.kind);
    expect(kinds.slice(0, 3).sort()).toEqual(['accepted', 'delivered', 'sent']);
    expect(kinds.slice(3)).toEqual(['opened', 'otp_sent', 'verified', 'viewed', 'downloaded']);
    const viewed = (await events(sent.messageId)).find((e) => e.kind === 'viewed')!;
    expect(viewed).toMatchObject({ ip: IP, user_agent: UA, details: { document: doc.sha256 } });
  });

  it('confirms with a signature stored as evidence; the date is what computeLegalEffect says', async () => {
    const sent = await sentBySms();
    const session = await verified(sent);
    const png = signaturePng();
    const confirmed = await call('POST', '/portal/api/confirm', { signaturePng: png }, session);
    expect(confirmed.statusCode).toBe(200);
    const body = confirmed.json();
    expect(body.confirmed).toBe(true);
    // No consent on record: effective on the party's reply (the signature, a moment before the confirm).
    const expected = computeLegalEffect(await legalEffectFacts(world.app.db, sent.taskId));
    expect(body.effect).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(body.effect).toMatchObject({ effective: true, rule: 'reply_or_confirm', basis: 'confirmed' });
    const signed = (await events(sent.messageId)).find((e) => e.kind === 'signed')!;
    expect(signed).toMatchObject({ ip: IP, user_agent: UA });
    const stored = await world.app.db.query<{ data: Uint8Array }>(
      'SELECT data FROM blobs WHERE sha256 = $1',
      [signed.blob_sha256],
    );
    expect(Buffer.from(stored[0]!.data).toString('base64')).toBe(png);
    expect(sha256(Buffer.from(png, 'base64'))).toBe(signed.blob_sha256);
    // The task's desks see the signature among the message's events and may fetch it; others not.
    const snapshot = (
      await world.app.inject({
        method: 'GET',
        url: `/sync/tasks/${sent.taskId}`,
        headers: bearer(world.specA1),
      })
    ).json();
    const signedView = snapshot.messages[0].events.find((e: { kind: string }) => e.kind === 'signed');
    expect(signedView.blobSha256).toBe(signed.blob_sha256);
    // With where it came from: the desk's proof cites the portal's events with their IP and user agent.
    expect(signedView).toMatchObject({ ip: IP, userAgent: UA });
    const blob = (member: typeof world.specA1) =>
      world.app.inject({ method: 'GET', url: `/blobs/${signed.blob_sha256}`, headers: bearer(member) });
    expect((await blob(world.specA1)).rawPayload.toString('base64')).toBe(png);
    expect((await blob(world.specB)).statusCode).toBe(404);
    const status = await world.app.db.query<{ status: string }>('SELECT status FROM messages WHERE id = $1', [
      sent.messageId,
    ]);
    expect(status[0]!.status).toBe('confirmed');
  });

  it('dates a service on consent by the carrier’s delivery report', async () => {
    const phone = nextMobile();
    const task = await taskWithDocuments(world, world.specA1, { phone });
    const recording = sha256('the recorded call');
    const pushed = await push(world.app, world.specA1, uuidv7(), [
      consentOp(task.taskId, 1, { channel: 'sms', address: phone, recordingSha256: recording }),
    ]);
    expect(pushed.body.results[0]!.status).toBe('applied');
    const sent = await sendOn(world, world.specA1, {
      taskId: task.taskId,
      channels: [{ channel: 'sms', address: phone }],
      documents: [task.documents[0]!.sha256],
    });
    const sms = await world.carrier.waitForSms(phone);
    await world.carrier.waitForAck(sms.bizId);
    const token = tokenIn(sms.text);
    await call('POST', '/portal/api/open', { token });
    await call('POST', '/portal/api/otp', { token });
    const otp = await world.carrier.waitForSms(phone, 2);
    const session = (await call('POST', '/portal/api/verify', { token, code: otp.params.code })).json()
      .session;
    const shown = (await call('GET', '/portal/api/case', undefined, session)).json();
    const delivered = await world.app.db.query<{ delivered_at: Date }>(
      'SELECT delivered_at FROM messages WHERE id = $1',
      [sent.body.messages[0]!.id],
    );
    expect(shown.effect).toMatchObject({
      rule: 'arrival_on_consent',
      serviceDate: delivered[0]!.delivered_at.toISOString(),
    });
    expect(shown.effect).toEqual(
      JSON.parse(JSON.stringify(computeLegalEffect(await legalEffectFacts(world.app.db, task.taskId)))),
    );
    expect(shown.documents[0]).toMatchObject({ title: '民事判决书', paperCopyOnRequest: true });
  });

  it('stores the signed delivery-address confirmation as evidence', async () => {
    const sent = await sentBySms();
    const session = await verified(sent);
    const before = (await call('GET', '/portal/api/case', undefined, session)).json();
    expect(before.addressConfirmation).toMatchObject({ signed: false });
    expect(before.addressConfirmation.text).toContain('送达地址确认书');
    const signed = await call(
      'POST',
      '/portal/api/address-confirmation',
      { agreed: true, signaturePng: signaturePng() },
      session,
    );
    expect(signed.statusCode).toBe(200);
    const { sha256: documentSha } = signed.json();
    const stored = await world.app.db.query<{ data: Uint8Array }>(
      'SELECT data FROM blobs WHERE sha256 = $1',
      [documentSha],
    );
    expect(sha256(stored[0]!.data)).toBe(documentSha);
    const document = JSON.parse(Buffer.from(stored[0]!.data).toString('utf8'));
    expect(document).toMatchObject({
      kind: 'address_confirmation',
      ip: IP,
      userAgent: UA,
      messageId: sent.messageId,
    });
    expect(document.text).toBe(before.addressConfirmation.text);
    const facts = await legalEffectFacts(world.app.db, sent.taskId);
    expect(facts.consent.addressConfirmation).toMatchObject({ documentSha256: documentSha });
    expect(
      (await call('GET', '/portal/api/case', undefined, session)).json().addressConfirmation.signed,
    ).toBe(true);
  });

  it('refuses an expired link and offers the court’s hotline', async () => {
    const sent = await sentBySms();
    await world.app.db.query(
      `UPDATE messages SET link_expires_at = now() - interval '1 minute' WHERE id = $1`,
      [sent.messageId],
    );
    const opened = await call('POST', '/portal/api/open', { token: sent.token });
    expect(opened.json()).toMatchObject({
      state: 'expired',
      hotline: HOTLINE,
      checkCode: null,
      identity: null,
    });
    const tried = await call('POST', '/portal/api/verify', { token: sent.token, code: '123456' });
    expect(tried.statusCode).toBe(403);
    expect(tried.json().error.details).toEqual({ state: 'expired' });
    // No code goes out for an expired link, and its page still loads to say so.
    const otp = await call('POST', '/portal/api/otp', { token: sent.token });
    expect(otp.statusCode).toBe(403);
    expect(world.carrier.sent.filter((s) => s.phone === sent.phone)).toHaveLength(1);
    expect((await call('GET', `/p/${sent.token}`)).statusCode).toBe(200);
    expect((await events(sent.messageId)).map((e) => e.kind)).toContain('refused');
    const unknown = await call('POST', '/portal/api/open', { token: 'x'.repeat(43) });
    expect(unknown.json()).toMatchObject({ state: 'unknown', hotline: '12368' });
  });

  it('serves the page under a strict CSP, first load well under 200 KB', async () => {
    const sent = await sentBySms();
    const page = await call('GET', `/p/${sent.token}`);
    expect(page.statusCode).toBe(200);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    const assets = [...page.body.matchAll(/(?:src|href)="(\/portal\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.sort()).toEqual(['/portal/assets/portal.css', '/portal/assets/portal.js']);
    let bytes = page.rawPayload.byteLength;
    for (const asset of assets) {
      const response = await call('GET', asset);
      expect(response.statusCode).toBe(200);
      bytes += response.rawPayload.byteLength;
    }
    expect(bytes).toBeLessThanOrEqual(200 * 1024);
  });
});

describe(`hub: the portal's ID-number check (${backend})`, () => {
  let world: SendWorld;
  beforeAll(async () => {
    world = await startSendWorld({ identityCheck: 'id_last_digits', maxVerifyAttempts: 3 });
  });
  afterAll(async () => {
    await world.close();
  });

  const post = (url: string, payload: object) => world.app.inject({ method: 'POST', url, payload });

  async function linkFor(idNumber: string) {
    const phone = nextMobile();
    const task = await taskWithDocuments(world, world.specA1, { phone, idNumber });
    await sendOn(world, world.specA1, {
      taskId: task.taskId,
      channels: [{ channel: 'sms', address: phone }],
      documents: [task.documents[0]!.sha256],
    });
    return tokenIn((await world.carrier.waitForSms(phone)).text);
  }

  it('asks for the last 4 of a known ID number, and checks them', async () => {
    const token = await linkFor('11010519491231002X');
    const opened = (await post('/portal/api/open', { token })).json();
    expect(opened.identity).toMatchObject({ method: 'id_last_digits', attemptsLeft: 3 });
    expect((await post('/portal/api/verify', { token, code: '1234' })).json()).toMatchObject({
      verified: false,
      attemptsLeft: 2,
    });
    expect((await post('/portal/api/verify', { token, code: '002x' })).json()).toMatchObject({
      verified: true,
    });
  });

  it('falls back to a one-time code when the ID number is not on file', async () => {
    const token = await linkFor('');
    expect((await post('/portal/api/open', { token })).json().identity.method).toBe('otp');
  });
});
