// Shared by the evidence tests: a desk on real files with one callable task, and the real
// Chromium MediaRecorder WebM from fixtures/ split into the chunks Chromium produced.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CallEvent, RecordingView, Result } from '../../../common/contract';
import { clockStartingAt } from '../../app/clock';
import { openDesk, type OpenDeskOptions } from '../../app/openDesk';
import type { DeskBackend } from '../../api/dispatcher';

/** Monday 2026-11-23 10:00 in Shanghai: inside the default calling hours. */
export const MONDAY_10AM = '2026-11-23T10:00:00+08:00';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const layout = JSON.parse(readFileSync(join(FIXTURES, 'chromium-speech.json'), 'utf8')) as {
  recordedMs: number;
  chunkBytes: number[];
};
const webm = readFileSync(join(FIXTURES, 'chromium-speech.webm'));

/** How long Chromium recorded, and its chunks in order (Chromium's ~1 s timeslices). */
export const RECORDED_MS = layout.recordedMs;
export const WEBM_CHUNKS: Buffer[] = layout.chunkBytes.map((length, i) => {
  const start = layout.chunkBytes.slice(0, i).reduce((a, b) => a + b, 0);
  return webm.subarray(start, start + length);
});

export function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

const CSV = [
  '来源编号,案号,法院,当事人,证件号码,联系电话,送达文书,送达期限',
  'T1,(2026)内0303民初1001号,乌海市海南区人民法院,张三,11010519491231002X,138-1234-5678,传票;应诉通知书,2026-11-23',
  'T2,(2026)内0303民初1002号,乌海市海南区人民法院,李四,,0473-8123456转801,传票,2026-12-30',
].join('\n');

export async function openDeskWithTasks(
  dataDir: string,
  options: Partial<OpenDeskOptions> = {},
): Promise<DeskBackend> {
  const desk = openDesk({ dataDir, clock: clockStartingAt(MONDAY_10AM), specialistName: '王敏', ...options });
  const existing = value(await desk.dispatch('queuePage', {})) as { total: number };
  if (existing.total === 0)
    value(
      await desk.dispatch('intakeImport', {
        fileName: 'tasks.csv',
        dataBase64: Buffer.from(CSV).toString('base64'),
      }),
    );
  return desk;
}

/** The first phone of a task. */
export async function phoneOf(desk: DeskBackend, taskId: number): Promise<number> {
  const task = value(await desk.dispatch('taskGet', { taskId })) as { party: { phones: { id: number }[] } };
  return task.party.phones[0]!.id;
}

/** Dials task 1's party and reports the call answered with media flowing; answers the attempt id. */
export async function answeredCall(desk: DeskBackend, taskId = 1): Promise<number> {
  const { attemptId } = value(
    await desk.dispatch('callStart', { taskId, phoneId: await phoneOf(desk, taskId) }),
  ) as { attemptId: number };
  for (const event of [
    { type: 'invite', sipCallId: `call-${attemptId}@desk.test`, dialled: '13812345678' },
    { type: 'ringing', sipStatus: 180 },
    { type: 'answered' },
    { type: 'media_connected' },
  ])
    value(await desk.dispatch('callEvent', { attemptId, event }));
  return attemptId;
}

export async function recordChunks(desk: DeskBackend, attemptId: number, chunks: Buffer[]): Promise<number> {
  const { recordingId } = value(
    await desk.dispatch('recordingStart', { attemptId, mimeType: 'audio/webm;codecs=opus' }),
  ) as { recordingId: number };
  for (const [seq, chunk] of chunks.entries())
    value(await desk.dispatch('recordingChunk', { recordingId, seq, dataBase64: chunk.toString('base64') }));
  return recordingId;
}

type CallStats = NonNullable<Extract<CallEvent, { type: 'ended' }>['stats']>;

/** The party hangs up (BYE) a connected call; `stats` as the browser measured them. */
export async function partyHangsUp(desk: DeskBackend, attemptId: number, stats: CallStats): Promise<void> {
  value(
    await desk.dispatch('callEvent', {
      attemptId,
      event: { type: 'ended', sipStatus: 200, reason: 'BYE', hungUpBy: 'remote', stats },
    }),
  );
}

/** Finishes a recording after the call hung up; answers the finalised recording. */
export async function finishRecording(desk: DeskBackend, recordingId: number): Promise<RecordingView> {
  return value(await desk.dispatch('recordingFinish', { recordingId, reason: 'hangup' })) as RecordingView;
}
