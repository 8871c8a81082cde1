import type { SqliteDatabase } from '../../native/sqlite';
import type { IntakeTask } from '../../common/intake/taskSchema';
import { maskPhone } from '../../common/domain/masking';
import type { AuditLog } from './auditLog';
import { prepareSearchWriter } from './searchIndex';

export interface IntakeRowInput {
  row: number;
  task: IntakeTask;
}

export interface IntakeBatchMeta {
  at: string;
  actor: string;
  fileName: string;
  fileSha256: string | null;
  rejected: number;
}

export interface IntakeWriteResult {
  accepted: number;
  duplicates: number[];
  firstTaskId: number | null;
  lastTaskId: number | null;
  eventSeq: number | null;
}

/**
 * Writes validated intake rows in one transaction. A repeated (sourceSystem, sourceTaskId) —
 * already stored or earlier in the same file — creates nothing and is reported as a duplicate.
 * The whole batch is one audit event (file hash, counts, task id range); each task points at it.
 */
export function createIntakeWriter(db: SqliteDatabase, audit: AuditLog) {
  const findTask = db.prepare<[string, string], { id: number }>(
    'SELECT id FROM tasks WHERE source_system = ? AND source_task_id = ?',
  );
  const findCase = db.prepare<[string, string], { id: number }>(
    'SELECT id FROM cases WHERE court = ? AND number = ?',
  );
  const insertCase = db.prepare(
    `INSERT INTO cases (court, number, cause, department, judge, clerk)
     VALUES (@court, @number, @cause, @department, @judge, @clerk)`,
  );
  const insertParty = db.prepare(
    `INSERT INTO parties (case_id, name, kind, role, id_type, id_number, email, representative)
     VALUES (@caseId, @name, @kind, @role, @idType, @idNumber, @email, @representative)`,
  );
  const insertPhone = db.prepare(
    'INSERT INTO phones (party_id, kind, digits, extension, display) VALUES (?, ?, ?, ?, ?)',
  );
  const insertAddress = db.prepare('INSERT INTO addresses (party_id, text, source) VALUES (?, ?, ?)');
  const insertTask = db.prepare(
    `INSERT INTO tasks (source_system, source_task_id, case_id, party_id, method, status, priority, priority_rank,
                        deadline, notes, created_at, updated_at, intake_event, party_name, party_role, case_number,
                        court, phone_masked, open)
     VALUES (@sourceSystem, @sourceTaskId, @caseId, @partyId, @method, @status, @priority, @priorityRank,
             @deadline, @notes, @at, @at, @eventSeq, @partyName, @partyRole, @caseNumber, @court, @phoneMasked, 1)`,
  );
  const insertDocument = db.prepare(
    'INSERT INTO documents (task_id, title, kind, file_name, sha256, pages) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const search = prepareSearchWriter(db);

  function caseIdFor(task: IntakeTask, cache: Map<string, number>): number {
    const key = `${task.case.court}\u0000${task.case.number}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const id =
      findCase.get(task.case.court, task.case.number)?.id ??
      Number(insertCase.run(task.case).lastInsertRowid);
    cache.set(key, id);
    return id;
  }

  function writeTask(task: IntakeTask, at: string, eventSeq: number, caseId: number): number {
    const { party } = task;
    const partyId = Number(insertParty.run({ caseId, ...party }).lastInsertRowid);
    for (const phone of party.phones) {
      insertPhone.run(partyId, phone.kind, phone.digits, phone.extension ?? null, phone.display);
    }
    for (const address of party.addresses) insertAddress.run(partyId, address, 'case_system');
    const first = party.phones[0];
    const taskId = Number(
      insertTask.run({
        sourceSystem: task.sourceSystem,
        sourceTaskId: task.sourceTaskId,
        caseId,
        partyId,
        method: task.method,
        // Escalation methods ordered directly by the court start in that method's first state.
        status: task.method === 'electronic' ? 'new' : `${task.method}_pending`,
        priority: task.priority,
        priorityRank: task.priority === 'urgent' ? 0 : 1,
        deadline: task.deadline,
        notes: task.notes,
        at,
        eventSeq,
        partyName: party.name,
        partyRole: party.role,
        caseNumber: task.case.number,
        court: task.case.court,
        phoneMasked: first ? maskPhone(first.digits, first.extension) : null,
      }).lastInsertRowid,
    );
    for (const d of task.documents)
      insertDocument.run(taskId, d.title, d.kind, d.fileName, d.sha256, d.pages);
    search.index(taskId, {
      partyName: party.name,
      caseNumber: task.case.number,
      phoneDigits: party.phones.map((p) => p.digits),
      idNumber: party.idNumber,
    });
    return taskId;
  }

  return db.transaction((rows: readonly IntakeRowInput[], meta: IntakeBatchMeta): IntakeWriteResult => {
    const eventSeq = audit.head().seq + 1;
    const duplicates: number[] = [];
    const seenInFile = new Set<string>();
    const caseCache = new Map<string, number>();
    let firstTaskId: number | null = null;
    let lastTaskId: number | null = null;
    for (const { row, task } of rows) {
      const key = `${task.sourceSystem}\u0000${task.sourceTaskId}`;
      if (seenInFile.has(key) || findTask.get(task.sourceSystem, task.sourceTaskId)) {
        duplicates.push(row);
        continue;
      }
      seenInFile.add(key);
      const taskId = writeTask(task, meta.at, eventSeq, caseIdFor(task, caseCache));
      firstTaskId ??= taskId;
      lastTaskId = taskId;
    }
    const accepted = seenInFile.size;
    if (accepted === 0) return { accepted, duplicates, firstTaskId, lastTaskId, eventSeq: null };
    const event = audit.append({
      at: meta.at,
      actor: meta.actor,
      type: 'intake.imported',
      taskId: null,
      data: {
        fileName: meta.fileName,
        fileSha256: meta.fileSha256,
        accepted,
        duplicates: duplicates.length,
        rejected: meta.rejected,
        firstTaskId,
        lastTaskId,
      },
    });
    if (event.seq !== eventSeq) throw new Error('audit chain moved during intake; the desk has one writer');
    return { accepted, duplicates, firstTaskId, lastTaskId, eventSeq };
  });
}
export type IntakeWriter = ReturnType<typeof createIntakeWriter>;
