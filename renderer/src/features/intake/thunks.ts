import { z } from 'zod';
import type { DeskError } from '../../../../common/contract';
import type { AppThunk } from '../../app/store';
import { callDesk } from '../../shared/call';
import { bytesToBase64 } from '../../shared/base64';
import { i18n } from '../../i18n';
import { loadSession } from '../session/thunks';
import { refreshQueue } from '../queue/thunks';
import { importFailed, importStarted, importSucceeded } from './intakeSlice';

const BadFileDetails = z.object({
  code: z.enum([
    'too_large',
    'empty',
    'undecodable',
    'not_json',
    'not_csv',
    'bad_shape',
    'missing_columns',
    'duplicate_columns',
  ]),
});

/** A whole-file problem in the desk's language, with main's specifics (which columns, which line) after it. */
function badFileText(error: DeskError): string {
  const details = BadFileDetails.safeParse(error.details);
  if (error.code !== 'bad_file' || !details.success) return error.message;
  return `${i18n.t(`badFile.${details.data.code}`)}（${error.message}）`;
}

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
      dispatch(importFailed(badFileText(answer.error)));
      return;
    }
    dispatch(importSucceeded(answer.value));
    if (answer.value.accepted > 0) {
      await dispatch(loadSession());
      dispatch(refreshQueue());
    }
  };
