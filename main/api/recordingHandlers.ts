import type { StorageStatus } from '../../common/contract';
import type { Logger } from '../app/logger';
import type { Recorder } from '../evidence/recordings';
import type { DeskHandlers } from './dispatch';

export interface RecordingHandlerDeps {
  recorder: Recorder;
  /** Checks free space now (and tells the renderer when the level changed). */
  checkStorage(): StorageStatus;
  log: Logger;
}

type RecordingHandlers = Pick<
  DeskHandlers,
  | 'recordingStart'
  | 'recordingChunk'
  | 'recordingFinish'
  | 'recordingMark'
  | 'recordingRead'
  | 'recordingExport'
  | 'storageStatus'
>;

/** Recordings as evidence: durable chunks, finalisation, marks, playback and export. */
export function createRecordingHandlers(deps: RecordingHandlerDeps): RecordingHandlers {
  const { recorder } = deps;
  return {
    recordingStart: ({ attemptId, mimeType }) => {
      // A failed free-space check must not cost the call its recording.
      try {
        deps.checkStorage();
      } catch (error) {
        deps.log.warn({ err: error }, 'free space could not be checked');
      }
      return { recordingId: recorder.start(attemptId, mimeType) };
    },
    recordingChunk: ({ recordingId, seq, dataBase64 }) =>
      recorder.appendChunk(recordingId, seq, Buffer.from(dataBase64, 'base64')),
    recordingFinish: ({ recordingId, reason }) => recorder.finish(recordingId, reason),
    recordingMark: ({ recordingId, stepId, offsetMs }) => recorder.mark(recordingId, stepId, offsetMs),
    recordingRead: ({ recordingId }) => {
      const { recording, bytes } = recorder.read(recordingId);
      return { recording, dataBase64: bytes.toString('base64') };
    },
    recordingExport: ({ recordingId }) => {
      const exported = recorder.exportRecording(recordingId);
      return {
        fileName: exported.fileName,
        dataBase64: exported.bytes.toString('base64'),
        manifestFileName: exported.manifestFileName,
        manifest: exported.manifest,
      };
    },
    storageStatus: () => deps.checkStorage(),
  };
}
