import {
  refused,
  refusedBy,
  type phoneCalls,
  type SendCallName,
  type proofCalls,
  type SyncCallName,
  type TaskDetail,
} from '../../common/contract';
import { maskPhone } from '../../common/domain/masking';
import type { SyncRecorder } from '../sync/outbox';
import { confirmedAddresses, type Consents } from '../send/consents';
import { checkCallAllowed, type CallingHours } from '../../common/domain/callingHours';
import { DISPOSITION_INFO, nextStepFor } from '../../common/domain/dispositions';
import { isOpen, type TaskEvent } from '../../common/domain/taskMachine';
import { createTaskTransitions } from './taskTransitions';
import { phoneNumberDisplay } from '../../common/intake/phone';
import type { RetryPolicy } from '../../common/domain/retryPolicy';
import type { SqliteDatabase } from '../../native/sqlite';
import { queueClock, type Clock } from '../app/clock';
import type { AuditLog } from '../store/auditLog';
import type { IntakeWriter } from '../store/intakeWriter';
import type { QueueQueries } from '../store/queueQueries';
import type { TaskCore, TaskStore } from '../store/taskStore';
import type { CallStore } from '../store/callStore';
import { renderScriptFor } from './callScripts';
import { loadDemoTasks } from '../demo/loadDemo';
import type { DeskHandlers } from './dispatch';
import type { DeskEmit } from './dispatcher';
import type { IntakeHandlers } from './intakeHandlers';

export interface DeskConfig {
  specialist: { id: string; name: string };
  callerNumber: string;
  timeZone: string;
  callingHours: CallingHours;
  retryPolicy: RetryPolicy;
}

export interface DeskServiceDeps {
  db: SqliteDatabase;
  audit: AuditLog;
  tasks: TaskStore;
  queue: QueueQueries;
  intake: IntakeWriter;
  clock: Clock;
  config: DeskConfig;
  /** Softphone calls (1:1 with an attempt) and the account's dial prefixes. */
  calls: CallStore;
  dialPrefixes(): { mobile: string; landline: string };
  /** Runs `fn` in one write transaction (BEGIN IMMEDIATE), ahead of a running import's next chunk. */
  write<T>(fn: () => T): T;
  emit: DeskEmit;
  /** Queues hub tasks' changes in the same transaction (absent on a desk without a hub). */
  sync?: SyncRecorder;
  /** The party's consents to electronic service and their facts (main/send/consents.ts). */
  consents?: Consents;
}

/**
 * The desk contract's queue, task and call handlers; imports (intakeHandlers.ts) and the
 * softphone (phoneHandlers.ts, recordingHandlers.ts) have their own modules. openDesk merges them
 * into one dispatch.
 */
export type CoreDeskHandlers = Omit<
  DeskHandlers,
  keyof typeof phoneCalls | keyof IntakeHandlers | SyncCallName | SendCallName | keyof typeof proofCalls
>;

