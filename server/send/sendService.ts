import { randomInt } from 'node:crypto';
import { MAX_SERVICE_MESSAGES, type Channel } from '../../common/domain/legalEffect';
import { normalizePhone } from '../../common/intake/phone';
import type { IntakeTask } from '../../common/intake/taskSchema';
import type { HubUser } from '../../common/sync/hubApi';
import type { MessageView, PreviewResponse, SendRequest, SendResponse } from '../../common/sync/send';
import type { SendConfig } from '../config';
import type { HubDb, Queryable } from '../db/driver';
import { HubError } from '../errors';
import { createLogger } from '../logger';
import { newSecret, sha256Hex } from '../store/secrets';
import { recordChanges } from '../store/changes';
import {
  addEvent,
  claimForSending,
  eventsOf,
  insertMessages,
  messageById,
  messagesOfSend,
  messageView,
  recordHandOver,
  taskIntake,
  TOKEN_PLACEHOLDER,
  type MessageRow,
  type NewMessage,
} from '../store/messages';
import { taskForUser } from '../store/tasks';
import type { Channels } from './channels';
import { settleDeliveryEffect } from './deliveryEffect';
import { documentList, expiryText, renderTemplate, templateFor, type TemplateParams } from './templates';

const log = createLogger('send');

export interface SendDeps {
  db: HubDb;
  config: SendConfig | null;
  channels: Channels;
}

type SendBody = Omit<SendRequest, 'sendId'>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The address as the channel takes it: a mobile's 11 digits, an e-mail address as given. */
function channelAddress(channel: Channel, raw: string): string {
  if (channel === 'email') {
    if (!EMAIL.test(raw)) throw new HubError('invalid_request', 'not an e-mail address');
    return raw;
  }
  const phone = normalizePhone(raw);
  if (!phone.ok || phone.value.kind !== 'mobile') {
    throw new HubError('invalid_request', 'an SMS goes to a mobile number');
  }
  return phone.value.digits;
}

export const linkFor = (config: SendConfig, token: string): string => `${config.publicUrl}/p/${token}`;
export const hotlineFor = (config: SendConfig, court: string): string =>
  config.courtHotlines[court] ?? config.defaultHotline;

/** A short code read out on the call and carried by the message: 4 digits. */
const newCheckCode = (): string => String(randomInt(0, 10_000)).padStart(4, '0');

function requireConfig(config: SendConfig | null): SendConfig {
  if (!config) throw new HubError('conflict', 'sending is not set up on this hub');
  return config;
}

/** The task a specialist sends on: theirs now (a former holder no longer sends). */
async function sendableTask(tx: Queryable, user: HubUser, taskId: string) {
  const task = await taskForUser(tx, user, taskId, true);
  if (task.assignee_id !== user.id) throw new HubError('forbidden', 'send only on a task assigned to you');
  return task;
}

/** The messages a send would make, each with its exact text (the token as {token}). */
function compose(
  config: SendConfig,
  deps: SendDeps,
  intake: IntakeTask,
  body: SendBody,
  checkCode: string,
  expiresAt: Date,
): NewMessage[] {
  const documents = body.documents.map((sha256) => {
    const document = intake.documents.find((d) => d.sha256 === sha256);
    if (!document) throw new HubError('invalid_request', `no document ${sha256} on this task`);
    return { title: document.title, kind: document.kind, sha256 };
  });
  return body.channels.map(({ channel, address }) => {
    const sending = deps.channels.get(channel);
    if (!sending) throw new HubError('conflict', `this hub has no ${channel} channel`);
    const template = templateFor(channel, documents);
    const params: TemplateParams = {
      court: intake.case.court,
      party: intake.party.name,
      caseNumber: intake.case.number,
      documents: documentList(documents),
      link: linkFor(config, TOKEN_PLACEHOLDER),
      checkCode,
      expiry: expiryText(expiresAt),
      hotline: hotlineFor(config, intake.case.court),
    };
    const rendered = renderTemplate(template.id, params);
    return {
      channel,
      address: channelAddress(channel, address),
      sender: sending.sender,
      template_id: template.id,
      template_params: params,
      subject: rendered.subject,
      content: rendered.text,
      documents,
      check_code: checkCode,
      link_expires_at: expiresAt,
    };
  });
}

async function documentsPresent(tx: Queryable, documents: readonly string[]): Promise<void> {
  const rows = await tx.query<{ sha256: string }>('SELECT sha256 FROM blobs WHERE sha256 = ANY($1::text[])', [
    [...documents],
  ]);
  const present = new Set(rows.map((r) => r.sha256));
  const missing = documents.filter((d) => !present.has(d));
  if (missing.length > 0) {
    throw new HubError('conflict', 'a document file is not on the hub yet', { missing });
  }
}

