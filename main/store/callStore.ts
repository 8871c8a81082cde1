import type { SqliteDatabase } from '../../native/sqlite';
import type { CallFacts, RecordingView } from '../../common/contract';

export type CallDirection = CallFacts['direction'];
export type RecordingState = RecordingView['state'];

interface CallRow {
  attemptId: number;
  direction: CallDirection;
  sipCallId: string | null;
  dialled: string | null;
  inviteAt: string | null;
  ringingAt: string | null;
  answeredAt: string | null;
  mediaConnectedAt: string | null;
  endedAt: string | null;
  sipStatus: number | null;
  reason: string | null;
  hungUpBy: CallFacts['hungUpBy'];
  packetsLost: number | null;
  packetsReceived: number | null;
  jitterMs: number | null;
  roundTripMs: number | null;
}

/** A recording row as main works with it (file names included; the view leaves them out). */
export interface RecordingRow {
  id: number;
  attemptId: number;
  state: RecordingState;
  mimeType: string;
  chunks: number;
  bytes: number;
  rawSha256: string | null;
  sha256: string | null;
  finalBytes: number | null;
  durationMs: number | null;
  rawFile: string;
  finalFile: string | null;
  startedAt: string;
  finishedAt: string | null;
  finishReason: string | null;
  auditSeq: number | null;
}

export interface RecordingFinal {
  state: Exclude<RecordingState, 'recording'>;
  bytes: number;
  rawSha256: string;
  sha256: string | null;
  finalBytes: number | null;
  durationMs: number | null;
  finalFile: string | null;
  finishedAt: string;
  finishReason: string;
}

/** The facts a call event may set; each column is written once (the first report wins). */
export type CallFactPatch = Partial<Omit<CallRow, 'attemptId' | 'direction'>>;

const CALL_COLUMNS = `attempt_id AS attemptId, direction, sip_call_id AS sipCallId, dialled, invite_at AS inviteAt,
  ringing_at AS ringingAt, answered_at AS answeredAt, media_connected_at AS mediaConnectedAt, ended_at AS endedAt,
  sip_status AS sipStatus, reason, hung_up_by AS hungUpBy, packets_lost AS packetsLost,
  packets_received AS packetsReceived, jitter_ms AS jitterMs, round_trip_ms AS roundTripMs`;
const RECORDING_COLUMNS = `id, attempt_id AS attemptId, state, mime_type AS mimeType, chunks, bytes,
  raw_sha256 AS rawSha256, sha256, final_bytes AS finalBytes, duration_ms AS durationMs, raw_file AS rawFile,
  final_file AS finalFile, started_at AS startedAt, finished_at AS finishedAt, finish_reason AS finishReason,
  audit_seq AS auditSeq`;
const PATCH_COLUMNS: Record<keyof CallFactPatch, string> = {
  sipCallId: 'sip_call_id',
  dialled: 'dialled',
  inviteAt: 'invite_at',
  ringingAt: 'ringing_at',
  answeredAt: 'answered_at',
  mediaConnectedAt: 'media_connected_at',
  endedAt: 'ended_at',
  sipStatus: 'sip_status',
  reason: 'reason',
  hungUpBy: 'hung_up_by',
  packetsLost: 'packets_lost',
  packetsReceived: 'packets_received',
  jitterMs: 'jitter_ms',
  roundTripMs: 'round_trip_ms',
};

function toFacts(row: CallRow): CallFacts {
  const { packetsLost, packetsReceived, jitterMs, roundTripMs, ...facts } = row;
  const stats =
    packetsLost === null || packetsReceived === null || jitterMs === null
      ? null
      : { packetsLost, packetsReceived, jitterMs, roundTripMs };
  return { ...facts, stats };
}

