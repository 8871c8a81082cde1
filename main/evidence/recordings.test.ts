import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingView, TaskDetail } from '../../common/contract';
import type { DeskBackend } from '../api/dispatcher';
import { openDatabase } from '../store/database';
import { createAuditLog } from '../store/auditLog';
import {
  answeredCall,
  finishRecording,
  openDeskWithTasks,
  partyHangsUp,
  recordChunks,
  RECORDED_MS,
  value,
  WEBM_CHUNKS,
} from './testing/deskFixture';

// Recordings through the dispatch, on a real SQLite file and real files, with the WebM Chromium's
// MediaRecorder made (no duration, no cues). ffprobe and ffmpeg (Debian's ffmpeg) judge the result.
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function probeDurationMs(file: string): number {
  const run = spawnSync(
    'ffprobe',
    ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file],
    { encoding: 'utf8' },
  );
  expect(run.status, run.stderr).toBe(0);
  return Math.round(Number(run.stdout.trim()) * 1000);
}

/** Decodes the whole file (after seeking, when asked); answers ffmpeg's exit status and errors. */
function decode(file: string, seekSeconds?: number) {
  const seek = seekSeconds === undefined ? [] : ['-ss', String(seekSeconds)];
  const run = spawnSync('ffmpeg', ['-v', 'error', ...seek, '-i', file, '-f', 'null', '-'], {
    encoding: 'utf8',
  });
  return { status: run.status, errors: run.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'desk-evidence-'));
const recordingsDir = join(dir, 'recordings');
let desk: DeskBackend;
const events: { name: string; payload: unknown }[] = [];

beforeAll(async () => {
  // Thresholds above any real disk: the first check (recordingStart) moves the level to warning.
  desk = await openDeskWithTasks(dir, {
    storageThresholds: { warningBytes: Number.MAX_SAFE_INTEGER, warningMinutes: 0, criticalBytes: 0 },
  });
  desk.onEvent((name, payload) => events.push({ name, payload }));
});
afterAll(() => {
  desk.close();
  rmSync(dir, { recursive: true, force: true });
});

const recordingFiles = () => readdirSync(recordingsDir).sort();
const taskAttempt = async (attemptId: number) => {
  const task = value(await desk.dispatch('taskGet', { taskId: 1 })) as TaskDetail;
  return task.attempts.find((a) => a.id === attemptId)!;
};

