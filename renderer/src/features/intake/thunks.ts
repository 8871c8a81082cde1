import type { AppThunk } from '../../app/store';
import { callDesk } from '../../shared/call';
import { deskErrorText } from '../../shared/deskErrorText';
import { bytesToBase64 } from '../../shared/base64';
import { i18n } from '../../i18n';
import { loadSession } from '../session/thunks';
import { refreshQueue } from '../queue/thunks';
import { importFailed, importStarted, importSucceeded } from './intakeSlice';

/** The intake size limit (main rejects bigger files too; this just answers sooner). */
const MAX_BYTES = 50 * 1024 * 1024;

export const importFile =
  (file: File): AppThunk =>
  async (dispatch, getState) => {
    if (getState().intake.busy) return;
    dispatch(importStarted(file.name));
    if (file.size > MAX_BYTES) {
      dispatch(importFailed(i18n.t('errors.tooLarge')));
      return;
    }
    let dataBase64: string;
    try {
      dataBase64 = bytesToBase64(new Uint8Array(await file.arrayBuffer()));
    } catch (error) {
      dispatch(
        importFailed(
          i18n.t('errors.readFailed', { message: error instanceof Error ? error.message : String(error) }),
        ),
      );
      return;
    }
    const answer = await callDesk((desk) =>
      desk.intakeImport({ fileName: file.name.slice(-260) || 'import', dataBase64 }),
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
