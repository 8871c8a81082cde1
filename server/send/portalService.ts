import { randomInt } from 'node:crypto';
import { computeLegalEffect, type LegalEffect } from '../../common/domain/legalEffect';
import { maskPhone } from '../../common/domain/masking';
import type { IntakeTask } from '../../common/intake/taskSchema';
import type { MessageStatus } from '../../common/sync/send';
import type { SendConfig } from '../config';
import type { HubDb, Queryable } from '../db/driver';
import { HubError } from '../errors';
import { sha256Of, storeBlob } from '../store/blobs';
import {
  addEvent,
  advanceStatus,
  messageByPortalSession,
  messageByToken,
  taskIntake,
  type MessageRow,
} from '../store/messages';
import { newSecret, sha256Hex } from '../store/secrets';
import type { Channels } from './channels';
import { settleDeliveryEffect } from './deliveryEffect';
import { legalEffectFacts } from './legalFacts';
import { hotlineFor } from './sendService';
import { OTP_TEMPLATE, renderTemplate } from './templates';

// The recipient's side of a message: open the link, prove who they are, read, download, confirm,
// sign. Every act is an event with its time, address and user agent (migration 005).

export interface PortalDeps {
  db: HubDb;
  config: SendConfig;
  channels: Channels;
}

export interface Visitor {
  ip: string;
  userAgent: string | null;
}

const SESSION_MINUTES = 30;
const OTP_MINUTES = 10;
/** A signature PNG: a few tens of kB in practice. */
export const MAX_SIGNATURE_BYTES = 512 * 1024;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export type LinkState = 'ok' | 'expired' | 'revoked' | 'locked' | 'unknown';

function linkState(config: SendConfig, message: MessageRow | null): LinkState {
  if (!message) return 'unknown';
  if (message.revoked_at) return 'revoked';
  if (message.link_expires_at.getTime() <= Date.now()) return 'expired';
  if (message.verify_failures >= config.maxVerifyAttempts) return 'locked';
  return 'ok';
}

const idLastDigits = (intake: IntakeTask): string | null => {
  const id = intake.party.idNumber.trim();
  return id.length >= 15 ? id.slice(-4).toUpperCase() : null;
};

/** Where the one-time code goes: the SMS's own number, else the party's first mobile. */
function otpPhone(message: MessageRow, intake: IntakeTask): string | null {
  if (message.channel === 'sms') return message.address;
  return intake.party.phones.find((p) => p.kind === 'mobile')?.digits ?? null;
}

function identityMethod(
  config: SendConfig,
  message: MessageRow,
  intake: IntakeTask,
): 'otp' | 'id_last_digits' {
  if (config.identityCheck === 'id_last_digits' && idLastDigits(intake)) return 'id_last_digits';
  return 'otp';
}

export interface OpenAnswer {
  state: LinkState;
  court: string | null;
  hotline: string;
  checkCode: string | null;
  identity: { method: 'otp' | 'id_last_digits'; phoneMasked: string | null; attemptsLeft: number } | null;
}

/** Opening the link: what the first page shows (the court, its hotline, the check code). */
export async function openLink(deps: PortalDeps, token: string, visitor: Visitor): Promise<OpenAnswer> {
  return deps.db.transaction(async (tx) => {
    const message = await messageByToken(tx, sha256Hex(token), true);
    const state = linkState(deps.config, message);
    if (!message)
      return { state, court: null, hotline: deps.config.defaultHotline, checkCode: null, identity: null };
    const intake = await taskIntake(tx, message.task_id);
    const hotline = hotlineFor(deps.config, intake.case.court);
    if (state === 'expired' || state === 'revoked') {
      await addEvent(tx, message.id, { kind: 'refused', ...visitorFields(visitor), details: { state } });
      return { state, court: intake.case.court, hotline, checkCode: null, identity: null };
    }
    await addEvent(tx, message.id, { kind: 'opened', ...visitorFields(visitor) });
    await advance(tx, message, 'opened');
    const phone = otpPhone(message, intake);
    return {
      state,
      court: intake.case.court,
      hotline,
      checkCode: message.check_code,
      identity: {
        method: identityMethod(deps.config, message, intake),
        phoneMasked: phone ? maskPhone(phone) : null,
        attemptsLeft: Math.max(deps.config.maxVerifyAttempts - message.verify_failures, 0),
      },
    };
  });
}

