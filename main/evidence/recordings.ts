import { createHash, randomBytes, type Hash } from 'node:crypto';
import { closeSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { refused, type RecordingView, type RefusalCode, type RefusalParams } from '../../common/contract';
import type { SqliteDatabase } from '../../native/sqlite';
import type { Logger } from '../app/logger';
import type { AuditLog } from '../store/auditLog';
import type { CallStore, RecordingRow } from '../store/callStore';
import { MAX_BLOB_BYTES } from '../../common/sync/protocol';
import type { SyncRecorder } from '../sync/outbox';
import { callRecordId } from '../sync/recordIds';
import {
  createExclusive,
  ensureDir,
  openForAppend,
  syncDir,
  writeAtDurably,
  writeNewFileDurably,
} from './durableFiles';
import { repairWebm } from './webmRepair';

// Call recordings as evidence: streamed chunks appended durably to a raw file, hashed as they come,
// and at the end a repaired (seekable) copy written beside it. The raw stream file is kept too; no
// evidence file is ever overwritten. See durableFiles.ts for the fsync policy.

export type FinishReason = 'hangup' | 'failed' | 'unload' | 'desk_restart';

export interface RecorderDeps {
  /** One write transaction through the desk's write gate (main/store/writeGate.ts). */
  write<T>(fn: () => T): T;
  db: SqliteDatabase;
  audit: AuditLog;
  calls: CallStore;
  /** <dataDir>/recordings; created at the first recording. */
  dir: string;
  /** Who acts now (a hub sign-in changes it). */
  actorOf(): string;
  nowIso(): string;
  log: Logger;
  /** The hub's copy: the recording fact and its file, queued in the transaction of the finalise. */
  sync?: Pick<SyncRecorder, 'recordingFinalised'>;
}

interface ActiveRecording {
  fd: number;
  /** SHA-256 of the chunks acknowledged so far, in order. */
  hash: Hash;
}

interface AttemptInfo {
  taskId: number;
  kind: string;
  endedAt: string | null;
  caseNumber: string;
  court: string;
  sourceSystem: string;
  sourceTaskId: string;
  attemptRecordId: string | null;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const refuse = <C extends RefusalCode>(message: string, code: C, params: RefusalParams<C>) =>
  refused(code, params, message);

// MediaRecorder's mime types for what the repair understands, e.g. "audio/webm;codecs=opus".
const WEBM_MIME = /^audio\/webm(?:\s*;.*)?$/i;

export function createRecorder(deps: RecorderDeps) {
  const { db, audit, calls, dir, log } = deps;
  const actorOf = deps.actorOf;
  const active = new Map<number, ActiveRecording>();
  const attemptInfo = db.prepare<[number], AttemptInfo>(
    `SELECT a.task_id AS taskId, a.kind, a.ended_at AS endedAt, t.case_number AS caseNumber, t.court,
            t.source_system AS sourceSystem, t.source_task_id AS sourceTaskId, a.record_id AS attemptRecordId
       FROM attempts a JOIN tasks t ON t.id = a.task_id WHERE a.id = ?`,
  );

  const requireRecording = (recordingId: number): RecordingRow => {
    const row = calls.recording(recordingId);
    if (!row)
      throw refused('recording_not_found', { recordingId }, `recording ${recordingId} does not exist`);
    return row;
  };
  const taskOf = (attemptId: number): AttemptInfo => attemptInfo.get(attemptId)!;

  /** The handle of a recording still being written; rebuilt from the file if this process lost it. */
  const handleOf = (row: RecordingRow): ActiveRecording => {
    let handle = active.get(row.id);
    if (!handle) {
      const fd = openForAppend(join(dir, row.rawFile));
      const hash = createHash('sha256');
      hash.update(readFileSync(join(dir, row.rawFile)).subarray(0, row.bytes));
      handle = { fd, hash };
      active.set(row.id, handle);
    }
    return handle;
  };

  function start(attemptId: number, mimeType: string): number {
    const attempt = attemptInfo.get(attemptId);
    if (!attempt) throw refused('call_not_found', { attemptId }, `call attempt ${attemptId} does not exist`);
    if (attempt.kind !== 'call')
      throw refuse(`attempt ${attemptId} is not a call`, 'recording_not_a_call', { attemptId });
    if (attempt.endedAt !== null)
      throw refuse(`call attempt ${attemptId} is already closed`, 'recording_attempt_closed', { attemptId });
    if (!WEBM_MIME.test(mimeType))
      throw refuse(`recordings must be audio/webm, not ${mimeType}`, 'recording_mime_unsupported', {
        mimeType,
      });
    const at = deps.nowIso();
    ensureDir(dir);
    const stem = `attempt-${attemptId}-${at.replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(4).toString('hex')}`;
    const rawFile = `${stem}.stream.webm`;
    const fd = createExclusive(join(dir, rawFile));
    syncDir(dir);
    try {
      const recordingId = deps.write(() => {
        const id = calls.startRecording({ attemptId, mimeType, rawFile, startedAt: at });
        audit.append({
          at,
          actor: actorOf(),
          type: 'recording.started',
          taskId: attempt.taskId,
          data: { recordingId: id, attemptId, mimeType, rawFile },
        });
        return id;
      });
      active.set(recordingId, { fd, hash: createHash('sha256') });
      return recordingId;
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  function appendChunk(recordingId: number, seq: number, bytes: Buffer): { bytes: number; seq: number } {
    const row = requireRecording(recordingId);
    if (row.state !== 'recording')
      throw refuse(
        `recording ${recordingId} is ${row.state}; it takes no more chunks`,
        'recording_finished',
        {
          recordingId,
          state: row.state,
        },
      );
    const digest = sha256(bytes);
    if (seq < row.chunks) {
      const earlier = calls.chunk(recordingId, seq);
      // A chunk sent again (its answer was lost): the same bytes change nothing.
      if (earlier && earlier.sha256 === digest) return { bytes: row.bytes, seq };
      throw refuse(
        `chunk ${seq} of recording ${recordingId} was already stored with other bytes; evidence is never overwritten`,
        'recording_chunk_conflict',
        { recordingId, seq },
      );
    }
    if (seq > row.chunks)
      throw refuse(
        `chunk ${seq} of recording ${recordingId} leaves a gap: expected ${row.chunks}`,
        'recording_gap',
        {
          recordingId,
          seq,
          expectedSeq: row.chunks,
        },
      );
    const handle = handleOf(row);
    try {
      writeAtDurably(handle.fd, row.bytes, bytes);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT')
        throw refuse('the disk is full: the recording cannot be written', 'recording_disk_full', {
          recordingId,
          seq,
        });
      throw error;
    }
    // The bytes are on disk; only now is the chunk counted (and acknowledged by the answer).
    deps.write(() => {
      if (!calls.addChunk({ recordingId, seq, offset: row.bytes, bytes: bytes.length, sha256: digest }))
        throw new Error(`recording ${recordingId} moved on while chunk ${seq} was written`);
    });
    handle.hash.update(bytes);
    return { bytes: row.bytes + bytes.length, seq };
  }

  function finalise(row: RecordingRow, reason: FinishReason): RecordingView {
    const at = deps.nowIso();
    const handle = active.get(row.id);
    active.delete(row.id);
    if (handle) closeSync(handle.fd);
    const rawPath = join(dir, row.rawFile);
    const rawMissing = !existsSync(rawPath);
    const raw = rawMissing ? Buffer.alloc(0) : readFileSync(rawPath);
    const rawFileSha256 = sha256(raw);
    // The streamed hash when this process saw every chunk; otherwise the file is all there is.
    const rawSha256 = handle && raw.length === row.bytes ? handle.hash.digest('hex') : rawFileSha256;
    const problems: string[] = [];
    if (rawMissing) problems.push('the stream file is missing');
    if (rawSha256 !== rawFileSha256) problems.push('the stream file differs from the bytes streamed');
    if (raw.length > row.bytes)
      problems.push(`${raw.length - row.bytes} bytes on disk were never acknowledged`);

    let finalFile: string | null = null;
    let finalSha256: string | null = null;
    let finalBytes: number | null = null;
    let durationMs: number | null = null;
    try {
      const repaired = repairWebm(raw);
      finalFile = row.rawFile.replace(/\.stream\.webm$/, '.webm');
      writeNewFileDurably(join(dir, finalFile), dir, repaired.bytes);
      finalSha256 = sha256(repaired.bytes);
      finalBytes = repaired.bytes.length;
      durationMs = repaired.durationMs;
    } catch (error) {
      finalFile = null;
      problems.push(`not repaired: ${error instanceof Error ? error.message : String(error)}`);
      log.warn({ err: error, recordingId: row.id }, 'recording could not be repaired; the stream file stays');
    }
    const state = reason === 'hangup' && problems.length === 0 ? 'complete' : 'incomplete';
    const { taskId, attemptRecordId } = taskOf(row.attemptId);
    const call = calls.call(row.attemptId);
    deps.write(() => {
      calls.finishRecording(row.id, {
        state,
        bytes: raw.length,
        rawSha256,
        sha256: finalSha256,
        finalBytes,
        durationMs,
        finalFile,
        finishedAt: at,
        finishReason: reason,
      });
      const event = audit.append({
        at,
        actor: actorOf(),
        type: state === 'complete' ? 'recording.finished' : 'recording.incomplete',
        taskId,
        data: {
          recordingId: row.id,
          attemptId: row.attemptId,
          sipCallId: call?.sipCallId ?? null,
          state,
          reason,
          chunks: row.chunks,
          bytes: raw.length,
          durationMs,
          rawFile: row.rawFile,
          rawSha256,
          finalFile,
          sha256: finalSha256,
          ...(problems.length > 0 ? { problems } : {}),
        },
      });
      calls.setAuditSeq(row.id, event.seq);
      // The evidence copy is the repaired file; without one, the stream file as it was left.
      // (Beyond the hub's blob limit it stays local, said in the log: finalising never fails for sync.)
      const hubBytes = finalBytes ?? raw.length;
      if (hubBytes > MAX_BLOB_BYTES)
        log.warn({ recordingId: row.id, bytes: hubBytes }, 'too big for the hub');
      else
        deps.sync?.recordingFinalised(
          taskId,
          {
            callId: call && attemptRecordId ? callRecordId(attemptRecordId) : null,
            sha256: finalSha256 ?? rawSha256,
            bytes: hubBytes,
            mimeType: row.mimeType,
            durationSeconds: durationMs === null ? null : durationMs / 1000,
            ...(state === 'complete' ? {} : { incomplete: true }),
          },
          finalFile ? join(dir, finalFile) : rawMissing ? null : rawPath,
          at,
        );
    });
    log.info({ recordingId: row.id, state, reason, bytes: raw.length, durationMs }, 'recording finalised');
    return calls.view(requireRecording(row.id));
  }

  /** The playable bytes: the repaired file once there is one, the stream so far before. */
  function read(recordingId: number): { recording: RecordingView; bytes: Buffer; fileName: string } {
    const row = requireRecording(recordingId);
    const fileName = row.finalFile ?? row.rawFile;
    const path = join(dir, fileName);
    const bytes = existsSync(path)
      ? readFileSync(path).subarray(0, row.finalFile ? undefined : row.bytes)
      : Buffer.alloc(0);
    return { recording: calls.view(row), bytes, fileName };
  }

  return {
    start,
    appendChunk,
    /** A repeated finish answers the recording as it was finalised. */
    finish(recordingId: number, reason: FinishReason): RecordingView {
      const row = requireRecording(recordingId);
      if (row.state !== 'recording') return calls.view(row);
      return finalise(row, reason);
    },
    /** At open: every recording a crash, a reload or a kill left open becomes incomplete, kept and hashed. */
    finaliseLeftOpen(): RecordingView[] {
      return calls.openRecordings().map((row) => finalise(row, 'desk_restart'));
    },
    mark(recordingId: number, stepId: string, offsetMs: number): RecordingView {
      requireRecording(recordingId);
      deps.write(() => calls.addMark(recordingId, stepId, offsetMs, deps.nowIso()));
      return calls.view(requireRecording(recordingId));
    },
    read,
    exportRecording(recordingId: number) {
      const row = requireRecording(recordingId);
      if (row.state === 'recording')
        throw refuse(`recording ${recordingId} is still being recorded`, 'recording_in_progress', {
          recordingId,
        });
      const { bytes, fileName: storedName } = read(recordingId);
      const task = taskOf(row.attemptId);
      const safeCase = task.caseNumber.replace(/[\\/:*?"<>|\s]+/g, '_') || `task-${task.taskId}`;
      const fileName = `${safeCase}_recording-${row.id}.webm`;
      const manifestFileName = `${safeCase}_recording-${row.id}.manifest.json`;
      const at = deps.nowIso();
      const exportSeq = deps.write(
        () =>
          audit.append({
            at,
            actor: actorOf(),
            type: 'recording.exported',
            taskId: task.taskId,
            data: {
              recordingId: row.id,
              attemptId: row.attemptId,
              sha256: row.sha256,
              rawSha256: row.rawSha256,
            },
          }).seq,
      );
      const manifest = {
        kind: 'delivery-desk.recording',
        version: 1,
        fileName,
        storedFileName: storedName,
        rawFileName: row.rawFile,
        mimeType: row.mimeType,
        state: row.state,
        bytes: bytes.length,
        sha256: row.sha256,
        rawSha256: row.rawSha256,
        rawBytes: row.bytes,
        durationMs: row.durationMs,
        startedAt: row.startedAt,
        finishedAt: row.finishedAt,
        finishReason: row.finishReason,
        task: {
          id: task.taskId,
          caseNumber: task.caseNumber,
          court: task.court,
          sourceSystem: task.sourceSystem,
          sourceTaskId: task.sourceTaskId,
        },
        attemptId: row.attemptId,
        call: calls.call(row.attemptId),
        marks: calls.marks(row.id),
        auditSeq: row.auditSeq,
        exportAuditSeq: exportSeq,
        exportedAt: at,
        exportedBy: actorOf(),
      };
      return { fileName, bytes, manifestFileName, manifest: `${JSON.stringify(manifest, null, 2)}\n` };
    },
    /** Closes the files of recordings still open (the rows stay 'recording' for the next open). */
    close(): void {
      for (const handle of active.values()) closeSync(handle.fd);
      active.clear();
    },
  };
}
export type Recorder = ReturnType<typeof createRecorder>;
