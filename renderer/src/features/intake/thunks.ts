import type { AppThunk } from '../../app/store';
import { callDesk } from '../../shared/call';
import { deskErrorText } from '../../shared/deskErrorText';
import { fileToBase64 } from '../../shared/base64';
import { i18n } from '../../i18n';
import { loadSession } from '../session/thunks';
import { refreshQueue } from '../queue/thunks';
import { cancelAnswered, cancelRequested, importFailed, importStarted, importSucceeded } from './intakeSlice';

/** The intake size limit (main rejects bigger files too; this just answers sooner). */
const MAX_BYTES = 50 * 1024 * 1024;

/** A fresh id per import (crypto.randomUUID needs a secure context; the desk's pages are). */
function newImportId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(
    '',
  );
}

/**
 * Imports a file: main runs it beside the work and answers when it ends; meanwhile its
 * intakeProgress events (bound in the Shell) fill the progress panel and the queue keeps working.
 */
export const importFile =
  (file: File): AppThunk =>
  async (dispatch, getState) => {
    if (getState().intake.busy) return;
    const importId = newImportId();
    dispatch(importStarted({ fileName: file.name, importId }));
    if (file.size > MAX_BYTES) {
      dispatch(importFailed(i18n.t('errors.tooLarge')));
      return;
    }
    let dataBase64: string;
    try {
      dataBase64 = await fileToBase64(file);
    } catch (error) {
      dispatch(
        importFailed(
          i18n.t('errors.readFailed', { message: error instanceof Error ? error.message : String(error) }),
        ),
      );
      return;
    }
    const answer = await callDesk((desk) =>
      desk.intakeImport({ fileName: file.name.slice(-260) || 'import', dataBase64, importId }),
    );
    if (!answer.ok) {
      dispatch(importFailed(deskErrorText(answer.error, getState().session.info?.timeZone)));
      return;
    }
    dispatch(importSucceeded(answer.value));
    if (answer.value.accepted > 0) {
      await dispatch(loadSession());
      dispatch(refreshQueue());
    }
  };

/** Stops the running import after its current chunk; what it committed stays. */
export const cancelImport = (): AppThunk => async (dispatch, getState) => {
  const { importId, busy, cancelling } = getState().intake;
  if (!busy || !importId || cancelling) return;
  dispatch(cancelRequested());
  const answer = await callDesk((desk) => desk.intakeCancel({ importId }));
  dispatch(cancelAnswered(answer.ok && answer.value.cancelling));
};
