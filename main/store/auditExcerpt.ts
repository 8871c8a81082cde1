import { createHash } from 'node:crypto';
import type { SqliteDatabase } from '../../native/sqlite';
import { makeAuditExcerpt, type AuditExcerpt } from '../../common/audit/excerpt';
import { AUDIT_ROW_COLUMNS, storedAuditEvent, type AuditRow } from './auditLog';

// Builds a task's audit-chain excerpt (common/audit/excerpt.ts) from the desk's chain: every event
// from the task's first one (its intake event when it came in a batch) up to the head — the head
// now, or the one a proof of service printed.

export function createAuditExcerptBuilder(db: SqliteDatabase) {
  const firstOfTask = db.prepare<[number], { seq: number | null }>(
    'SELECT MIN(seq) AS seq FROM audit_events WHERE task_id = ?',
  );
  const intakeEvent = db.prepare<[number], { seq: number | null }>(
    'SELECT intake_event AS seq FROM tasks WHERE id = ?',
  );
  const seqOfHash = db.prepare<[string], { seq: number }>('SELECT seq FROM audit_events WHERE hash = ?');
  const head = db.prepare<[], { seq: number }>('SELECT MAX(seq) AS seq FROM audit_events');
  const range = db.prepare<[number, number], AuditRow>(
    `SELECT ${AUDIT_ROW_COLUMNS} FROM audit_events WHERE seq BETWEEN ? AND ? ORDER BY seq`,
  );

  return {
    /**
     * The excerpt of `taskId` up to the event whose hash is `headHash` (default: the head now).
     * Read in one transaction so the range is one state of the chain.
     */
    build(taskId: number, headHash?: string): AuditExcerpt {
      return db.transaction(() => {
        const intakeSeq = intakeEvent.get(taskId)?.seq ?? null;
        const own = firstOfTask.get(taskId)?.seq ?? null;
        const starts = [intakeSeq, own].filter((s): s is number => s !== null);
        if (!starts.length) throw new Error(`task ${taskId} has no audit events`);
        const to = headHash === undefined ? head.get()?.seq : seqOfHash.get(headHash)?.seq;
        if (to === undefined || to === null) throw new Error(`no audit event has the hash ${headHash}`);
        const events = range.all(Math.min(...starts), to).map(storedAuditEvent);
        return makeAuditExcerpt(taskId, intakeSeq, events);
      })();
    },
  };
}
export type AuditExcerptBuilder = ReturnType<typeof createAuditExcerptBuilder>;

/**
 * The excerpt as the desk uploads it with its proof: JSON bytes (a blob) and their SHA-256, which
 * the `proof` fact names as `auditExcerptSha256` (common/sync/proof.ts).
 */
export function auditExcerptBlob(excerpt: AuditExcerpt): { bytes: Buffer; sha256: string } {
  const bytes = Buffer.from(JSON.stringify(excerpt));
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}
