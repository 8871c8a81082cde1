import { v7 as uuidv7 } from 'uuid';
import { refused } from '../../common/contract/refusals';
import type { Channel } from '../../common/domain/legalEffect';
import type { SqliteDatabase } from '../../native/sqlite';
import type { AuditLog } from '../store/auditLog';
import type { CallStore, RecordingRow } from '../store/callStore';
import type { SyncRecorder } from '../sync/outbox';

// The party's consent to electronic service, given on a (recorded) call: one row per channel the
// party confirmed an address for (migration 005), and a `consent` fact for the hub per row. The
// fact names the recording's SHA-256 — the finalised evidence copy's (main/evidence), the bytes the
// hub keeps — so a consent whose recording is still being finalised waits for it: `flush()` runs
// after every finalisation (and at open, after a crash's recordings are finalised) and queues it
// then, in the transaction that marks the row. The hub joins the fact to the call by attemptId.

/** The script step whose mark in the recording is the moment of consent. */
export const CONSENT_STEP_ID = 'consent_address';

export interface ConfirmedAddress {
  channel: Channel;
  /** Mobile digits for SMS, the mailbox for e-mail. */
  address: string;
}

export interface ConsentRow {
  id: number;
  taskId: number;
  attemptId: number;
  channel: Channel;
  address: string;
  consentedAt: string;
  recordingId: number | null;
  recordingSha256: string | null;
  markOffsetMs: number | null;
  factId: string | null;
}

/**
 * The addresses an outcome confirms: the chosen mobile (by default the one called, when it is a
 * mobile and still valid) for SMS, and the e-mail as given. A chosen number that is not a mobile
 * is refused; no address at all means consent without a channel to send on (nothing is queued).
 */
export function confirmedAddresses(
  given: { phoneId?: number | null; email?: string | null } | undefined,
  calledPhoneId: number | null,
  phoneOf: (phoneId: number) => { digits: string; kind: 'mobile' | 'landline'; invalid: unknown } | null,
): ConfirmedAddress[] {
  const addresses: ConfirmedAddress[] = [];
  const chosen = given?.phoneId === undefined ? calledPhoneId : given.phoneId;
  if (chosen !== null) {
    const phone = phoneOf(chosen);
    const usable = phone && phone.kind === 'mobile' && !phone.invalid;
    if (usable) addresses.push({ channel: 'sms', address: phone.digits });
    else if (given?.phoneId !== undefined && given.phoneId !== null)
      throw refused('consent_phone_not_mobile', {}, `phone ${chosen} is not a mobile`);
  }
  if (given?.email) addresses.push({ channel: 'email', address: given.email.trim() });
  return addresses;
}

const COLUMNS = `id, task_id AS taskId, attempt_id AS attemptId, channel, address, consented_at AS consentedAt,
  recording_id AS recordingId, recording_sha256 AS recordingSha256, mark_offset_ms AS markOffsetMs,
  fact_id AS factId`;

export function createConsents(
  db: SqliteDatabase,
  deps: {
    calls: CallStore;
    /** The attempt's record id (UUIDv7), as its attempt fact carries it. */
    recordIdOf(attemptId: number): string;
    audit: AuditLog;
    sync?: SyncRecorder;
    /** One write transaction through the desk's write gate. */
    write<T>(fn: () => T): T;
    actorOf(): string;
  },
) {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO consents (task_id, attempt_id, channel, address, consented_at, created_at)
     VALUES (@taskId, @attemptId, @channel, @address, @at, @at)`,
  );
  const waiting = db.prepare<[], ConsentRow>(
    `SELECT ${COLUMNS} FROM consents WHERE fact_id IS NULL ORDER BY id`,
  );
  const waitingOfAttempt = db.prepare<[number], ConsentRow>(
    `SELECT ${COLUMNS} FROM consents WHERE fact_id IS NULL AND attempt_id = ? ORDER BY id`,
  );
  const ofTask = db.prepare<[number], ConsentRow>(
    `SELECT ${COLUMNS} FROM consents WHERE task_id = ? ORDER BY id`,
  );
  const settle = db.prepare(
    `UPDATE consents SET fact_id = @factId, recording_id = @recordingId, recording_sha256 = @sha256,
            mark_offset_ms = @markOffsetMs, consented_at = @consentedAt WHERE id = @id AND fact_id IS NULL`,
  );
  const consentMark = db.prepare<[number, string], { offsetMs: number; at: string }>(
    `SELECT offset_ms AS offsetMs, at FROM recording_marks WHERE recording_id = ? AND step_id = ?
      ORDER BY id LIMIT 1`,
  );

  /** The call's recording the consent rests on: the last one of the attempt (null: none was made). */
  const recordingOf = (attemptId: number): RecordingRow | null =>
    deps.calls.recordingsOf(attemptId).at(-1) ?? null;

  /** Queues the consent's fact unless its recording is still being finalised; in the caller's transaction. */
  function queue(row: ConsentRow, at: string): boolean {
    const recording = recordingOf(row.attemptId);
    if (recording?.state === 'recording') return false;
    // The finalised copy's hash; the stream's when the copy could not be made (then incomplete).
    const sha256 = recording ? (recording.sha256 ?? recording.rawSha256) : null;
    const mark = recording ? consentMark.get(recording.id, CONSENT_STEP_ID) : undefined;
    const consentedAt = mark?.at ?? row.consentedAt;
    const factId = uuidv7();
    if (
      settle.run({
        id: row.id,
        factId,
        recordingId: recording?.id ?? null,
        sha256,
        markOffsetMs: mark?.offsetMs ?? null,
        consentedAt,
      }).changes === 0
    )
      return false;
    deps.sync?.consentRecorded(
      row.taskId,
      factId,
      {
        attemptId: deps.recordIdOf(row.attemptId),
        channel: row.channel,
        address: row.address,
        recordingSha256: sha256,
        consentedAt,
        markOffsetMs: mark?.offsetMs ?? null,
      },
      at,
    );
    deps.audit.append({
      at,
      actor: deps.actorOf(),
      type: 'consent.recorded',
      taskId: row.taskId,
      data: {
        attemptId: row.attemptId,
        channel: row.channel,
        factId,
        recordingId: recording?.id ?? null,
        recordingSha256: sha256,
        consentedAt,
      },
    });
    return true;
  }

  return {
    /**
     * The consent given on `attemptId` for each confirmed address; runs inside the transaction of
     * the call's outcome. Its facts are queued now, or by flush() once the recording is final.
     */
    record(taskId: number, attemptId: number, addresses: readonly ConfirmedAddress[], at: string): void {
      if (!db.inTransaction) throw new Error('a consent is recorded in the transaction of the outcome');
      for (const a of addresses)
        insert.run({ taskId, attemptId, channel: a.channel, address: a.address, at });
      for (const row of waitingOfAttempt.all(attemptId)) queue(row, at);
    },
    /** Queues the facts of consents whose recordings have been finalised since; answers how many. */
    flush(at: string): number {
      const rows = waiting.all();
      if (rows.length === 0) return 0;
      return deps.write(() => rows.filter((row) => queue(row, at)).length);
    },
    ofTask: (taskId: number) => ofTask.all(taskId),
  };
}
export type Consents = ReturnType<typeof createConsents>;
