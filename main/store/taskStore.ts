import { v7 as uuidv7 } from 'uuid';
import type { SqliteDatabase } from '../../native/sqlite';
import type { TaskDetail } from '../../common/contract';
import type { Disposition, Method, TaskStatus } from '../../common/domain/model';
import { maskIdNumber, maskPhone } from '../../common/domain/masking';
import { isOpen } from '../../common/domain/taskMachine';
import type { AuditLog } from './auditLog';
import { statementCache } from './statementCache';
import { createCallStore } from './callStore';

export interface TaskCore {
  id: number;
  partyId: number;
  status: TaskStatus;
  method: Method;
  attempts: number;
  callbackAt: string | null;
  nextAttemptAt: string | null;
  intakeEvent: number | null;
  partyTimeZone: string | null;
  idNumber: string;
}

export interface PhoneRow {
  id: number;
  partyId: number;
  kind: 'mobile' | 'landline';
  digits: string;
  extension: string | null;
  display: string;
  invalid: number;
}

export interface TaskPatch {
  status?: TaskStatus;
  method?: Method;
  attempts?: number;
  callbackAt?: string | null;
  nextAttemptAt?: string | null;
}

export interface NewAttempt {
  taskId: number;
  kind: 'call' | 'send' | 'postal' | 'visit' | 'announcement';
  phoneId: number | null;
  startedAt: string;
  actor: string;
}

export interface AttemptOutcome {
  disposition: Disposition;
  notes: string;
  callbackAt: string | null;
  stepsCompleted: string[];
  endedAt: string;
}

