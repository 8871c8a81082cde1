import { createHash, randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import PDFDocument from 'pdfkit';
import { PNG } from 'pngjs';
import { v7 as uuidv7 } from 'uuid';
import { GENESIS_HASH, hashAuditEvent, type StoredAuditEvent } from '../../common/audit/chain';
import { makeAuditExcerpt, type AuditExcerpt } from '../../common/audit/excerpt';
import { canonicalJson, sha256Hex } from '../../common/audit/chain';
import { ProofFactsSchema, type ProofFacts } from '../../common/proof/proofFacts';
import { UPLOAD_LENGTH_HEADER, UPLOAD_OFFSET_HEADER } from '../../common/sync/protocol';
import { legalEffectFacts } from '../send/legalFacts';
import { eventsOf, messagesOfTasks, taskIntake } from '../store/messages';
import { bearer, newClientId, push, recordingOp, type Member } from './hubFixture';
import { ackedSms, nextMobile, sendOn, taskWithDocuments, tokenIn, type SendWorld } from './sendFixture';

// A task served end to end on a hub that sends, for the proof and bundle suites: a consent call
// with its recording uploaded, the documents sent by SMS and delivered, the recipient verified in
// the portal, the address confirmation signed and receipt confirmed with a signature. Then the
// proof's facts as the desk would state them, from the hub's own records.

const FONT = resolve(import.meta.dirname, '../../assets/fonts/wqy-microhei.ttc');

export const PORTAL_IP = '203.0.113.9';
export const PORTAL_UA = 'Mozilla/5.0 (Linux; Android 13) ProofFixture';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export function signaturePng(): string {
  const png = new PNG({ width: 40, height: 20 });
  for (let i = 0; i < png.data.length; i += 4) png.data[i + 3] = i % 12 === 0 ? 255 : 0;
  return PNG.sync.write(png).toString('base64');
}

export async function uploadBlob(world: SendWorld, member: Member, bytes: Buffer): Promise<string> {
  const sha = sha256(bytes);
  const response = await world.app.inject({
    method: 'PATCH',
    url: `/blobs/${sha}`,
    headers: {
      ...bearer(member),
      'content-type': 'application/octet-stream',
      [UPLOAD_OFFSET_HEADER]: '0',
      [UPLOAD_LENGTH_HEADER]: String(bytes.byteLength),
    },
    payload: bytes,
  });
  if (response.statusCode !== 200) throw new Error(`upload: ${response.body}`);
  return sha;
}

export interface DeliveredTask {
  taskId: string;
  phone: string;
  messageId: string;
  recording: { sha256: string; bytes: Buffer };
  documents: { title: string; sha256: string; bytes: Buffer }[];
}

/** A consented, sent, delivered, verified, signed and confirmed task of spec.a1's. */
export async function deliveredTask(
  world: SendWorld,
  recordingBytes: Buffer = randomBytes(4096),
): Promise<DeliveredTask> {
  const phone = nextMobile();
  const member = world.specA1;
  const task = await taskWithDocuments(world, member, { phone });
  // The call first: consent on the recorded call, then the documents sent to the confirmed number.
  const recordingSha = await uploadBlob(world, member, recordingBytes);
  const pushed = await push(world.app, member, newClientId(), [
    recordingOp(task.taskId, 1, recordingSha, recordingBytes.byteLength),
    {
      type: 'fact.record',
      kind: 'consent',
      opId: uuidv7(),
      mutationId: 2,
      taskId: task.taskId,
      factId: uuidv7(),
      body: { channel: 'sms', address: phone, recordingSha256: recordingSha },
    },
  ]);
  if (pushed.status !== 200) throw new Error(`push: ${pushed.response.body}`);
  const sent = await sendOn(world, member, {
    taskId: task.taskId,
    channels: [{ channel: 'sms', address: phone }],
    documents: task.documents.map((d) => d.sha256),
  });
  if (sent.status !== 200) throw new Error(`send: ${JSON.stringify(sent.body)}`);
  const sms = await ackedSms(world, phone);
  const token = tokenIn(sms.text);
  const call = async (url: string, payload: object, session?: string) => {
    const response = await world.app.inject({
      method: 'POST',
      url,
      remoteAddress: PORTAL_IP,
      headers: { 'user-agent': PORTAL_UA, ...(session ? { 'x-portal-session': session } : {}) },
      payload,
    });
    if (response.statusCode !== 200) throw new Error(`${url}: ${response.body}`);
    return response.json();
  };
  await call('/portal/api/open', { token });
  await call('/portal/api/otp', { token });
  const otp = await world.carrier.waitForSms(phone, 2);
  const { session } = await call('/portal/api/verify', { token, code: otp.params.code });
  await call('/portal/api/address-confirmation', { agreed: true, signaturePng: signaturePng() }, session);
  await call('/portal/api/confirm', { signaturePng: signaturePng() }, session);
  return {
    taskId: task.taskId,
    phone,
    messageId: sent.body.messages[0]!.id,
    recording: { sha256: recordingSha, bytes: recordingBytes },
    documents: task.documents,
  };
}

/** A small audit chain of the desk's (in memory) and the excerpt of its task 7 up to the head. */
export function deskAuditExcerpt(): AuditExcerpt {
  const events: StoredAuditEvent[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= 12; seq++) {
    const body = {
      seq,
      at: `2026-11-23T02:00:${String(seq).padStart(2, '0')}.000Z`,
      actor: '张一',
      type: seq === 1 ? 'intake.chunk' : 'call.ended',
      taskId: seq === 1 ? null : seq % 3 === 0 ? 7 : 8,
      data: { n: seq },
    };
    const hash = hashAuditEvent(prev, body);
    events.push({ ...body, prevHash: prev, hash });
    prev = hash;
  }
  return makeAuditExcerpt(7, 1, events);
}

/** The proof's facts of a delivered task, from the hub's records, as the desk states them. */
export async function proofFactsOf(
  world: SendWorld,
  delivered: DeliveredTask,
  excerpt: AuditExcerpt,
  proofId = `DD-${uuidv7()}`,
): Promise<ProofFacts> {
  const db = world.app.db;
  const effect = await legalEffectFacts(db, delivered.taskId);
  const intake = await taskIntake(db, delivered.taskId);
  const messages = await messagesOfTasks(db, [delivered.taskId]);
  const events = await eventsOf(
    db,
    messages.map((m) => m.id),
  );
  const lastTaskEvent = excerpt.entries.filter((e) => e.event?.taskId === excerpt.taskId).at(-1)!;
  return ProofFactsSchema.parse({
    proofId,
    issuedAt: new Date().toISOString(),
    verifyUrl: `${world.url}/verify/${proofId}`,
    court: { name: intake.case.court, department: intake.case.department },
    case: { number: intake.case.number, cause: intake.case.cause },
    documents: intake.documents
      .filter((d) => d.sha256)
      .map((d) => ({ title: d.title, kind: d.kind, copies: 1, sha256: d.sha256 })),
    recipient: { name: intake.party.name, role: '', kind: intake.party.kind },
    receivedBy: null,
    method: 'electronic',
    consent: effect.consent,
    channels: effect.channels.map((c) => {
      const m = messages.find((x) => x.id === c.sentRef)!;
      return {
        ...c,
        from: m.sender,
        portalEvents: c.portalEvents.map((p) => {
          const e = events.find((x) => x.id === p.ref)!;
          return { ...p, ip: e.ip, userAgent: e.user_agent };
        }),
      };
    }),
    specialist: { name: world.specA1.user.displayName, id: world.specA1.user.username },
    callingNumber: '0473-8123456',
    refusal: null,
    postal: null,
    negativeEvents: [],
    audit: { seq: lastTaskEvent.seq, headHash: excerpt.head.hash, at: lastTaskEvent.event!.at },
  });
}

/** A stand-in proof PDF stating its facts' SHA-256 as main/receipts' does (the hub renders none). */
export function standInProofPdf(facts: ProofFacts): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // No standard font: a PDF with PDFKit's default Helvetica is not sealed verifiably (see the
    // BUNDLE report); the proofs embed their font, as this does.
    const doc = new PDFDocument({
      size: 'A4',
      font: null as unknown as string,
      info: {
        CreationDate: new Date(facts.issuedAt),
        Keywords: facts.proofId,
        ProofFactsSHA256: sha256Hex(canonicalJson(facts)),
      } as PDFKit.DocumentInfo,
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font(FONT, 'WenQuanYiMicroHei').fontSize(14).text(`送达回证 ${facts.proofId}`, 72, 72);
    doc.end();
  });
}

