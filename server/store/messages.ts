import { v7 as uuidv7 } from 'uuid';
import type { Channel } from '../../common/domain/legalEffect';
import type { IntakeTask } from '../../common/intake/taskSchema';
import type { MessageStatus, MessageView } from '../../common/sync/send';
import type { Queryable } from '../db/driver';
import { recordChanges } from './changes';

// Messages sent from the hub and their events (migration 005). A message's status only moves
// forward (see STATUS_RANK); every move is an event row, and a change the desk pulls.

export interface MessageRow {
  id: string;
  send_id: string;
  task_id: string;
  team_id: string;
  channel: Channel;
  address: string;
  sender: string;
  template_id: string;
  template_params: Record<string, string>;
  subject: string | null;
  content: string;
  content_sha256: string | null;
  documents: { title: string; kind: string; sha256: string }[];
  check_code: string;
  request_sha256: string;
  link_expires_at: Date;
  revoked_at: Date | null;
  status: MessageStatus;
  failure_reason: string | null;
  provider_ref: string | null;
  created_at: Date;
  sent_at: Date | null;
  delivered_at: Date | null;
  verify_failures: number;
  otp_sha256: string | null;
  otp_expires_at: Date | null;
  otp_sent: number;
}

/** Forward order of statuses; a failure can still be followed by the party opening the link. */
const STATUS_RANK: Readonly<Record<MessageStatus, number>> = {
  accepted: 0,
  sending: 1,
  failed: 2,
  sent: 3,
  delivered: 4,
  opened: 5,
  verified: 6,
  confirmed: 7,
};

export const TOKEN_PLACEHOLDER = '{token}';

export type NewMessage = Pick<
  MessageRow,
  | 'channel'
  | 'address'
  | 'sender'
  | 'template_id'
  | 'template_params'
  | 'subject'
  | 'content'
  | 'documents'
  | 'check_code'
  | 'link_expires_at'
>;

export async function messagesOfSend(tx: Queryable, sendId: string): Promise<MessageRow[]> {
  return tx.query<MessageRow>('SELECT * FROM messages WHERE send_id = $1 ORDER BY channel', [sendId]);
}

export async function messageById(tx: Queryable, id: string, lock = false): Promise<MessageRow | null> {
  const rows = await tx.query<MessageRow>(
    `SELECT * FROM messages WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function messageByToken(
  tx: Queryable,
  tokenSha256: string,
  lock = false,
): Promise<MessageRow | null> {
  const rows = await tx.query<MessageRow>(
    `SELECT * FROM messages WHERE link_token_sha256 = $1${lock ? ' FOR UPDATE' : ''}`,
    [tokenSha256],
  );
  return rows[0] ?? null;
}

export async function messageByPortalSession(
  tx: Queryable,
  sessionSha256: string,
): Promise<MessageRow | null> {
  const rows = await tx.query<MessageRow>(
    'SELECT * FROM messages WHERE portal_session_sha256 = $1 AND portal_session_expires_at > now()',
    [sessionSha256],
  );
  return rows[0] ?? null;
}

export async function taskIntake(tx: Queryable, taskId: string): Promise<IntakeTask> {
  const rows = await tx.query<{ intake: IntakeTask }>('SELECT intake FROM tasks WHERE id = $1', [taskId]);
  if (!rows[0]) throw new Error(`no task ${taskId}`);
  return rows[0].intake;
}

export interface EventInput {
  kind: string;
  ip?: string | null;
  userAgent?: string | null;
  details?: Record<string, unknown>;
  blobSha256?: string | null;
}

/** Appends an event of a message; answers its id (cited as the fact's ref). */
export async function addEvent(tx: Queryable, messageId: string, event: EventInput): Promise<string> {
  const id = uuidv7();
  await tx.query(
    `INSERT INTO message_events (id, message_id, kind, ip, user_agent, details, blob_sha256)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      id,
      messageId,
      event.kind,
      event.ip ?? null,
      event.userAgent?.slice(0, 500) ?? null,
      JSON.stringify(event.details ?? {}),
      event.blobSha256 ?? null,
    ],
  );
  return id;
}

const STATUS_ORDER = (Object.keys(STATUS_RANK) as MessageStatus[]).sort(
  (a, b) => STATUS_RANK[a] - STATUS_RANK[b],
);

/** Moves the status forward (never back, judged on the row as it is now) and tells the task's desks. */
export async function advanceStatus(
  tx: Queryable,
  message: Pick<MessageRow, 'id' | 'task_id' | 'team_id'>,
  to: MessageStatus,
): Promise<void> {
  await tx.query(
    `UPDATE messages SET status = $2
      WHERE id = $1 AND array_position($3::text[], status) < array_position($3::text[], $2)`,
    [message.id, to, STATUS_ORDER],
  );
  await recordChanges(tx, message.team_id, [message.task_id]);
}