const visitorFields = (visitor: Visitor) => ({ ip: visitor.ip, userAgent: visitor.userAgent });

/** A portal event moves its message's status, then the task's legal effect is judged again. */
async function advance(tx: Queryable, message: MessageRow, to: MessageStatus): Promise<void> {
  await advanceStatus(tx, message, to);
  await settleDeliveryEffect(tx, message.task_id);
}

async function usableMessage(deps: PortalDeps, tx: Queryable, token: string): Promise<MessageRow> {
  const message = await messageByToken(tx, sha256Hex(token), true);
  const state = linkState(deps.config, message);
  if (state === 'unknown') throw new HubError('not_found', 'no such link');
  if (state !== 'ok') throw new HubError('forbidden', `the link is ${state}`, { state });
  return message!;
}

/** Sends a one-time code by SMS (a limited number per link). */
export async function sendOtp(
  deps: PortalDeps,
  token: string,
  visitor: Visitor,
): Promise<{ phoneMasked: string }> {
  const sms = deps.channels.get('sms');
  const prepared = await deps.db.transaction(async (tx) => {
    const message = await usableMessage(deps, tx, token);
    const intake = await taskIntake(tx, message.task_id);
    const phone = otpPhone(message, intake);
    if (!phone || !sms) throw new HubError('conflict', 'no mobile number to send a code to');
    if (message.otp_sent >= deps.config.maxOtpSends) {
      throw new HubError('rate_limited', 'too many codes sent for this link; call the court');
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await tx.query(
      `UPDATE messages SET otp_sha256 = $2, otp_expires_at = now() + make_interval(mins => $3),
              otp_sent = otp_sent + 1 WHERE id = $1`,
      [message.id, sha256Hex(`${message.id}:${code}`), OTP_MINUTES],
    );
    await addEvent(tx, message.id, {
      kind: 'otp_sent',
      ...visitorFields(visitor),
      details: { to: maskPhone(phone) },
    });
    return { message, phone, code, court: intake.case.court };
  });
  const params = { court: prepared.court, code: prepared.code, minutes: String(OTP_MINUTES) };
  const outcome = await sms!.send({
    id: `${prepared.message.id}-otp-${prepared.message.otp_sent + 1}`,
    to: prepared.phone,
    subject: null,
    text: renderTemplate(OTP_TEMPLATE.id, params).text,
    templateId: OTP_TEMPLATE.id,
    templateParams: params,
  });
  if (outcome.status === 'failed') throw new HubError('conflict', 'the code could not be sent; try again');
  return { phoneMasked: maskPhone(prepared.phone) };
}

export type VerifyAnswer =
  { verified: true; session: string } | { verified: false; attemptsLeft: number; state: LinkState };

/** Checks the code (or the ID's last digits); wrong tries are counted and lock the link at the limit. */
export async function verify(
  deps: PortalDeps,
  token: string,
  code: string,
  visitor: Visitor,
): Promise<VerifyAnswer> {
  return deps.db.transaction(async (tx) => {
    const message = await usableMessage(deps, tx, token);
    const intake = await taskIntake(tx, message.task_id);
    const method = identityMethod(deps.config, message, intake);
    const given = code.trim().toUpperCase();
    const right =
      method === 'id_last_digits'
        ? given === idLastDigits(intake)
        : message.otp_sha256 !== null &&
          message.otp_expires_at !== null &&
          message.otp_expires_at.getTime() > Date.now() &&
          sha256Hex(`${message.id}:${given}`) === message.otp_sha256;
    if (!right) {
      const failures = message.verify_failures + 1;
      await tx.query('UPDATE messages SET verify_failures = $2 WHERE id = $1', [message.id, failures]);
      await addEvent(tx, message.id, {
        kind: 'verify_failed',
        ...visitorFields(visitor),
        details: { method },
      });
      const attemptsLeft = Math.max(deps.config.maxVerifyAttempts - failures, 0);
      return { verified: false, attemptsLeft, state: attemptsLeft === 0 ? 'locked' : 'ok' };
    }
    const session = newSecret();
    await tx.query(
      `UPDATE messages SET verify_failures = 0, otp_sha256 = NULL, portal_session_sha256 = $2,
              portal_session_expires_at = now() + make_interval(mins => $3) WHERE id = $1`,
      [message.id, sha256Hex(session), SESSION_MINUTES],
    );
    await addEvent(tx, message.id, { kind: 'verified', ...visitorFields(visitor), details: { method } });
    await advance(tx, message, 'verified');
    return { verified: true, session };
  });
}

/** The message of a verified session, refused once the link has expired or been revoked. */
export async function sessionMessage(
  deps: PortalDeps,
  tx: Queryable,
  session: string | undefined,
): Promise<MessageRow> {
  const message = session ? await messageByPortalSession(tx, sha256Hex(session)) : null;
  if (!message) throw new HubError('unauthorized', 'verify first');
  const state = linkState(deps.config, message);
  if (state === 'expired' || state === 'revoked')
    throw new HubError('forbidden', `the link is ${state}`, { state });
  return message;
}

export interface PortalCase {
  court: string;
  hotline: string;
  caseNumber: string;
  cause: string;
  partyName: string;
  documents: { title: string; kind: string; sha256: string; paperCopyOnRequest: boolean }[];
  addressConfirmation: { text: string; signed: boolean };
  confirmed: boolean;
  effect: LegalEffect;
}

/** The address confirmation (送达地址确认书) as the party reviews it, from the task's intake. */
export function addressConfirmationText(intake: IntakeTask, message: MessageRow): string {
  const email = message.channel === 'email' ? message.address : (intake.party.email ?? '—');
  const phone = message.channel === 'sms' ? maskPhone(message.address) : '—';
  return [
    `送达地址确认书`,
    `案号：${intake.case.number}`,
    `受送达人：${intake.party.name}`,
    `本人确认以下地址为本案诉讼文书的送达地址，同意人民法院以电子方式向该地址送达诉讼文书：`,
    `手机号码：${phone}`,
    `电子邮箱：${email}`,
    `本人已知悉：人民法院向上述地址送达的诉讼文书，以到达上述地址系统的日期为送达日期；地址变更应及时书面告知人民法院，未告知的，向原地址送达视为有效送达。`,
    `判决书、裁定书、调解书可申请另行领取纸质文书。`,
  ].join('\n');
}

export async function portalCase(deps: PortalDeps, tx: Queryable, message: MessageRow): Promise<PortalCase> {
  const intake = await taskIntake(tx, message.task_id);
  const effect = computeLegalEffect(await legalEffectFacts(tx, message.task_id));
  const events = await tx.query<{ kind: string }>(
    `SELECT kind FROM message_events WHERE message_id = $1 AND kind IN ('confirmed', 'address_signed')`,
    [message.id],
  );
  return {
    court: intake.case.court,
    hotline: hotlineFor(deps.config, intake.case.court),
    caseNumber: intake.case.number,
    cause: intake.case.cause,
    partyName: `${intake.party.name.slice(0, 1)}${'*'.repeat(Math.max(intake.party.name.length - 1, 1))}`,
    documents: message.documents.map((d) => ({
      ...d,
      paperCopyOnRequest: effect.paperCopyOnRequest.documents.includes(d.title),
    })),
    addressConfirmation: {
      text: addressConfirmationText(intake, message),
      signed: events.some((e) => e.kind === 'address_signed'),
    },
    confirmed: events.some((e) => e.kind === 'confirmed'),
    effect,
  };
}

/** A document's bytes for viewing in the page or downloading; each is an event. */
export async function documentBytes(
  deps: PortalDeps,
  session: string | undefined,
  sha256: string,
  mode: 'view' | 'download',
  visitor: Visitor,
): Promise<{ bytes: Buffer; title: string }> {
  return deps.db.transaction(async (tx) => {
    const message = await sessionMessage(deps, tx, session);
    const document = message.documents.find((d) => d.sha256 === sha256);
    if (!document) throw new HubError('not_found', 'no such document in this message');
    const rows = await tx.query<{ data: Uint8Array }>('SELECT data FROM blobs WHERE sha256 = $1', [sha256]);
    if (!rows[0]) throw new HubError('not_found', 'the document file is missing');
    await addEvent(tx, message.id, {
      kind: mode === 'view' ? 'viewed' : 'downloaded',
      ...visitorFields(visitor),
      details: { document: sha256, title: document.title },
    });
    await advance(tx, message, 'verified');
    const data = rows[0].data;
    return { bytes: Buffer.from(data.buffer, data.byteOffset, data.byteLength), title: document.title };
  });
}

function signatureBytes(base64: string): Buffer {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.byteLength > MAX_SIGNATURE_BYTES || !bytes.subarray(0, 8).equals(PNG_MAGIC)) {
    throw new HubError('invalid_request', 'the signature must be a PNG image of at most 512 KiB');
  }
  return bytes;
}

