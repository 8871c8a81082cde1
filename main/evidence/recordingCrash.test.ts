import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingView, TaskDetail } from '../../common/contract';
import type { DeskBackend } from '../api/dispatcher';
import { openDeskWithTasks, value, WEBM_CHUNKS } from './testing/deskFixture';

// The desk process killed mid-recording (SIGKILL: no finish, no cleanup). The next open finalises
// what was written: incomplete, playable, its hash verified against the bytes on disk.
const repoRoot = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'desk-crash-'));
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const CHUNKS_BEFORE_KILL = 3;

let started: { recordingId: number; attemptId: number; chunks: number };
let desk: DeskBackend;

beforeAll(async () => {
  const child = spawn(
    'npx',
    ['tsx', 'main/evidence/testing/recordingChild.ts', dir, String(CHUNKS_BEFORE_KILL)],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) =>
      reject(new Error(`the desk child exited (${code}) before recording: ${stderr}`)),
    );
  });
  started = JSON.parse(line) as typeof started;
  // The whole process group (npx, tsx, node): nothing gets to run a finish or an exit handler.
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
  desk = await openDeskWithTasks(dir);
}, 60_000);
afterAll(() => {
  desk?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a desk killed mid-recording', () => {
  it('finalises the recording as incomplete on the next open, with both hashes verified', async () => {
    const task = value(await desk.dispatch('taskGet', { taskId: 1 })) as TaskDetail;
    const attempt = task.attempts.find((a) => a.id === started.attemptId)!;
    const [recording] = attempt.recordings as [RecordingView];
    expect(recording).toMatchObject({ id: started.recordingId, state: 'incomplete' });
    const streamed = Buffer.concat(WEBM_CHUNKS.slice(0, CHUNKS_BEFORE_KILL));
    expect(recording.rawSha256).toBe(sha256(streamed));

    const read = value(await desk.dispatch('recordingRead', { recordingId: recording.id })) as {
      dataBase64: string;
    };
    const playable = Buffer.from(read.dataBase64, 'base64');
    expect(sha256(playable)).toBe(recording.sha256);

    const event = task.timeline.find((e) => e.type === 'recording.incomplete')!;
    expect(event.data).toMatchObject({
      recordingId: recording.id,
      reason: 'desk_restart',
      chunks: CHUNKS_BEFORE_KILL,
      bytes: streamed.length,
      rawSha256: recording.rawSha256,
      sha256: recording.sha256,
    });
  });

  it('leaves a file ffmpeg decodes, as long as what was streamed', async () => {
    const task = value(await desk.dispatch('taskGet', { taskId: 1 })) as TaskDetail;
    const recording = task.attempts.flatMap((a) => a.recordings).find((r) => r.id === started.recordingId)!;
    const read = value(await desk.dispatch('recordingRead', { recordingId: recording.id })) as {
      dataBase64: string;
    };
    const file = join(dir, 'after-crash.webm');
    writeFileSync(file, Buffer.from(read.dataBase64, 'base64'));
    const run = spawnSync('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(recording.durationMs).toBeGreaterThan(2000);
    expect(recording.durationMs).toBeLessThan(3500);
    expect(readFileSync(file).length).toBe(recording.bytes);
  });
});