describe('a recorded call', () => {
  let attemptId: number;
  let recordingId: number;
  let finished: RecordingView;

  beforeAll(async () => {
    attemptId = await answeredCall(desk);
    recordingId = await recordChunks(desk, attemptId, WEBM_CHUNKS.slice(0, 3));
    value(await desk.dispatch('recordingMark', { recordingId, stepId: 'recording_notice', offsetMs: 400 }));
    value(await desk.dispatch('recordingMark', { recordingId, stepId: 'consent', offsetMs: 2500 }));
    for (let seq = 3; seq < WEBM_CHUNKS.length; seq++)
      value(
        await desk.dispatch('recordingChunk', {
          recordingId,
          seq,
          dataBase64: WEBM_CHUNKS[seq]!.toString('base64'),
        }),
      );
    value(await desk.dispatch('recordingMark', { recordingId, stepId: 'address', offsetMs: 5200 }));
    await partyHangsUp(desk, attemptId, {
      packetsLost: 2,
      packetsReceived: 300,
      jitterMs: 4.5,
      roundTripMs: 12,
    });
    finished = await finishRecording(desk, recordingId);
  });

  it('keeps the stream byte for byte and a repaired copy beside it, both hashed', () => {
    expect(finished).toMatchObject({ id: recordingId, attemptId, state: 'complete' });
    const files = recordingFiles().filter((f) => f.startsWith(`attempt-${attemptId}-`));
    expect(files).toHaveLength(2);
    const raw = readFileSync(
      join(
        recordingsDir,
        files.find((f) => f.endsWith('.stream.webm'))!,
      ),
    );
    const final = readFileSync(
      join(
        recordingsDir,
        files.find((f) => !f.endsWith('.stream.webm'))!,
      ),
    );
    expect(raw.equals(Buffer.concat(WEBM_CHUNKS))).toBe(true);
    expect(finished.rawSha256).toBe(sha256(raw));
    expect(finished.sha256).toBe(sha256(final));
    expect(finished.bytes).toBe(final.length);
    // Owner-only files: recordings are personal data.
    expect(statSync(join(recordingsDir, files[0]!)).mode & 0o777).toBe(0o600);
  });

  it('repairs the WebM: ffprobe reports the duration (within 10%), it decodes whole and after a seek', () => {
    const final = recordingFiles().find(
      (f) => f.startsWith(`attempt-${attemptId}-`) && !f.includes('.stream.'),
    )!;
    const raw = recordingFiles().find(
      (f) => f.startsWith(`attempt-${attemptId}-`) && f.includes('.stream.'),
    )!;
    const probe = spawnSync(
      'ffprobe',
      ['-v', 'error', '-show_entries', 'format=duration', join(recordingsDir, raw)],
      {
        encoding: 'utf8',
      },
    );
    expect(probe.stdout).toContain('duration=N/A'); // what Chromium wrote: no duration
    const duration = probeDurationMs(join(recordingsDir, final));
    expect(Math.abs(duration - RECORDED_MS) / RECORDED_MS).toBeLessThan(0.1);
    expect(Math.abs(finished.durationMs! - duration)).toBeLessThan(100);
    expect(decode(join(recordingsDir, final))).toEqual({ status: 0, errors: '' });
    expect(decode(join(recordingsDir, final), 3)).toEqual({ status: 0, errors: '' });
  });

  it('writes an audit event citing both hashes, and the chain verifies', async () => {
    const task = value(await desk.dispatch('taskGet', { taskId: 1 })) as TaskDetail;
    const event = task.timeline.find((e) => e.type === 'recording.finished')!;
    expect(event.data).toMatchObject({
      recordingId,
      attemptId,
      sipCallId: `call-${attemptId}@desk.test`,
      state: 'complete',
      rawSha256: finished.rawSha256,
      sha256: finished.sha256,
      chunks: WEBM_CHUNKS.length,
    });
    const db = openDatabase(join(dir, 'desk.sqlite'));
    expect(createAuditLog(db).verify()).toMatchObject({ ok: true });
    db.close();
  });

  it('shows the call facts, the recording and its marks on the attempt', async () => {
    const attempt = await taskAttempt(attemptId);
    expect(attempt.call).toMatchObject({
      attemptId,
      direction: 'outbound',
      sipCallId: `call-${attemptId}@desk.test`,
      dialled: '13812345678',
      sipStatus: 200,
      reason: 'BYE',
      hungUpBy: 'remote',
      stats: { packetsLost: 2, packetsReceived: 300, jitterMs: 4.5, roundTripMs: 12 },
    });
    for (const key of ['inviteAt', 'ringingAt', 'answeredAt', 'mediaConnectedAt', 'endedAt'] as const)
      expect(attempt.call![key]).toMatch(/^2026-11-23T02:00/);
    expect(attempt.recordings).toEqual([finished]);
    expect(finished.marks).toEqual([
      { stepId: 'recording_notice', offsetMs: 400 },
      { stepId: 'consent', offsetMs: 2500 },
      { stepId: 'address', offsetMs: 5200 },
    ]);
  });

  it('reads the repaired file back for playback', async () => {
    const read = value(await desk.dispatch('recordingRead', { recordingId })) as { dataBase64: string };
    expect(sha256(Buffer.from(read.dataBase64, 'base64'))).toBe(finished.sha256);
  });

  it('exports the file and a manifest with its hashes, call facts, task and marks; the export is audited', async () => {
    const exported = value(await desk.dispatch('recordingExport', { recordingId })) as {
      fileName: string;
      dataBase64: string;
      manifestFileName: string;
      manifest: string;
    };
    expect(exported.fileName).toBe(`(2026)内0303民初1001号_recording-${recordingId}.webm`);
    expect(exported.manifestFileName).toBe(`(2026)内0303民初1001号_recording-${recordingId}.manifest.json`);
    const bytes = Buffer.from(exported.dataBase64, 'base64');
    const manifest = JSON.parse(exported.manifest) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      fileName: exported.fileName,
      bytes: bytes.length,
      sha256: sha256(bytes),
      rawSha256: finished.rawSha256,
      durationMs: finished.durationMs,
      state: 'complete',
      task: { id: 1, caseNumber: '(2026)内0303民初1001号', sourceTaskId: 'T1' },
      call: { sipCallId: `call-${attemptId}@desk.test`, sipStatus: 200 },
      marks: finished.marks,
    });
    const task = value(await desk.dispatch('taskGet', { taskId: 1 })) as TaskDetail;
    const finishedEvent = task.timeline.find((e) => e.type === 'recording.finished')!;
    expect(manifest.auditSeq).toBe(finishedEvent.seq);
    expect(task.timeline[0]).toMatchObject({ type: 'recording.exported', data: { recordingId } });
  });

  it('takes no chunk after it was finalised', async () => {
    expect(
      await desk.dispatch('recordingChunk', { recordingId, seq: WEBM_CHUNKS.length, dataBase64: 'AAAA' }),
    ).toMatchObject({ ok: false, error: { code: 'refused', details: { code: 'recording_finished' } } });
    // A second finish (e.g. an unload after the hang-up) answers the recording unchanged.
    expect(value(await desk.dispatch('recordingFinish', { recordingId, reason: 'unload' }))).toEqual(
      finished,
    );
  });
});