/** Stores a signature PNG as evidence (content-hashed, never overwritten) and records it. */
async function storeSignature(
  tx: Queryable,
  message: MessageRow,
  png: string,
  visitor: Visitor,
  what: string,
) {
  const bytes = signatureBytes(png);
  const sha256 = sha256Of(bytes);
  await storeBlob(tx, sha256, bytes);
  await addEvent(tx, message.id, {
    kind: 'signed',
    ...visitorFields(visitor),
    blobSha256: sha256,
    details: { what },
  });
  return sha256;
}

/** Confirms receipt, optionally with a handwritten signature; answers the effect that follows. */
export async function confirmReceipt(
  deps: PortalDeps,
  session: string | undefined,
  signaturePng: string | null,
  visitor: Visitor,
): Promise<PortalCase> {
  return deps.db.transaction(async (tx) => {
    const message = await sessionMessage(deps, tx, session);
    const signature = signaturePng
      ? await storeSignature(tx, message, signaturePng, visitor, 'receipt')
      : null;
    await addEvent(tx, message.id, {
      kind: 'confirmed',
      ...visitorFields(visitor),
      details: { signatureSha256: signature },
    });
    await advance(tx, message, 'confirmed');
    return portalCase(deps, tx, message);
  });
}

/**
 * The signed delivery-address confirmation: the text reviewed, the signature's hash, the time and
 * the visitor, stored together as one content-hashed evidence document.
 */
export async function signAddressConfirmation(
  deps: PortalDeps,
  session: string | undefined,
  signaturePng: string,
  visitor: Visitor,
): Promise<{ sha256: string }> {
  return deps.db.transaction(async (tx) => {
    const message = await sessionMessage(deps, tx, session);
    const intake = await taskIntake(tx, message.task_id);
    const signature = await storeSignature(tx, message, signaturePng, visitor, 'address_confirmation');
    const document = Buffer.from(
      JSON.stringify({
        kind: 'address_confirmation',
        taskId: message.task_id,
        messageId: message.id,
        text: addressConfirmationText(intake, message),
        signatureSha256: signature,
        signedAt: new Date().toISOString(),
        ip: visitor.ip,
        userAgent: visitor.userAgent,
      }),
    );
    const sha256 = sha256Of(document);
    await storeBlob(tx, sha256, document);
    await addEvent(tx, message.id, { kind: 'address_signed', ...visitorFields(visitor), blobSha256: sha256 });
    await advance(tx, message, 'verified');
    return { sha256 };
  });
}