/**
 * Files a proof as a desk does: uploads its PDF and the audit excerpt, pushes the `proof` fact
 * (which carries the excerpt's SHA-256), and waits for the hub's sealing round.
 */
export async function fileProofOnHub(
  world: SendWorld,
  delivered: DeliveredTask,
  facts: ProofFacts,
  pdf: Uint8Array,
  excerpt: AuditExcerpt,
): Promise<void> {
  const member = world.specA1;
  const excerptSha = await uploadBlob(world, member, Buffer.from(JSON.stringify(excerpt)));
  const pdfSha = await uploadBlob(world, member, Buffer.from(pdf));
  const pushed = await push(world.app, member, newClientId(), [
    {
      type: 'fact.record',
      kind: 'proof',
      opId: uuidv7(),
      mutationId: 1,
      taskId: delivered.taskId,
      factId: uuidv7(),
      body: {
        proofId: facts.proofId,
        pdfSha256: pdfSha,
        bytes: pdf.byteLength,
        facts,
        auditExcerptSha256: excerptSha,
      },
    },
  ]);
  if (pushed.status !== 200 || pushed.body.results[0]?.status !== 'applied') {
    throw new Error(`proof push: ${pushed.response.body}`);
  }
  await world.app.sealProofs();
  const [row] = await world.app.db.query<{ status: string; reason: string | null }>(
    'SELECT status, reason FROM proofs WHERE id = $1',
    [facts.proofId],
  );
  if (row?.status !== 'sealed') throw new Error(`the proof was not sealed: ${row?.status} ${row?.reason}`);
}
