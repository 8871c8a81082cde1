import { v7 as uuidv7 } from 'uuid';
import {
  DeskFailure,
  refused,
  type LocalSendView,
  type MessageStatusView,
  type TaskSending,
} from '../../common/contract';
import { CHANNELS, type Channel } from '../../common/domain/legalEffect';
import { maskEmail, maskPhone } from '../../common/domain/masking';
import { isOpen } from '../../common/domain/taskMachine';
import { createHubClient, HubRequestError } from '../../common/sync/hubClient';
import type { MessageView, SendRequest } from '../../common/sync/send';
import type { SqliteDatabase } from '../../native/sqlite';
import type { Clock } from '../app/clock';
import type { Consents, ConsentRow } from '../send/consents';
import { timedFetch } from '../send/sendPoster';
import type { SendStore } from '../send/sendStore';
import type { AuditLog } from '../store/auditLog';
import type { TaskStore } from '../store/taskStore';
import type { HubSession } from '../sync/hubSession';
import type { Outbox } from '../sync/outbox';
import type { DeskEmit } from './dispatcher';
import type { HandlersOf } from './dispatch';
import { createTaskTransitions } from './taskTransitions';

// The script's send step (issue 8): what may be sent on a task (the channels the party confirmed
// on the recorded call, the task's documents), a preview of the exact text from the hub, the send
// itself — committed here first, posted by the sync engine — and the messages' status and the
// legal effect as the hub last reported them. Escalation to postal when electronic service failed.

export interface SendHandlerDeps {
  db: SqliteDatabase;
  tasks: TaskStore;
  audit: AuditLog;
  consents: Consents;
  sends: SendStore;
  outbox: Outbox;
  session: HubSession;
  clock: Clock;
  write<T>(fn: () => T): T;
  actorOf(): string;
  emit: DeskEmit;
  /** Asks the sync engine to run soon (a queued send waits for it). */
  nudgeSync(): void;
}

const masked = (channel: Channel, address: string) =>
  channel === 'sms' ? maskPhone(address) : maskEmail(address);

/** The statuses that mean the message reached the party's phone or mailbox, or more. */
const ARRIVED: readonly MessageView['status'][] = ['delivered', 'opened', 'verified', 'confirmed'];