export function createDeskHandlers(deps: DeskServiceDeps): CoreDeskHandlers {
  const { audit, tasks, queue, config } = deps;
  // Read at each change: signing in to a hub changes who the actor is.
  const actorOf = () => config.specialist.id;
  const nowIso = () => deps.clock.now().toISOString();

  const requireTask = (taskId: number): TaskCore => {
    const task = tasks.core(taskId);
    if (!task) throw refused('task_not_found', { taskId }, `task ${taskId} does not exist`);
    return task;
  };
  const requirePhone = (taskId: number, phoneId: number) => {
    const phone = tasks.phone(taskId, phoneId);
    if (!phone)
      throw refused('phone_not_found', { taskId, phoneId }, `phone ${phoneId} is not on task ${taskId}`);
    return phone;
  };
  /** Calls and their outcomes belong to open tasks still on electronic delivery. */
  const ensureCallable = (task: TaskCore): void => {
    if (!isOpen(task.status)) {
      throw refused('task_not_open', { status: task.status }, `the task is ${task.status}; calls are over`);
    }
    if (task.method !== 'electronic') {
      throw refused(
        'task_moved_method',
        { method: task.method },
        `the task has moved to ${task.method} delivery; calls are over`,
      );
    }
  };
  const detailOf = (taskId: number): TaskDetail => tasks.detail(taskId)!;

  const flow = createTaskTransitions(tasks, audit, deps.sync);
  const transition = (task: TaskCore, event: TaskEvent, at: string) =>
    flow.transition(task, event, at, actorOf());
  const ensureInProgress = (task: TaskCore, at: string) => flow.ensureInProgress(task, at, actorOf());

  const callbackPending = (task: TaskCore) => (task.callbackAt ? { atIso: task.callbackAt } : undefined);

  /** Calling hours and retry spacing, for a call the desk makes (DOMAIN.md). */
  const checkCallingRules = (task: TaskCore, at: string, callback: { atIso: string } | undefined) => {
    const hours = checkCallAllowed(config.callingHours, at, task.partyTimeZone ?? undefined, callback);
    if (!hours.ok) throw refusedBy(hours);
    if (!callback && task.nextAttemptAt && task.nextAttemptAt > at) {
      throw refused(
        'call_retry_spacing',
        { nextAllowedAt: task.nextAttemptAt },
        `retry spacing: the next call is not before ${task.nextAttemptAt}`,
      );
    }
  };

  return {
    sessionInfo: () => ({
      specialist: config.specialist,
      callerNumber: config.callerNumber,
      timeZone: config.timeZone,
      today: queueClock(deps.clock, config.timeZone).today,
      taskCount: queue.total(),
    }),

    queuePage: (params) => queue.page(params, queueClock(deps.clock, config.timeZone)),
    queueCounts: ({ search }) => queue.counts(search, queueClock(deps.clock, config.timeZone)),

    taskGet: ({ taskId }) => {
      requireTask(taskId);
      return detailOf(taskId);
    },

    taskReveal: (params) =>
      deps.write(() => {
        const task = requireTask(params.taskId);
        let value: string;
        if (params.field === 'idNumber') {
          if (task.idNumber === '')
            throw refused(
              'id_number_unknown',
              { taskId: task.id },
              `task ${task.id} has no ID number on file`,
            );
          value = task.idNumber;
        } else {
          // The number alone: the extension is not personal data and is shown beside it.
          value = phoneNumberDisplay(requirePhone(task.id, params.phoneId).digits);
        }
        // Committed before the value is answered: no reveal without its audit record.
        audit.append({
          at: nowIso(),
          actor: actorOf(),
          type: 'pii.revealed',
          taskId: task.id,
          data:
            params.field === 'phone' ? { field: 'phone', phoneId: params.phoneId } : { field: 'idNumber' },
        });
        return { value };
      }),

    taskScript: ({ taskId, locale }) => {
      requireTask(taskId);
      return renderScriptFor(detailOf(taskId), locale, config);
    },

    callStart: ({ taskId, phoneId, direction }) =>
      deps.write(() => {
        const at = nowIso();
        let task = requireTask(taskId);
        ensureCallable(task);
        const phone = requirePhone(taskId, phoneId);
        if (phone.invalid) {
          throw refused(
            'number_marked_invalid',
            {},
            'this number was marked invalid; use another or look one up',
          );
        }
        const callback = callbackPending(task);
        // The party calling back: the calling rules govern only the calls the desk makes.
        if (direction === 'outbound') checkCallingRules(task, at, callback);
        task = ensureInProgress(task, at);
        const attemptId = tasks.startAttempt({
          taskId,
          kind: 'call',
          phoneId,
          startedAt: at,
          actor: actorOf(),
        });
        deps.calls.openCall(attemptId, direction);
        audit.append({
          at,
          actor: actorOf(),
          type: 'call.started',
          taskId,
          data: { attemptId, phoneId, direction },
        });
        const dial = {
          number: `${deps.dialPrefixes()[phone.kind]}${phone.digits}`,
          extension: phone.extension,
        };
        return { attemptId, task: detailOf(taskId), dial };
      }),

    callOutcome: (params) => {
      const result = deps.write(() => {
        const at = nowIso();
        let task = requireTask(params.taskId);
        ensureCallable(task);
        let attemptId = params.attemptId;
        let phoneId = params.phoneId ?? null;
        if (attemptId !== undefined) {
          const open = tasks.openAttempt(task.id, attemptId);
          if (!open)
            throw refused('call_not_open', { attemptId }, `call ${attemptId} is not open on task ${task.id}`);
          phoneId = open.phoneId;
        } else if (phoneId !== null) {
          requirePhone(task.id, phoneId);
        }
        const info = DISPOSITION_INFO[params.disposition];
        const attemptsSoFar = task.attempts + (info.countsTowardRetryLimit ? 1 : 0);
        const next = nextStepFor(params.disposition, {
          attemptsSoFar,
          policy: config.retryPolicy,
          now: at,
          callbackAt: params.callbackAt,
          callingHours: config.callingHours,
          partyTimeZone: task.partyTimeZone ?? undefined,
        });
        if (!next.ok) throw refusedBy(next);

        // A call made on the desk phone (not started here) is recorded as an attempt all the same.
        task = ensureInProgress(task, at);
        attemptId ??= tasks.startAttempt({
          taskId: task.id,
          kind: 'call',
          phoneId,
          startedAt: at,
          actor: actorOf(),
        });
        tasks.finishAttempt(attemptId, {
          disposition: params.disposition,
          notes: params.notes,
          callbackAt: next.step.kind === 'callback' ? next.step.at : null,
          stepsCompleted: params.stepsCompleted,
          endedAt: at,
        });
        const dialled = phoneId !== null ? tasks.phone(task.id, phoneId) : null;
        deps.sync?.attemptRecorded(
          task.id,
          tasks.recordIdOf(attemptId),
          {
            disposition: params.disposition,
            notes: params.notes,
            callbackAt: next.step.kind === 'callback' ? next.step.at : null,
            phoneMasked: dialled ? maskPhone(dialled.digits, dialled.extension) : null,
          },
          at,
        );
        tasks.update(
          task.id,
          {
            attempts: attemptsSoFar,
            // Any outcome settles an earlier callback; only a new request sets one.
            callbackAt: next.step.kind === 'callback' ? next.step.at : null,
            nextAttemptAt: next.step.kind === 'retry' ? next.step.notBefore : null,
          },
          at,
        );
        audit.append({
          at,
          actor: actorOf(),
          type: 'call.outcome',
          taskId: task.id,
          data: { attemptId, phoneId, disposition: params.disposition, nextStep: next.step },
        });
        const step = next.step;
        if (step.kind === 'consented') {
          transition(task, { type: 'record_consent' }, at);
          const addresses = confirmedAddresses(params.consentAddress, phoneId, (id) =>
            tasks.phone(task.id, id),
          );
          deps.consents?.record(task.id, attemptId, addresses, at);
        }
        if (step.kind === 'escalate')
          transition(task, { type: 'escalate', to: step.to, reason: step.reason }, at);
        if (step.kind === 'invalidate_number' && phoneId !== null) {
          tasks.invalidatePhone(phoneId, params.disposition);
          audit.append({
            at,
            actor: actorOf(),
            type: 'phone.invalidated',
            taskId: task.id,
            data: { phoneId, reason: params.disposition },
          });
        }
        return detailOf(task.id);
      });
      deps.emit('queueChanged', { reason: 'callOutcome' });
      return result;
    },

    demoLoad: () => {
      const accepted = loadDemoTasks(deps, nowIso());
      deps.emit('queueChanged', { reason: 'demo' });
      return { accepted };
    },
  };
}