describe('chunks out of order', () => {
  let recordingId: number;
  beforeAll(async () => {
    const attemptId = await answeredCall(desk, 2);
    recordingId = await recordChunks(desk, attemptId, WEBM_CHUNKS.slice(0, 2));
  });

  const state = async () => {
    const task = value(await desk.dispatch('taskGet', { taskId: 2 })) as TaskDetail;
    const recording = task.attempts.flatMap((a) => a.recordings).find((r) => r.id === recordingId)!;
    const files = readdirSync(recordingsDir).filter((f) => f.endsWith('.stream.webm'));
    return { recording, sizes: files.map((f) => statSync(join(recordingsDir, f)).size) };
  };

  it('refuses a gap with its code and the expected seq, and changes nothing', async () => {
    const before = await state();
    const gap = await desk.dispatch('recordingChunk', {
      recordingId,
      seq: 3,
      dataBase64: WEBM_CHUNKS[3]!.toString('base64'),
    });
    expect(gap).toMatchObject({
      ok: false,
      error: {
        code: 'refused',
        details: { code: 'recording_gap', params: { recordingId, seq: 3, expectedSeq: 2 } },
      },
    });
    expect(await state()).toEqual(before);
  });

  it('takes a repeated chunk with the same bytes as a no-op', async () => {
    const before = await state();
    const again = value(
      await desk.dispatch('recordingChunk', {
        recordingId,
        seq: 1,
        dataBase64: WEBM_CHUNKS[1]!.toString('base64'),
      }),
    );
    expect(again).toEqual({ bytes: WEBM_CHUNKS[0]!.length + WEBM_CHUNKS[1]!.length, seq: 1 });
    expect(await state()).toEqual(before);
  });

  it('refuses a repeated chunk with other bytes: evidence is never overwritten', async () => {
    const before = await state();
    const overwrite = await desk.dispatch('recordingChunk', {
      recordingId,
      seq: 0,
      dataBase64: WEBM_CHUNKS[2]!.toString('base64'),
    });
    expect(overwrite).toMatchObject({
      ok: false,
      error: {
        code: 'refused',
        details: { code: 'recording_chunk_conflict', params: { recordingId, seq: 0 } },
      },
    });
    expect(await state()).toEqual(before);
  });

  it('refuses bytes that are not base64 before any handler runs', async () => {
    expect(
      await desk.dispatch('recordingChunk', { recordingId, seq: 2, dataBase64: 'not base64!' }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('reads the stream so far while recording, and exports only a finished recording', async () => {
    const read = value(await desk.dispatch('recordingRead', { recordingId })) as {
      recording: RecordingView;
      dataBase64: string;
    };
    expect(read.recording).toMatchObject({ state: 'recording', sha256: null, rawSha256: null });
    expect(Buffer.from(read.dataBase64, 'base64').equals(Buffer.concat(WEBM_CHUNKS.slice(0, 2)))).toBe(true);
    expect(await desk.dispatch('recordingExport', { recordingId })).toMatchObject({
      ok: false,
      error: { code: 'refused', details: { code: 'recording_in_progress', params: { recordingId } } },
    });
  });

  it('a reload mid-call (finish with unload) keeps what was written as a playable, hashed, incomplete file', async () => {
    const view = value(
      await desk.dispatch('recordingFinish', { recordingId, reason: 'unload' }),
    ) as RecordingView;
    expect(view.state).toBe('incomplete');
    const read = value(await desk.dispatch('recordingRead', { recordingId })) as { dataBase64: string };
    const bytes = Buffer.from(read.dataBase64, 'base64');
    expect(sha256(bytes)).toBe(view.sha256);
    const file = join(dir, 'partial.webm');
    writeFileSync(file, bytes);
    expect(decode(file).status).toBe(0);
    const duration = probeDurationMs(file);
    expect(duration).toBeGreaterThan(1000);
    expect(duration).toBeLessThan(2500);
    const task = value(await desk.dispatch('taskGet', { taskId: 2 })) as TaskDetail;
    expect(task.timeline[0]).toMatchObject({
      type: 'recording.incomplete',
      data: { recordingId, state: 'incomplete', reason: 'unload', sha256: view.sha256 },
    });
  });
});

describe('recording refusals and storage', () => {
  it('refuses a recording for an attempt that does not exist, or a type it cannot repair', async () => {
    expect(await desk.dispatch('recordingStart', { attemptId: 999, mimeType: 'audio/webm' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const attemptId = await answeredCall(desk);
    expect(await desk.dispatch('recordingStart', { attemptId, mimeType: 'audio/ogg' })).toMatchObject({
      ok: false,
      error: {
        code: 'refused',
        details: { code: 'recording_mime_unsupported', params: { mimeType: 'audio/ogg' } },
      },
    });
  });

  it('finalises a recording that never got a chunk as incomplete, saying why, and keeps going', async () => {
    const attemptId = await answeredCall(desk);
    const { recordingId } = value(
      await desk.dispatch('recordingStart', { attemptId, mimeType: 'audio/webm;codecs=opus' }),
    ) as { recordingId: number };
    const view = value(
      await desk.dispatch('recordingFinish', { recordingId, reason: 'hangup' }),
    ) as RecordingView;
    expect(view).toMatchObject({
      state: 'incomplete',
      bytes: 0,
      sha256: null,
      rawSha256: sha256(Buffer.alloc(0)),
    });
    const task = value(await desk.dispatch('taskGet', { taskId: 1 })) as TaskDetail;
    expect(task.timeline[0]).toMatchObject({
      type: 'recording.incomplete',
      data: { recordingId, reason: 'hangup', problems: [expect.stringMatching(/^not repaired/)] },
    });
    expect(await desk.dispatch('recordingExport', { recordingId })).toMatchObject({ ok: true });
  });

  it('tells the renderer when free space falls below the warning level, and answers the status', async () => {
    const status = value(await desk.dispatch('storageStatus', {})) as {
      freeBytes: number;
      minutesLeft: number;
      level: string;
    };
    expect(status.level).toBe('warning');
    expect(status.freeBytes).toBeGreaterThan(0);
    expect(status.minutesLeft).toBeGreaterThan(0);
    // The level moved once (ok → warning, at the first recordingStart); unchanged checks stay quiet.
    expect(events.filter((e) => e.name === 'storageChanged')).toEqual([
      { name: 'storageChanged', payload: expect.objectContaining({ level: 'warning' }) },
    ]);
  });
});
