import { DeskFailure, type DeskCallName, type TaskDetail } from '../../common/contract';
import { checkCallAllowed, type CallingHours } from '../../common/domain/callingHours';
import { DISPOSITION_INFO, nextStepFor } from '../../common/domain/dispositions';
import { isOpen, type TaskEvent } from '../../common/domain/taskMachine';
import { createTaskTransitions } from './taskTransitions';
import type { RetryPolicy } from '../../common/domain/retryPolicy';
import type { SqliteDatabase } from '../../native/sqlite';
import { queueClock, type Clock } from '../app/clock';
import type { AuditLog } from '../store/auditLog';
import type { IntakeWriter } from '../store/intakeWriter';
import type { QueueQueries } from '../store/queueQueries';
import type { TaskCore, TaskStore } from '../store/taskStore';
import { importIntakeBytes } from '../intake/importIntake';
import { renderScriptFor } from './callScripts';
import { loadDemoTasks } from '../demo/loadDemo';
import type { HandlersOf } from './dispatch';
import type { SyncRecorder } from '../sync/outbox';
import { maskPhone } from '../../common/domain/masking';
import type { SyncCallName } from '../../common/contract';

export interface DeskConfig {
  /** Who works the desk; when signed in to a hub, the hub user (set by main/sync/hubSession.ts). */
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
  emit(event: 'queueChanged', payload: { reason: string }): void;
  /** Queues hub tasks' changes in the same transaction (absent on a desk without a hub). */
  sync?: SyncRecorder;
}

/** The one implementation of the desk contract; both adapters reach it through createDispatch. */
export function createDeskHandlers(deps: DeskServiceDeps): HandlersOf<Exclude<DeskCallName, SyncCallName>> {
  const { db, audit, tasks, queue, config } = deps;
  // Read at each change: signing in to a hub changes who the actor is.
  const actorOf = () => config.specialist.id;
  const nowIso = () => deps.clock.now().toISOString();

  const requireTask = (taskId: number): TaskCore => {
    const task = tasks.core(taskId);
    if (!task) throw new DeskFailure('not_found', `task ${taskId} does not exist`);
    return task;
  };
  const detailOf = (taskId: number): TaskDetail => tasks.detail(taskId)!;

  const flow = createTaskTransitions(tasks, audit, deps.sync);
  const transition = (task: TaskCore, event: TaskEvent, at: string) =>
    flow.transition(task, event, at, actorOf());
  const ensureInProgress = (task: TaskCore, at: string) => flow.ensureInProgress(task, at, actorOf());

  const callbackPending = (task: TaskCore) => (task.callbackAt ? { atIso: task.callbackAt } : undefined);

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
      db.transaction(() => {
        const task = requireTask(params.taskId);
        let value: string;
        if (params.field === 'idNumber') {
          value = task.idNumber;
        } else {
          const phone = tasks.phone(task.id, params.phoneId);
          if (!phone) throw new DeskFailure('not_found', `phone ${params.phoneId} is not on task ${task.id}`);
          value = phone.display;
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
      })(),

    taskScript: ({ taskId, locale }) => {
      requireTask(taskId);
      return renderScriptFor(detailOf(taskId), locale, config);
    },

    callStart: ({ taskId, phoneId }) =>
      db.transaction(() => {
        const at = nowIso();
        let task = requireTask(taskId);
        if (!isOpen(task.status))
          throw new DeskFailure('refused', `the task is ${task.status}; there is nothing to call for`);
        if (task.method !== 'electronic') {
          throw new DeskFailure('refused', `the task has moved to ${task.method} delivery; calls are over`);
        }
        const phone = tasks.phone(taskId, phoneId);
        if (!phone) throw new DeskFailure('not_found', `phone ${phoneId} is not on task ${taskId}`);
        if (phone.invalid)
          throw new DeskFailure('refused', 'this number was marked invalid; use another or look one up');
        const callback = callbackPending(task);
        const hours = checkCallAllowed(config.callingHours, at, task.partyTimeZone ?? undefined, callback);
        if (!hours.ok) {
          throw new DeskFailure('refused', hours.reason, {
            rule: 'calling_hours',
            nextAllowedAt: hours.nextAllowedAt,
          });
        }
        if (!callback && task.nextAttemptAt && task.nextAttemptAt > at) {
          throw new DeskFailure(
            'refused',
            `retry spacing: the next call is not before ${task.nextAttemptAt}`,
            {
              rule: 'retry_spacing',
              nextAllowedAt: task.nextAttemptAt,
            },
          );
        }
        task = ensureInProgress(task, at);
        const attemptId = tasks.startAttempt({
          taskId,
          kind: 'call',
          phoneId,
          startedAt: at,
          actor: actorOf(),
        });
        audit.append({ at, actor: actorOf(), type: 'call.started', taskId, data: { attemptId, phoneId } });
        return { attemptId, task: detailOf(taskId) };
      })(),

    callOutcome: (params) => {
      const result = db.transaction(() => {
        const at = nowIso();
        let task = requireTask(params.taskId);
        if (!isOpen(task.status) || task.method !== 'electronic') {
          throw new DeskFailure('refused', `the task is ${task.status}; a call outcome no longer applies`);
        }
        let attemptId = params.attemptId;
        let phoneId = params.phoneId ?? null;
        if (attemptId !== undefined) {
          const open = tasks.openAttempt(task.id, attemptId);
          if (!open) throw new DeskFailure('refused', `call ${attemptId} is not open on task ${task.id}`);
          phoneId = open.phoneId;
        } else if (phoneId !== null && !tasks.phone(task.id, phoneId)) {
          throw new DeskFailure('not_found', `phone ${phoneId} is not on task ${task.id}`);
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
        if (!next.ok) throw new DeskFailure('refused', next.reason);

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
        if (step.kind === 'consented') transition(task, { type: 'record_consent' }, at);
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
      })();
      deps.emit('queueChanged', { reason: 'callOutcome' });
      return result;
    },

    intakeImport: ({ fileName, dataBase64 }) => {
      const bytes = Buffer.from(dataBase64, 'base64');
      const report = importIntakeBytes(deps.intake, bytes, { fileName, at: nowIso(), actor: actorOf() });
      if (report.accepted > 0) deps.emit('queueChanged', { reason: 'intake' });
      return report;
    },

    demoLoad: () => {
      const accepted = loadDemoTasks(deps, nowIso());
      deps.emit('queueChanged', { reason: 'demo' });
      return { accepted };
    },
  };
}
