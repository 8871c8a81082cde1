import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { TaskEvent } from '../../common/domain/taskMachine';
import { createTaskTransitions } from '../api/taskTransitions';
import type { Disposition } from '../../common/domain/model';
import type { DeskServiceDeps } from '../api/deskService';
import { importIntakeBytes } from '../intake/chunkedImport';
import { generateDemoTasks } from './demoTasks';

export const DEMO_TASK_COUNT = 300;

// Where each demo task ends up: calls with outcomes, then domain events, in legal order.
type Scenario = { calls: Disposition[]; events: TaskEvent[] };
const SCENARIOS: Scenario[] = [
  { calls: [], events: [] },
  { calls: [], events: [{ type: 'assign' }] },
  { calls: ['no_answer'], events: [] },
  { calls: ['busy', 'no_answer'], events: [] },
  { calls: ['callback_requested'], events: [] },
  { calls: ['connected_consented'], events: [] },
  { calls: ['connected_consented'], events: [{ type: 'send' }] },
  { calls: ['connected_consented'], events: [{ type: 'send' }, { type: 'confirm_delivery' }] },
  {
    calls: ['connected_consented'],
    events: [{ type: 'send' }, { type: 'confirm_delivery' }, { type: 'issue_proof' }],
  },
  { calls: ['consent_refused'], events: [] },
  { calls: ['consent_refused'], events: [{ type: 'postal_dispatch', trackingNumber: 'EMS1029384756CN' }] },
  { calls: ['evading'], events: [{ type: 'escalate', to: 'in_person', reason: 'lead_decision' }] },
  { calls: ['wrong_party'], events: [] },
];

/** Loads a realistic demo set (a few hundred tasks in varied states) through the real intake path. */
export function loadDemoTasks(deps: DeskServiceDeps, nowIso: string): number {
  const { db, tasks, audit } = deps;
  const today = DateTime.fromISO(nowIso).setZone(deps.config.timeZone).toISODate()!;
  const raw = generateDemoTasks({
    count: DEMO_TASK_COUNT,
    today,
    idPrefix: `DEMO-${today}-`,
    someIdsUnknown: true,
  });
  const bytes = new TextEncoder().encode(JSON.stringify({ tasks: raw }));
  const actor = 'demo';
  const flow = createTaskTransitions(tasks, audit);
  return deps.write(() => {
    const report = importIntakeBytes(deps.intake, bytes, {
      importId: randomUUID(),
      fileName: 'demo.json',
      startedAt: nowIso,
      actor,
    });
    const ids = db
      .prepare<[string], { id: number }>('SELECT id FROM tasks WHERE source_task_id LIKE ? ORDER BY id')
      .all(`DEMO-${today}-%`)
      .map((r) => r.id);
    ids.forEach((taskId, index) => {
      const scenario = SCENARIOS[index % SCENARIOS.length]!;
      const callbackAt = DateTime.fromISO(nowIso)
        .plus({ hours: 1 + (index % 20) })
        .toUTC()
        .toISO()!;
      let state = tasks.core(taskId)!;
      const move = (event: TaskEvent) => {
        state = flow.transition(state, event, nowIso, actor);
      };
      scenario.calls.forEach((disposition, n) => {
        state = flow.ensureInProgress(state, nowIso, actor);
        const phoneId = tasks.phonesOf(state.partyId)[0]?.id ?? null;
        const attemptId = tasks.startAttempt({ taskId, kind: 'call', phoneId, startedAt: nowIso, actor });
        const isCallback = disposition === 'callback_requested';
        tasks.finishAttempt(attemptId, {
          disposition,
          notes: '',
          callbackAt: isCallback ? callbackAt : null,
          stepsCompleted: [],
          endedAt: nowIso,
        });
        tasks.update(taskId, { attempts: n + 1, callbackAt: isCallback ? callbackAt : null }, nowIso);
        audit.append({
          at: nowIso,
          actor,
          type: 'call.outcome',
          taskId,
          data: { attemptId, phoneId, disposition },
        });
        if (disposition === 'connected_consented') move({ type: 'record_consent' });
        if (disposition === 'consent_refused')
          move({ type: 'escalate', to: 'postal', reason: 'consent_refused' });
        if (disposition === 'wrong_party' && phoneId !== null) tasks.invalidatePhone(phoneId, disposition);
      });
      scenario.events.forEach(move);
    });
    return report.accepted;
  });
}