export async function insertMessages(
  tx: Queryable,
  send: { sendId: string; taskId: string; teamId: string; authorId: string; requestSha256: string },
  messages: readonly NewMessage[],
): Promise<MessageRow[]> {
  const rows: MessageRow[] = [];
  for (const message of messages) {
    const [row] = await tx.query<MessageRow>(
      `INSERT INTO messages (id, send_id, task_id, team_id, author_id, channel, address, sender, template_id,
         template_params, subject, content, documents, check_code, request_sha256, link_expires_at, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'accepted')
       RETURNING *`,
      [
        uuidv7(),
        send.sendId,
        send.taskId,
        send.teamId,
        send.authorId,
        message.channel,
        message.address,
        message.sender,
        message.template_id,
        JSON.stringify(message.template_params),
        message.subject,
        message.content,
        JSON.stringify(message.documents),
        message.check_code,
        send.requestSha256,
        message.link_expires_at,
      ],
    );
    await addEvent(tx, row!.id, { kind: 'accepted' });
    rows.push(row!);
  }
  await recordChanges(tx, send.teamId, [send.taskId]);
  return rows;
}

/**
 * Takes an accepted message for sending: only one caller ever gets it (a retried send, a second
 * hub instance), so a message is handed to its channel at most once. Answers false if taken.
 */