/** Calls, recordings, chunks and marks. Writers run inside the caller's transaction. */
export function createCallStore(db: SqliteDatabase) {
  const insertCall = db.prepare(
    'INSERT INTO calls (attempt_id, direction) VALUES (?, ?) ON CONFLICT (attempt_id) DO NOTHING',
  );
  const callOf = db.prepare<[number], CallRow>(`SELECT ${CALL_COLUMNS} FROM calls WHERE attempt_id = ?`);
  const callEvents = db.prepare<[number], { events: string }>(
    'SELECT events FROM calls WHERE attempt_id = ?',
  );
  const setEvents = db.prepare('UPDATE calls SET events = ? WHERE attempt_id = ?');
  const patchStatements = new Map<string, ReturnType<SqliteDatabase['prepare']>>();

  const insertRecording = db.prepare(
    `INSERT INTO recordings (attempt_id, state, mime_type, raw_file, started_at)
     VALUES (@attemptId, 'recording', @mimeType, @rawFile, @startedAt)`,
  );
  const recording = db.prepare<[number], RecordingRow>(
    `SELECT ${RECORDING_COLUMNS} FROM recordings WHERE id = ?`,
  );
  const recordingsOf = db.prepare<[number], RecordingRow>(
    `SELECT ${RECORDING_COLUMNS} FROM recordings WHERE attempt_id = ? ORDER BY id`,
  );
  const openRecordings = db.prepare<[], RecordingRow>(
    `SELECT ${RECORDING_COLUMNS} FROM recordings WHERE state = 'recording' ORDER BY id`,
  );
  const chunk = db.prepare<[number, number], { seq: number; bytes: number; sha256: string }>(
    'SELECT seq, bytes, sha256 FROM recording_chunks WHERE recording_id = ? AND seq = ?',
  );
  const insertChunk = db.prepare(
    `INSERT INTO recording_chunks (recording_id, seq, offset, bytes, sha256) VALUES (@recordingId, @seq, @offset, @bytes, @sha256)`,
  );
  const countChunk = db.prepare(
    `UPDATE recordings SET chunks = chunks + 1, bytes = bytes + @bytes
      WHERE id = @recordingId AND state = 'recording' AND chunks = @seq`,
  );
  const finish = db.prepare(
    `UPDATE recordings SET state = @state, bytes = @bytes, raw_sha256 = @rawSha256, sha256 = @sha256,
            final_bytes = @finalBytes, duration_ms = @durationMs, final_file = @finalFile,
            finished_at = @finishedAt, finish_reason = @finishReason
      WHERE id = @id AND state = 'recording'`,
  );
  const setAuditSeq = db.prepare('UPDATE recordings SET audit_seq = ? WHERE id = ?');
  const insertMark = db.prepare(
    `INSERT INTO recording_marks (recording_id, step_id, offset_ms, at) VALUES (?, ?, ?, ?)
     ON CONFLICT (recording_id, step_id, offset_ms) DO NOTHING`,
  );
  const marksOf = db.prepare<[number], { stepId: string; offsetMs: number }>(
    'SELECT step_id AS stepId, offset_ms AS offsetMs FROM recording_marks WHERE recording_id = ? ORDER BY offset_ms, id',
  );
  const tasksByDigits = db.prepare<
    [string],
    { taskId: number; phoneId: number; partyName: string; caseNumber: string; open: number }
  >(
    `SELECT t.id AS taskId, ph.id AS phoneId, t.party_name AS partyName, t.case_number AS caseNumber, t.open
       FROM phones ph JOIN tasks t ON t.party_id = ph.party_id
      WHERE ph.digits = ? ORDER BY t.open DESC, coalesce(t.deadline, '9999-12-31'), t.id LIMIT 20`,
  );

  const view = (row: RecordingRow): RecordingView => ({
    id: row.id,
    attemptId: row.attemptId,
    state: row.state,
    mimeType: row.mimeType,
    bytes: row.finalBytes ?? row.bytes,
    durationMs: row.durationMs,
    sha256: row.sha256,
    rawSha256: row.rawSha256,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    marks: marksOf.all(row.id),
  });

  return {
    openCall(attemptId: number, direction: CallDirection): void {
      insertCall.run(attemptId, direction);
    },
    call(attemptId: number): CallFacts | null {
      const row = callOf.get(attemptId);
      return row ? toFacts(row) : null;
    },
    /** Sets the given facts; a fact already known keeps its first value. */
    patchCall(attemptId: number, patch: CallFactPatch): void {
      const keys = (Object.keys(PATCH_COLUMNS) as (keyof CallFactPatch)[]).filter(
        (k) => patch[k] !== undefined,
      );
      if (keys.length === 0) return;
      const sql = `UPDATE calls SET ${keys.map((k) => `${PATCH_COLUMNS[k]} = coalesce(${PATCH_COLUMNS[k]}, @${k})`).join(', ')} WHERE attempt_id = @attemptId`;
      let statement = patchStatements.get(sql);
      if (!statement) patchStatements.set(sql, (statement = db.prepare(sql)));
      const params: Record<string, unknown> = { attemptId };
      for (const k of keys) params[k] = patch[k];
      statement.run(params);
    },
    appendCallEvent(attemptId: number, event: { type: string; at: string; digits?: string }): void {
      const current = JSON.parse(callEvents.get(attemptId)?.events ?? '[]') as unknown[];
      setEvents.run(JSON.stringify([...current, event]), attemptId);
    },
    matchCaller: (digits: string) => tasksByDigits.all(digits).map((r) => ({ ...r, open: r.open === 1 })),

    startRecording(r: { attemptId: number; mimeType: string; rawFile: string; startedAt: string }): number {
      return Number(insertRecording.run(r).lastInsertRowid);
    },
    recording: (id: number) => recording.get(id) ?? null,
    recordingsOf: (attemptId: number) => recordingsOf.all(attemptId),
    openRecordings: () => openRecordings.all(),
    chunk: (recordingId: number, seq: number) => chunk.get(recordingId, seq) ?? null,
    /** Counts a chunk already made durable on disk; false when seq is not the next one. */
    addChunk(c: {
      recordingId: number;
      seq: number;
      offset: number;
      bytes: number;
      sha256: string;
    }): boolean {
      if (countChunk.run({ recordingId: c.recordingId, seq: c.seq, bytes: c.bytes }).changes !== 1)
        return false;
      insertChunk.run(c);
      return true;
    },
    finishRecording(id: number, final: RecordingFinal): void {
      if (finish.run({ id, ...final }).changes !== 1) throw new Error(`recording ${id} is not recording`);
    },
    setAuditSeq(id: number, seq: number): void {
      setAuditSeq.run(seq, id);
    },
    addMark(recordingId: number, stepId: string, offsetMs: number, at: string): void {
      insertMark.run(recordingId, stepId, offsetMs, at);
    },
    view,
    marks: (recordingId: number) => marksOf.all(recordingId),
  };
}
export type CallStore = ReturnType<typeof createCallStore>;