export function createSendHandlers(
  deps: SendHandlerDeps,
): HandlersOf<'taskSending' | 'sendPreview' | 'sendQueue' | 'sendEscalatePostal'> {
  const { tasks, consents, sends } = deps;
  const nowIso = () => deps.clock.now().toISOString();
  const hubIdOf = deps.db.prepare<[number], { hubId: string | null }>(
    'SELECT hub_id AS hubId FROM tasks WHERE id = ?',
  );
  const flow = createTaskTransitions(tasks, deps.audit, deps.outbox.recorder);

  const requireTask = (taskId: number) => {
    const task = tasks.core(taskId);
    if (!task) throw refused('task_not_found', { taskId }, `task ${taskId} does not exist`);
    return task;
  };

  /** The address confirmed last for each channel. */
  function confirmedChannels(rows: readonly ConsentRow[]): Map<Channel, ConsentRow> {
    const byChannel = new Map<Channel, ConsentRow>();
    for (const row of rows) byChannel.set(row.channel, row);
    return byChannel;
  }

  /** The send as the hub takes it, checked against what the party confirmed and the task holds. */
  function sendBody(taskId: number, channels: readonly Channel[], documents: readonly string[]) {
    const task = requireTask(taskId);
    const hubId = hubIdOf.get(taskId)?.hubId ?? null;
    if (!hubId) throw refused('send_not_hub_task', {}, 'a desk-only task is not sent through the hub');
    const rows = consents.ofTask(taskId);
    if (rows.length === 0) throw refused('send_no_consent', {}, 'no consent on a recorded call yet');
    const confirmed = confirmedChannels(rows);
    const known = new Set(tasks.documentsOf(task.id).flatMap((d) => (d.sha256 ? [d.sha256] : [])));
    for (const sha256 of documents)
      if (!known.has(sha256))
        throw refused('send_document_unknown', {}, `no document ${sha256} on task ${taskId}`);
    return {
      rows,
      body: {
        taskId: hubId,
        channels: channels.map((channel) => {
          const row = confirmed.get(channel);
          if (!row)
            throw refused('send_channel_not_confirmed', { channel }, `no confirmed ${channel} address`);
          return { channel, address: row.address };
        }),
        documents: [...documents],
      },
    };
  }

  function localView(row: ReturnType<SendStore['ofTask']>[number]): LocalSendView {
    return {
      sendId: row.sendId,
      state: row.state,
      channels: row.request.channels.map((c) => c.channel),
      documents: row.request.documents,
      createdAt: row.createdAt,
      postedAt: row.postedAt,
      checkCode: row.checkCode,
      error: row.error,
    };
  }

  const messageView = (m: MessageView): MessageStatusView => ({
    id: m.id,
    sendId: m.sendId,
    channel: m.channel,
    addressMasked: masked(m.channel, m.address),
    status: m.status,
    failureReason: m.failureReason,
    createdAt: m.createdAt,
    sentAt: m.sentAt,
    deliveredAt: m.deliveredAt,
    checkCode: m.checkCode,
    events: m.events.map((e) => ({ kind: e.kind, at: e.at })),
  });

  return {
    taskSending: ({ taskId }): TaskSending => {
      const task = requireTask(taskId);
      const hubTask = (hubIdOf.get(taskId)?.hubId ?? null) !== null;
      const rows = consents.ofTask(taskId);
      const first = rows[0];
      const confirmed = confirmedChannels(rows);
      const view = sends.hubView(taskId);
      const messages = view.messages.map(messageView);
      const failed = messages.filter((m) => m.status === 'failed');
      const arrived = messages.some((m) => ARRIVED.includes(m.status));
      const tried = new Set(messages.filter((m) => m.status !== 'failed').map((m) => m.channel));
      const nextChannel =
        CHANNELS.find((c) => confirmed.has(c) && !tried.has(c) && failed.every((m) => m.channel !== c)) ??
        null;
      return {
        hubTask,
        consent: first
          ? {
              at: first.consentedAt,
              recordingSha256: first.recordingSha256,
              markOffsetMs: first.markOffsetMs,
              waitingForRecording: rows.some((r) => r.factId === null),
            }
          : null,
        channels: [...confirmed.values()].map((row) => ({
          channel: row.channel,
          addressMasked: masked(row.channel, row.address),
          consentedAt: row.consentedAt,
        })),
        documents: tasks
          .documentsOf(taskId)
          .flatMap((d) => (d.sha256 ? [{ sha256: d.sha256, title: d.title, kind: d.kind }] : [])),
        sends: sends.ofTask(taskId).map(localView),
        messages,
        // The effect's "sent" facts name the address: masked like every address the desk shows.
        legalEffect: view.legalEffect && {
          ...view.legalEffect,
          facts: view.legalEffect.facts.map((f) =>
            f.kind === 'sent' && f.channel && f.detail ? { ...f, detail: masked(f.channel, f.detail) } : f,
          ),
        },
        // Offered only while nothing arrived: another confirmed channel, or postal service.
        nextStep:
          failed.length > 0 && !arrived
            ? { channel: nextChannel, escalate: isOpen(task.status) && task.method === 'electronic' }
            : null,
      };
    },

    sendPreview: async ({ taskId, channels, documents }) => {
      const { body } = sendBody(taskId, channels, documents);
      const signedIn = deps.session.current();
      if (!signedIn) throw new DeskFailure('unauthorized', 'sign in to the hub first');
      const hub = createHubClient({ baseUrl: signedIn.url, token: signedIn.token, fetch: timedFetch });
      try {
        const answer = await hub.sendPreview(body);
        return {
          messages: answer.messages.map((m) => ({
            channel: m.channel,
            addressMasked: masked(m.channel, m.address),
            sender: m.sender,
            subject: m.subject,
            content: m.content,
          })),
        };
      } catch (error) {
        if (error instanceof HubRequestError && error.status < 500)
          throw new DeskFailure('refused', error.message, { hubCode: error.code });
        throw new DeskFailure('hub_unreachable', `preview: ${(error as Error).message}`);
      }
    },

    sendQueue: ({ taskId, channels, documents }) => {
      // A recording finalised since the outcome lets its consent go first.
      consents.flush(nowIso());
      const answer = deps.write(() => {
        const { rows, body } = sendBody(taskId, channels, documents);
        if (rows.some((r) => r.factId === null))
          throw refused('send_consent_pending', {}, 'the consent waits for its recording to be finalised');
        const userId = deps.session.current()?.user.id ?? deps.session.lastUserId();
        if (!userId) throw new DeskFailure('unauthorized', 'sign in to the hub first');
        const at = nowIso();
        const sendId = uuidv7();
        const request: SendRequest = { sendId, ...body };
        const { clientId } = deps.outbox.client(userId);
        // After every operation queued so far (the consent among them): posted only once they are settled.
        sends.queue(
          { sendId, taskId, request, clientId, afterMutationId: deps.outbox.lastMutationId(userId) },
          at,
        );
        deps.audit.append({
          at,
          actor: deps.actorOf(),
          type: 'send.queued',
          taskId,
          data: { sendId, channels, documents },
        });
        return { sendId, state: 'queued' as const };
      });
      deps.emit('sendsChanged', { taskId });
      deps.nudgeSync();
      return answer;
    },

    sendEscalatePostal: ({ taskId }) => {
      const result = deps.write(() => {
        const task = requireTask(taskId);
        const next = flow.transition(
          task,
          { type: 'escalate', to: 'postal', reason: 'not_confirmed' },
          nowIso(),
          deps.actorOf(),
        );
        return { status: next.status };
      });
      deps.emit('queueChanged', { reason: 'escalate' });
      deps.emit('sendsChanged', { taskId });
      return result;
    },
  };
}
