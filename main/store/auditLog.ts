import type { SqliteDatabase } from '../../native/sqlite';
import {
  GENESIS_HASH,
  hashAuditEvent,
  verifyAuditChain,
  type ChainVerdict,
  type StoredAuditEvent,
} from '../../common/audit/chain';

export interface NewAuditEvent {
  at: string;
  actor: string;
  type: string;
  taskId: number | null;
  data: Record<string, unknown>;
}

/** An audit_events row as the SELECT of AUDIT_ROW_COLUMNS reads it (data still JSON text). */
export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  type: string;
  taskId: number | null;
  data: string;
  prevHash: string;
  hash: string;
}

export const AUDIT_ROW_COLUMNS = 'seq, at, actor, type, task_id AS taskId, data, prev_hash AS prevHash, hash';

export function storedAuditEvent(row: AuditRow): StoredAuditEvent {
  return { ...row, data: JSON.parse(row.data) as Record<string, unknown> };
}

/** The audit chain in SQLite. `append` must run inside the transaction of the change it records. */
export function createAuditLog(db: SqliteDatabase) {
  const head = db.prepare<[], { seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
  );
  const insert = db.prepare(
    `INSERT INTO audit_events (seq, at, actor, type, task_id, data, prev_hash, hash)
     VALUES (@seq, @at, @actor, @type, @taskId, @data, @prevHash, @hash)`,
  );
  const forTask = db.prepare<[number, number], AuditRow>(
    `SELECT ${AUDIT_ROW_COLUMNS} FROM audit_events WHERE task_id = ? OR seq = ? ORDER BY seq`,
  );
  const all = db.prepare<[], AuditRow>(`SELECT ${AUDIT_ROW_COLUMNS} FROM audit_events ORDER BY seq`);

  return {
    append(event: NewAuditEvent): StoredAuditEvent {
      if (!db.inTransaction)
        throw new Error('audit events are appended inside the transaction of their change');
      const last = head.get();
      const body = { seq: (last?.seq ?? 0) + 1, ...event };
      const prevHash = last?.hash ?? GENESIS_HASH;
      const hash = hashAuditEvent(prevHash, body);
      insert.run({ ...body, data: JSON.stringify(body.data), prevHash, hash });
      return { ...body, prevHash, hash };
    },
    /** A task's own events plus the intake event that created it. */
    forTask(taskId: number, intakeEventSeq: number | null): StoredAuditEvent[] {
      return forTask.all(taskId, intakeEventSeq ?? -1).map(storedAuditEvent);
    },
    head(): { seq: number; hash: string } {
      return head.get() ?? { seq: 0, hash: GENESIS_HASH };
    },
    verify(): ChainVerdict {
      return verifyAuditChain(
        (function* () {
          for (const row of all.iterate()) yield storedAuditEvent(row);
        })(),
      );
    },
  };
}
export type AuditLog = ReturnType<typeof createAuditLog>;
