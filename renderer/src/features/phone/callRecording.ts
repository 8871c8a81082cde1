import { callDesk } from '../../shared/call';
import { bytesToBase64 } from '../../shared/base64';
import { createChunkUploader } from '../../phone/chunkUploader';
import { startCallRecorder, type CallRecorder } from '../../phone/callRecorder';
import type { RecordingView } from '../../../../common/contract';

// One call's evidence recording as the desk keeps it: the recorder's chunks go to main through
// recordingChunk in order (queued and retried, never dropped); marks carry their offset; at
// hang-up main finalises. On unload, recordingFinish('unload') is sent best-effort.

export interface CallRecording {
  /** Marks a script step at the current offset into the recording. */
  mark(stepId: string): void;
  finish(): Promise<RecordingView | null>;
  /** The page is going away: tell main, without waiting. */
  unload(): void;
}

export interface CallRecordingOptions {
  attemptId: number;
  local: MediaStream;
  remote: MediaStream;
  onWaiting(chunks: number): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function startCallRecording(options: CallRecordingOptions): CallRecording {
  let knownId: number | null = null;
  let recorder: CallRecorder | null = null;
  let finishing = false;

  const uploader = createChunkUploader({
    send: async (seq, bytes) => {
      const id = await recordingId;
      const answer = await callDesk((desk) =>
        desk.recordingChunk({ recordingId: id, seq, dataBase64: bytesToBase64(bytes) }),
      );
      options.onWaiting(uploader.pending() - 1);
      if (!answer.ok) throw new Error(answer.error.message);
    },
    onRetry: () => options.onWaiting(uploader.pending()),
  });

  recorder = startCallRecorder({
    local: options.local,
    remote: options.remote,
    onChunk: (data) => uploader.push(data),
  });
  const mimeType = recorder.mimeType;

  // The recorder runs from the first moment of media; its chunks wait for the recording's id.
  const recordingId: Promise<number> = (async () => {
    for (let attempt = 0; ; attempt++) {
      const answer = await callDesk((desk) =>
        desk.recordingStart({ attemptId: options.attemptId, mimeType }),
      );
      if (answer.ok) {
        knownId = answer.value.recordingId;
        return knownId;
      }
      await sleep(Math.min(5000, 300 * 2 ** attempt));
    }
  })();

  return {
    mark(stepId) {
      const offsetMs = recorder?.elapsedMs() ?? 0;
      void recordingId.then((id) =>
        callDesk((desk) => desk.recordingMark({ recordingId: id, stepId, offsetMs })),
      );
    },
    async finish() {
      if (finishing) return null;
      finishing = true;
      await recorder?.stop();
      await uploader.drain();
      const id = await recordingId;
      const answer = await callDesk((desk) => desk.recordingFinish({ recordingId: id, reason: 'hangup' }));
      return answer.ok ? answer.value : null;
    },
    unload() {
      if (finishing || knownId === null) return;
      finishing = true;
      const id = knownId;
      void callDesk((desk) => desk.recordingFinish({ recordingId: id, reason: 'unload' }));
    },
  };
}