export async function claimForSending(
  tx: Queryable,
  messageId: string,
  token: { sha256: string; contentSha256: string },
): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE messages SET status = 'sending', link_token_sha256 = $2, content_sha256 = $3
      WHERE id = $1 AND status = 'accepted' RETURNING id`,
    [messageId, token.sha256, token.contentSha256],
  );
  return rows.length === 1;
}

export type Outcome =
  | { status: 'sent'; providerRef: string }
  | { status: 'delivered'; providerRef: string; detail: string }
  | { status: 'failed'; reason: string };

/**
 * What the channel answered when the message was handed over. The status moves only from
 * `sending`: a delivery report that came back before this answer was recorded stays the status.
 */
export async function recordHandOver(tx: Queryable, message: MessageRow, outcome: Outcome): Promise<void> {
  if (outcome.status === 'failed') {
    await tx.query(
      `UPDATE messages SET failure_reason = $2, status = CASE WHEN status = 'sending' THEN 'failed' ELSE status END
        WHERE id = $1`,
      [message.id, outcome.reason],
    );
    await addEvent(tx, message.id, { kind: 'failed', details: { reason: outcome.reason } });
  } else {
    const delivered = outcome.status === 'delivered';
    await tx.query(
      `UPDATE messages SET provider_ref = $2, sent_at = now(),
              delivered_at = CASE WHEN $3 THEN COALESCE(delivered_at, now()) ELSE delivered_at END,
              status = CASE WHEN status = 'sending' THEN $4 ELSE status END
        WHERE id = $1`,
      [message.id, outcome.providerRef, delivered, outcome.status],
    );
    await addEvent(tx, message.id, { kind: 'sent', details: { providerRef: outcome.providerRef } });
    if (delivered) await addEvent(tx, message.id, { kind: 'delivered', details: { detail: outcome.detail } });
  }
  await recordChanges(tx, message.team_id, [message.task_id]);
}

/**
 * A carrier's delivery report, for the message it names by our id (`messageId`, echoed by the
 * carrier) or by its own `providerRef`; answers the message's task, or null when neither is known.
 * A report may come before the hub has recorded the carrier's answer to the send.
 */
export async function recordDeliveryReport(
  tx: Queryable,
  channel: Channel,
  report: {
    messageId: string | null;
    providerRef: string;
    delivered: boolean;
    /** When the carrier says it sent the message (kept when the hub never heard its answer). */
    sentAt: Date;
    at: Date;
    reason: string | null;
    raw: unknown;
  },
): Promise<string | null> {
  const rows = await tx.query<MessageRow>(
    `SELECT * FROM messages
      WHERE channel = $1 AND (provider_ref = $2 OR (id::text = $3 AND (provider_ref IS NULL OR provider_ref = $2)))
      FOR UPDATE`,
    [channel, report.providerRef, report.messageId ?? ''],
  );
  const message = rows[0];
  if (!message) return null;
  // The hub gave up waiting for the carrier's answer, yet the carrier sent it: the report says so.
  await tx.query(
    'UPDATE messages SET provider_ref = COALESCE(provider_ref, $2), sent_at = COALESCE(sent_at, $3) WHERE id = $1',
    [message.id, report.providerRef, report.sentAt],
  );
  if (report.delivered) {
    await tx.query('UPDATE messages SET delivered_at = COALESCE(delivered_at, $2) WHERE id = $1', [
      message.id,
      report.at,
    ]);
    await addEvent(tx, message.id, { kind: 'delivered', details: { report: report.raw } });
    await advanceStatus(tx, message, 'delivered');
  } else {
    await failAfterHandOver(tx, message, report.reason, {
      details: { reason: report.reason, report: report.raw },
    });
  }
  return message.task_id;
}

/**
 * An e-mail's bounce after the receiving server accepted it (a DSN to its VERP address): the
 * message becomes `failed` with the DSN's status and diagnostic, unless the party already acted
 * on it. The acceptance stays recorded (evidence is never altered); the DSN itself is kept as a
 * blob the `failed` event cites, and the same report relayed twice (its status part the same,
 * the envelope around it not) is recorded once.
 * `unknown` when no e-mail has that id; `other_message` when the DSN's returned headers name
 * another Message-ID than the one the mail server gave this message.
 */
export async function recordBounce(
  tx: Queryable,
  messageId: string,
  bounce: {
    reason: string;
    originalMessageId: string | null;
    dsnSha256: string;
    statusSha256: string;
    details: Record<string, unknown>;
  },
): Promise<'recorded' | 'unknown' | 'other_message'> {
  const message = await messageById(tx, messageId, true);
  if (!message || message.channel !== 'email') return 'unknown';
  if (bounce.originalMessageId && message.provider_ref && bounce.originalMessageId !== message.provider_ref) {
    return 'other_message';
  }
  const seen = await tx.query(
    `SELECT 1 FROM message_events WHERE message_id = $1 AND kind = 'failed' AND details->>'statusSha256' = $2`,
    [message.id, bounce.statusSha256],
  );
  if (seen.length > 0) return 'recorded';
  await failAfterHandOver(tx, message, bounce.reason, {
    details: { reason: bounce.reason, statusSha256: bounce.statusSha256, dsn: bounce.details },
    blobSha256: bounce.dsnSha256,
  });
  return 'recorded';
}

/**
 * A message handed over, then reported not delivered (a carrier's report, an e-mail's bounce): it
 * becomes `failed` with the reason, unless the party already acted on it (their acts stand), and
 * the `failed` event records what said so.
 */
async function failAfterHandOver(
  tx: Queryable,
  message: MessageRow,
  reason: string | null,
  event: Omit<EventInput, 'kind'>,
): Promise<void> {
  await tx.query(
    `UPDATE messages SET failure_reason = $2,
            status = CASE WHEN status IN ('accepted', 'sending', 'sent', 'delivered') THEN 'failed' ELSE status END
      WHERE id = $1`,
    [message.id, reason],
  );
  await addEvent(tx, message.id, { kind: 'failed', ...event });
  await recordChanges(tx, message.team_id, [message.task_id]);
}

export interface EventRow {
  id: string;
  message_id: string;
  kind: string;
  at: Date;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
  blob_sha256: string | null;
}

export async function eventsOf(tx: Queryable, messageIds: readonly string[]): Promise<EventRow[]> {
  if (messageIds.length === 0) return [];
  return tx.query<EventRow>(
    'SELECT * FROM message_events WHERE message_id = ANY($1::uuid[]) ORDER BY at, id',
    [[...messageIds]],
  );
}

export async function messagesOfTasks(tx: Queryable, taskIds: readonly string[]): Promise<MessageRow[]> {
  if (taskIds.length === 0) return [];
  return tx.query<MessageRow>(
    'SELECT * FROM messages WHERE task_id = ANY($1::uuid[]) ORDER BY created_at, id',
    [[...taskIds]],
  );
}

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function messageView(row: MessageRow, events: readonly EventRow[]): MessageView {
  return {
    id: row.id,
    sendId: row.send_id,
    taskId: row.task_id,
    channel: row.channel,
    address: row.address,
    sender: row.sender,
    status: row.status,
    failureReason: row.failure_reason,
    subject: row.subject,
    content: row.content,
    documents: row.documents,
    checkCode: row.check_code,
    linkExpiresAt: row.link_expires_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    sentAt: iso(row.sent_at),
    deliveredAt: iso(row.delivered_at),
    events: events
      .filter((e) => e.message_id === row.id)
      .map((e) => ({
        id: e.id,
        kind: e.kind,
        at: e.at.toISOString(),
        blobSha256: e.blob_sha256,
        ip: e.ip,
        userAgent: e.user_agent,
      })),
  };
}

/** The messages of each task, as task snapshots carry them. */
export async function messageViewsByTask(
  tx: Queryable,
  taskIds: readonly string[],
): Promise<Map<string, MessageView[]>> {
  const rows = await messagesOfTasks(tx, taskIds);
  const events = await eventsOf(
    tx,
    rows.map((r) => r.id),
  );
  const byTask = new Map<string, MessageView[]>();
  for (const row of rows) {
    const list = byTask.get(row.task_id) ?? [];
    list.push(messageView(row, events));
    byTask.set(row.task_id, list);
  }
  return byTask;
}