/** Reads and writes of one task and what hangs off it. Writers run inside the caller's transaction. */
export function createTaskStore(db: SqliteDatabase, audit: AuditLog) {
  const core = db.prepare<[number], TaskCore>(
    `SELECT t.id, t.party_id AS partyId, t.status, t.method, t.attempts, t.callback_at AS callbackAt,
            t.next_attempt_at AS nextAttemptAt, t.intake_event AS intakeEvent, p.time_zone AS partyTimeZone,
            p.id_number AS idNumber
       FROM tasks t JOIN parties p ON p.id = t.party_id WHERE t.id = ?`,
  );
  const header = db.prepare<[number], Record<string, unknown>>(
    `SELECT t.id, t.source_system AS sourceSystem, t.source_task_id AS sourceTaskId, t.status, t.method, t.priority,
            t.deadline, t.callback_at AS callbackAt, t.next_attempt_at AS nextAttemptAt, t.notes,
            c.number AS caseNumber, c.cause, c.court, c.department, c.judge, c.clerk,
            p.name AS partyName, p.kind AS partyKind, p.role AS partyRole, p.id_type AS idType, p.id_number AS idNumber,
            p.email, p.representative
       FROM tasks t JOIN cases c ON c.id = t.case_id JOIN parties p ON p.id = t.party_id WHERE t.id = ?`,
  );
  const phones = db.prepare<[number], PhoneRow>(
    `SELECT id, party_id AS partyId, kind, digits, extension, display, invalid FROM phones WHERE party_id = ? ORDER BY id`,
  );
  const phone = db.prepare<[number, number], PhoneRow>(
    `SELECT ph.id, ph.party_id AS partyId, ph.kind, ph.digits, ph.extension, ph.display, ph.invalid
       FROM phones ph JOIN tasks t ON t.party_id = ph.party_id WHERE t.id = ? AND ph.id = ?`,
  );
  const addresses = db.prepare<[number], { id: number; text: string; source: string }>(
    'SELECT id, text, source FROM addresses WHERE party_id = ? ORDER BY id',
  );
  const documents = db.prepare<
    [number],
    { id: number; title: string; kind: string; pages: number | null; sha256: string | null }
  >('SELECT id, title, kind, pages, sha256 FROM documents WHERE task_id = ? ORDER BY id');
  const attempts = db.prepare<[number], Record<string, unknown>>(
    `SELECT a.id, a.kind, a.phone_id AS phoneId, ph.digits, ph.extension, a.disposition, a.notes, a.callback_at AS callbackAt,
            a.steps_completed AS stepsCompleted, a.started_at AS startedAt, a.ended_at AS endedAt, a.actor
       FROM attempts a LEFT JOIN phones ph ON ph.id = a.phone_id WHERE a.task_id = ? ORDER BY a.id DESC`,
  );
  const openAttempt = db.prepare<[number, number], { id: number; phoneId: number | null }>(
    `SELECT id, phone_id AS phoneId FROM attempts WHERE task_id = ? AND id = ? AND ended_at IS NULL`,
  );
  const insertAttempt = db.prepare(
    `INSERT INTO attempts (task_id, kind, phone_id, started_at, actor, record_id)
     VALUES (@taskId, @kind, @phoneId, @startedAt, @actor, @recordId)`,
  );
  const recordId = db.prepare<[number], { recordId: string }>(
    'SELECT record_id AS recordId FROM attempts WHERE id = ?',
  );
  const finishAttempt = db.prepare(
    `UPDATE attempts SET disposition = @disposition, notes = @notes, callback_at = @callbackAt,
            steps_completed = @stepsCompleted, ended_at = @endedAt WHERE id = @id AND ended_at IS NULL`,
  );
  const invalidatePhone = db.prepare('UPDATE phones SET invalid = 1, invalid_reason = ? WHERE id = ?');

  // Each call attempt carries its SIP facts and recordings (migration 003).
  const calls = createCallStore(db);

  // update() builds its SET list from the patch's keys: one statement per distinct key set.
  const updateStatement = statementCache(db);

  return {
    core: (taskId: number) => core.get(taskId) ?? null,
    phone: (taskId: number, phoneId: number) => phone.get(taskId, phoneId) ?? null,
    openAttempt: (taskId: number, attemptId: number) => openAttempt.get(taskId, attemptId) ?? null,
    /** The party's numbers in order; the first is the one a call defaults to. */
    phonesOf: (partyId: number) => phones.all(partyId),
    documentsOf: (taskId: number) => documents.all(taskId),

    detail(taskId: number): TaskDetail | null {
      const h = header.get(taskId);
      const c = core.get(taskId);
      if (!h || !c) return null;
      const str = (k: string) => String(h[k] ?? '');
      return {
        id: taskId,
        sourceSystem: str('sourceSystem'),
        sourceTaskId: str('sourceTaskId'),
        status: c.status,
        method: c.method,
        priority: h.priority as TaskDetail['priority'],
        deadline: (h.deadline as string | null) ?? null,
        callbackAt: c.callbackAt,
        nextAttemptAt: c.nextAttemptAt,
        notes: str('notes'),
        case: {
          number: str('caseNumber'),
          cause: str('cause'),
          court: str('court'),
          department: str('department'),
          judge: str('judge'),
          clerk: str('clerk'),
        },
        party: {
          name: str('partyName'),
          kind: h.partyKind as TaskDetail['party']['kind'],
          role: str('partyRole'),
          idType: str('idType'),
          idKnown: str('idNumber') !== '',
          idNumberMasked: maskIdNumber(str('idNumber')),
          phones: phones.all(c.partyId).map((p) => ({
            id: p.id,
            masked: maskPhone(p.digits),
            kind: p.kind,
            extension: p.extension,
            invalid: p.invalid === 1,
          })),
          addresses: addresses.all(c.partyId) as TaskDetail['party']['addresses'],
          email: (h.email as string | null) ?? null,
          representative: (h.representative as string | null) ?? null,
        },
        documents: documents.all(taskId),
        attempts: attempts.all(taskId).map((a) => ({
          id: a.id as number,
          kind: a.kind as TaskDetail['attempts'][number]['kind'],
          phoneMasked: a.digits ? maskPhone(a.digits as string, a.extension as string | null) : null,
          disposition: (a.disposition as Disposition | null) ?? null,
          notes: a.notes as string,
          callbackAt: (a.callbackAt as string | null) ?? null,
          stepsCompleted: JSON.parse(a.stepsCompleted as string) as string[],
          startedAt: a.startedAt as string,
          endedAt: (a.endedAt as string | null) ?? null,
          actor: a.actor as string,
          call: calls.call(a.id as number),
          recordings: calls.recordingsOf(a.id as number).map(calls.view),
        })),
        timeline: audit
          .forTask(taskId, c.intakeEvent)
          .reverse()
          .map((e) => ({ seq: e.seq, at: e.at, type: e.type, actor: e.actor, data: e.data })),
      };
    },

    /** Applies a patch to the task row; keeps the queue's `open` flag in step with the status. */
    update(taskId: number, patch: TaskPatch, at: string): void {
      const sets: string[] = ['updated_at = @at'];
      const params: Record<string, unknown> = { taskId, at };
      const columns: Record<keyof TaskPatch, string> = {
        status: 'status',
        method: 'method',
        attempts: 'attempts',
        callbackAt: 'callback_at',
        nextAttemptAt: 'next_attempt_at',
      };
      for (const key of Object.keys(columns) as (keyof TaskPatch)[]) {
        if (patch[key] === undefined) continue;
        sets.push(`${columns[key]} = @${key}`);
        params[key] = patch[key];
      }
      if (patch.status) {
        sets.push('open = @open');
        params.open = isOpen(patch.status) ? 1 : 0;
      }
      updateStatement(`UPDATE tasks SET ${sets.join(', ')} WHERE id = @taskId`).run(params);
    },

    /** Opens an attempt with its record id (UUIDv7, made here): the id the hub knows it by. */
    startAttempt(attempt: NewAttempt): number {
      return Number(insertAttempt.run({ ...attempt, recordId: uuidv7() }).lastInsertRowid);
    },

    recordIdOf: (attemptId: number): string => recordId.get(attemptId)!.recordId,

    finishAttempt(attemptId: number, outcome: AttemptOutcome): void {
      const result = finishAttempt.run({
        id: attemptId,
        ...outcome,
        stepsCompleted: JSON.stringify(outcome.stepsCompleted),
      });
      if (result.changes !== 1) throw new Error(`attempt ${attemptId} is not open`);
    },

    invalidatePhone(phoneId: number, reason: string): void {
      invalidatePhone.run(reason, phoneId);
    },

    hasValidPhone(partyId: number): boolean {
      return phones.all(partyId).some((p) => p.invalid === 0);
    },
  };
}
export type TaskStore = ReturnType<typeof createTaskStore>;