export async function previewSend(deps: SendDeps, user: HubUser, body: SendBody): Promise<PreviewResponse> {
  const config = requireConfig(deps.config);
  const intake = await deps.db.transaction(async (tx) => {
    await sendableTask(tx, user, body.taskId);
    return taskIntake(tx, body.taskId);
  });
  const expiresAt = new Date(Date.now() + config.linkTtlHours * 3_600_000);
  return {
    messages: compose(config, deps, intake, body, '····', expiresAt).map((m) => ({
      channel: m.channel,
      address: m.address,
      sender: m.sender,
      subject: m.subject,
      content: m.content,
    })),
  };
}

/**
 * Sends on a task: the messages are committed (accepted) before anything leaves the hub, then each
 * is claimed and handed to its channel once. A repeated send id answers its messages as they are,
 * and completes the hand-over of any message an outage left accepted but not yet sent.
 */
export async function send(deps: SendDeps, user: HubUser, request: SendRequest): Promise<SendResponse> {
  const config = requireConfig(deps.config);
  const { sendId, ...body } = request;
  const requestSha256 = sha256Hex(JSON.stringify(body));
  const { rows, replayed } = await deps.db.transaction(async (tx) => {
    const task = await sendableTask(tx, user, body.taskId);
    const existing = await messagesOfSend(tx, sendId);
    if (existing.length > 0) {
      if (existing[0]!.request_sha256 !== requestSha256) {
        throw new HubError('conflict', 'this send id was used for another send');
      }
      return { rows: existing, replayed: true };
    }
    await documentsPresent(tx, body.documents);
    const intake = await taskIntake(tx, body.taskId);
    const expiresAt = new Date(Date.now() + config.linkTtlHours * 3_600_000);
    const messages = compose(config, deps, intake, body, newCheckCode(), expiresAt);
    const [held] = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM messages WHERE task_id = $1',
      [task.id],
    );
    if (held!.n + messages.length > MAX_SERVICE_MESSAGES) {
      throw new HubError(
        'conflict',
        `a task's service holds at most ${MAX_SERVICE_MESSAGES} messages; this one has ${held!.n}: escalate instead`,
      );
    }
    const inserted = await insertMessages(
      tx,
      { sendId, taskId: task.id, teamId: task.team_id, authorId: user.id, requestSha256 },
      messages,
    );
    return { rows: inserted, replayed: false };
  });
  for (const row of rows) {
    if (row.status === 'accepted') await handOver(deps, row);
  }
  const fresh = await Promise.all(rows.map((row) => messageById(deps.db, row.id)));
  const events = await eventsOf(
    deps.db,
    rows.map((r) => r.id),
  );
  return {
    sendId,
    checkCode: rows[0]!.check_code,
    replayed,
    messages: fresh.map((row) => messageView(row!, events)),
  };
}

/** Makes the link's token, claims the message and hands it to its channel (at most once). */
async function handOver(deps: SendDeps, message: MessageRow): Promise<void> {
  const channel = deps.channels.get(message.channel);
  if (!channel) return;
  const token = newSecret();
  const text = message.content.replaceAll(TOKEN_PLACEHOLDER, token);
  const claimed = await deps.db.transaction((tx) =>
    claimForSending(tx, message.id, { sha256: sha256Hex(token), contentSha256: sha256Hex(text) }),
  );
  if (!claimed) return;
  const params = Object.fromEntries(
    Object.entries(message.template_params).map(([key, value]) => [
      key,
      value.replaceAll(TOKEN_PLACEHOLDER, token),
    ]),
  );
  const outcome = await channel.send({
    id: message.id,
    to: message.address,
    subject: message.subject,
    text,
    templateId: message.template_id,
    templateParams: params,
  });
  if (outcome.status === 'failed') log.warn({ messageId: message.id, reason: outcome.reason }, 'send failed');
  await deps.db.transaction(async (tx) => {
    await recordHandOver(tx, message, outcome);
    await settleDeliveryEffect(tx, message.task_id);
  });
}

/**
 * Revokes a message's link: the task's specialist or the team's lead (a wrong address, a resend).
 * The message and its events stay; the portal answers `revoked` from now on.
 */
export async function revokeLink(
  db: HubDb,
  user: HubUser,
  messageId: string,
  reason: string,
): Promise<MessageView> {
  return db.transaction(async (tx) => {
    const message = await messageById(tx, messageId, true);
    if (!message) throw new HubError('not_found', 'no such message');
    await taskForUser(tx, user, message.task_id);
    if (!message.revoked_at) {
      await tx.query('UPDATE messages SET revoked_at = now(), portal_session_sha256 = NULL WHERE id = $1', [
        message.id,
      ]);
      await addEvent(tx, message.id, { kind: 'revoked', details: { by: user.id, reason } });
      await recordChanges(tx, message.team_id, [message.task_id]);
    }
    const events = await eventsOf(tx, [message.id]);
    return messageView((await messageById(tx, message.id))!, events);
  });
}
