import type { SqliteDatabase } from '../../native/sqlite';
import type { IntakeTask } from '../../common/intake/taskSchema';
import { maskPhone } from '../../common/domain/masking';
import type { AuditLog } from './auditLog';
import { prepareSearchWriter } from './searchIndex';

export interface IntakeRowInput {
  row: number;
  task: IntakeTask;
}

/** What every audit event of one import carries. */
export interface IntakeImportMeta {
  importId: string;
  at: string;
  actor: string;
  fileName: string;
  fileSha256: string | null;
}

export interface IntakeChunkMeta extends IntakeImportMeta {
  /** 1-based position of the chunk in the import. */
  chunk: number;
}

/** What the rows of a chunk were, told by its filler once it has written them. */
export interface IntakeChunkRows {
  /** The file rows this chunk covers (rejected ones included); 0 when it took none. */
  firstRow: number;
  lastRow: number;
  rejected: number;
}

/** Fills a chunk: writes rows with `write` (a duplicate is reported, not written) until it stops. */
export type IntakeChunkFiller = (write: (input: IntakeRowInput) => void) => IntakeChunkRows;

export interface IntakeWriteResult {
  accepted: number;
  duplicates: number[];
  firstTaskId: number | null;
  lastTaskId: number | null;
  /** The chunk's audit event, which its tasks point at; null when it created no task. */
  eventSeq: number | null;
}

export interface IntakeImportSummary extends IntakeImportMeta {
  cancelled: boolean;
  totalRows: number;
  rowsProcessed: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  chunkSeqs: number[];
}

/**
 * Writes an import chunk by chunk. Each chunk is one BEGIN IMMEDIATE transaction with one
 * 'intake.chunk' audit event (file hash, counts, task id range) that its tasks point at; the import
 * ends with one 'intake.imported' or 'intake.cancelled' event that counts what was processed.
 * A repeated (sourceSystem, sourceTaskId) — already stored, or earlier in the chunk — creates
 * nothing and is reported as a duplicate, so re-importing a cancelled file adds only the rest.
 * IMMEDIATE takes the write lock before the audit head is read: another connection (main beside an
 * import worker) cannot append between that read and this chunk's event.
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

  const writeChunk = db.transaction((meta: IntakeChunkMeta, fill: IntakeChunkFiller): IntakeWriteResult => {
    // Under the write lock: no other connection can append until this transaction ends.
    const eventSeq = audit.head().seq + 1;
    const duplicates: number[] = [];
    const seenInChunk = new Set<string>();
    const caseCache = new Map<string, number>();
    let firstTaskId: number | null = null;
    let lastTaskId: number | null = null;
    const rows = fill(({ row, task }) => {
      const key = `${task.sourceSystem}\u0000${task.sourceTaskId}`;
      if (seenInChunk.has(key) || findTask.get(task.sourceSystem, task.sourceTaskId)) {
        duplicates.push(row);
        return;
      }
      seenInChunk.add(key);
      const taskId = writeTask(task, meta.at, eventSeq, caseIdFor(task, caseCache));
      firstTaskId ??= taskId;
      lastTaskId = taskId;
    });
    const accepted = seenInChunk.size;
    if (accepted === 0) return { accepted, duplicates, firstTaskId, lastTaskId, eventSeq: null };
    const event = audit.append({
      at: meta.at,
      actor: meta.actor,
      type: 'intake.chunk',
      taskId: null,
      data: {
        fileName: meta.fileName,
        accepted,
        duplicates: duplicates.length,
        rejected: rows.rejected,
        importId: meta.importId,
        fileSha256: meta.fileSha256,
        chunk: meta.chunk,
        firstRow: rows.firstRow,
        lastRow: rows.lastRow,
        firstTaskId,
        lastTaskId,
      },
    });
    if (event.seq !== eventSeq) throw new Error('audit head moved inside a write transaction');
    return { accepted, duplicates, firstTaskId, lastTaskId, eventSeq };
  });

  const finish = db.transaction((summary: IntakeImportSummary) =>
    audit.append({
      at: summary.at,
      actor: summary.actor,
      type: summary.cancelled ? 'intake.cancelled' : 'intake.imported',
      taskId: null,
      data: {
        fileName: summary.fileName,
        accepted: summary.accepted,
        duplicates: summary.duplicates,
        rejected: summary.rejected,
        rowsProcessed: summary.rowsProcessed,
        totalRows: summary.totalRows,
        cancelled: summary.cancelled,
        importId: summary.importId,
        fileSha256: summary.fileSha256,
        chunkSeqs: summary.chunkSeqs,
      },
    }),
  );

  return {
    /**
     * One chunk in its own write transaction (a savepoint when the caller already holds one):
     * `fill` validates and writes rows until it decides the chunk is full.
     */
    writeChunk: (meta: IntakeChunkMeta, fill: IntakeChunkFiller) => writeChunk.immediate(meta, fill),
    /** Rows validated elsewhere (tasks pulled from the hub, tests) as one chunk. */
    writeRows: (rows: readonly IntakeRowInput[], meta: IntakeImportMeta) =>
      writeChunk.immediate({ ...meta, chunk: 1 }, (write) => {
        for (const input of rows) write(input);
        return { firstRow: rows[0]?.row ?? 0, lastRow: rows.at(-1)?.row ?? 0, rejected: 0 };
      }),
    /** The import's closing audit event: imported, or cancelled with how far it got. */
    finish: (summary: IntakeImportSummary) => finish.immediate(summary),
  };
}
export type IntakeWriter = ReturnType<typeof createIntakeWriter>;
