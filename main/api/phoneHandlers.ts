import { refused, type CallFacts } from '../../common/contract';
import { suggestDisposition } from '../../common/domain/callSuggestion';
import { normalizePhone, phoneSearchDigits } from '../../common/intake/phone';
import type { SqliteDatabase } from '../../native/sqlite';
import type { Clock } from '../app/clock';
import type { AuditLog } from '../store/auditLog';
import type { CallFactPatch, CallStore } from '../store/callStore';
import type { PhoneSettings } from '../phone/phoneSettings';
import type { SyncRecorder } from '../sync/outbox';
import type { DeskHandlers } from './dispatch';

export interface PhoneHandlerDeps {
  /** One write transaction through the desk's write gate (main/store/writeGate.ts). */
  write<T>(fn: () => T): T;
  db: SqliteDatabase;
  audit: AuditLog;
  calls: CallStore;
  phone: PhoneSettings;
  clock: Clock;
  /** Who acts now (a hub sign-in changes it). */
  actorOf(): string;
  /** The hub's copy of each ended call, queued in the transaction of its end. */
  sync?: Pick<SyncRecorder, 'callEnded'>;
}

type PhoneHandlers = Pick<
  DeskHandlers,
  | 'phoneSetup'
  | 'phoneSettingsSave'
  | 'phoneAudioSave'
  | 'phoneCredentials'
  | 'phoneMatchCaller'
  | 'callEvent'
>;

const taskOfAttempt = (db: SqliteDatabase) =>
  db.prepare<[number], { taskId: number; recordId: string | null }>(
    'SELECT task_id AS taskId, record_id AS recordId FROM attempts WHERE id = ?',
  );

/** Seconds from the answer (or the media, for a desk that missed the 200) to the hang-up. */
function talkSeconds(call: CallFacts): number {
  const from = call.answeredAt ?? call.mediaConnectedAt;
  if (!from || !call.endedAt) return 0;
  return Math.max(0, Math.min(86_400, Math.round((Date.parse(call.endedAt) - Date.parse(from)) / 1000)));
}

/** The softphone's settings, its caller matching, and the facts of each call as they happen. */
export function createPhoneHandlers(deps: PhoneHandlerDeps): PhoneHandlers {
  const { db, audit, calls, phone } = deps;
  const attemptTask = taskOfAttempt(db);

  return {
    phoneSetup: () => phone.setup(),
    phoneSettingsSave: ({ settings, password }) => phone.save(settings, password),
    phoneAudioSave: (prefs) => phone.saveAudio(prefs),
    phoneCredentials: () => ({ password: phone.password() }),

    phoneMatchCaller: ({ number }) => {
      const normalized = normalizePhone(number);
      const digits = normalized.ok ? normalized.value.digits : phoneSearchDigits(number);
      return digits ? calls.matchCaller(digits) : [];
    },

    callEvent: ({ attemptId, event }) =>
      deps.write(() => {
        const before = calls.call(attemptId);
        if (!before)
          throw refused('call_not_found', { attemptId }, `attempt ${attemptId} has no softphone call`);
        if (before.endedAt !== null)
          throw refused('call_ended', { attemptId }, `call ${attemptId} has ended; its facts are final`);
        // Main's clock, not the renderer's: one time base for every fact and audit event.
        const at = deps.clock.now().toISOString();
        const patch: CallFactPatch = {};
        switch (event.type) {
          case 'invite':
            Object.assign(patch, { sipCallId: event.sipCallId, dialled: event.dialled, inviteAt: at });
            break;
          case 'ringing':
            patch.ringingAt = at;
            break;
          case 'answered':
            patch.answeredAt = at;
            break;
          case 'media_connected':
            patch.mediaConnectedAt = at;
            break;
          case 'held':
          case 'resumed':
          case 'muted':
          case 'unmuted':
            calls.appendCallEvent(attemptId, { type: event.type, at });
            break;
          case 'dtmf':
            calls.appendCallEvent(attemptId, { type: event.type, at, digits: event.digits });
            break;
          case 'ended':
            Object.assign(patch, {
              endedAt: at,
              sipStatus: event.sipStatus ?? undefined,
              reason: event.reason,
              hungUpBy: event.hungUpBy,
              ...(event.stats ?? {}),
            });
            break;
        }
        calls.patchCall(attemptId, patch);
        const call: CallFacts = calls.call(attemptId)!;
        if (event.type !== 'ended') return { call, suggestedDisposition: null };
        const suggestedDisposition = suggestDisposition(call);
        const attempt = attemptTask.get(attemptId)!;
        if (attempt.recordId)
          deps.sync?.callEnded(
            attempt.taskId,
            {
              attemptId: attempt.recordId,
              sipCallId: call.sipCallId?.slice(0, 200) ?? null,
              answered: call.answeredAt !== null || call.mediaConnectedAt !== null,
              durationSeconds: talkSeconds(call),
            },
            at,
          );
        audit.append({
          at,
          actor: deps.actorOf(),
          type: 'call.ended',
          taskId: attempt.taskId,
          data: {
            attemptId,
            sipCallId: call.sipCallId,
            sipStatus: call.sipStatus,
            reason: call.reason,
            hungUpBy: call.hungUpBy,
            // A call counts as connected only once media flowed, not when SIP said 200.
            connected: call.mediaConnectedAt !== null,
            suggestedDisposition,
          },
        });
        return { call, suggestedDisposition };
      }),
  };
}
