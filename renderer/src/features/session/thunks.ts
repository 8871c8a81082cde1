import type { AppThunk } from '../../app/store';
import { callDesk } from '../../shared/call';
import { deskErrorText } from '../../shared/deskErrorText';
import { notifyError, notifySuccess } from '../../shared/notify';
import { i18n } from '../../i18n';
import { demoFinished, demoStarted, sessionFailed, sessionLoaded, sessionRequested } from './sessionSlice';
import { refreshQueue } from '../queue/thunks';
import { markStartup } from '../../shared/startupMarks';

export const loadSession = (): AppThunk => async (dispatch) => {
  dispatch(sessionRequested());
  const answer = await callDesk((desk) => desk.sessionInfo({}));
  markStartup('session');
  if (answer.ok) dispatch(sessionLoaded(answer.value));
  // No session yet, so no desk time zone: a failure here names no time anyway.
  else dispatch(sessionFailed(deskErrorText(answer.error, undefined)));
};

export const loadDemo = (): AppThunk => async (dispatch, getState) => {
  if (getState().session.demoLoading) return;
  dispatch(demoStarted());
  const answer = await callDesk((desk) => desk.demoLoad({}));
  dispatch(demoFinished());
  if (!answer.ok) {
    notifyError(answer.error);
    return;
  }
  notifySuccess(i18n.t('empty.demoLoaded', { count: answer.value.accepted }));
  await dispatch(loadSession());
  dispatch(refreshQueue());
};
