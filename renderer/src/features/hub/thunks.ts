import type { AppThunk } from '../../app/store';
import { callDesk } from '../../shared/call';
import { notifyError } from '../../shared/notify';
import { i18n } from '../../i18n';
import { loadSession } from '../session/thunks';
import { refreshQueue } from '../queue/thunks';
import {
  hubSessionLoaded,
  loginFailed,
  loginFinished,
  loginStarted,
  syncFinished,
  syncStarted,
  syncStatusLoaded,
} from './hubSlice';

export const loadHubSession = (): AppThunk => async (dispatch) => {
  const [session, status] = await Promise.all([
    callDesk((desk) => desk.hubSession({})),
    callDesk((desk) => desk.syncStatus({})),
  ]);
  if (session.ok) dispatch(hubSessionLoaded(session.value));
  if (status.ok) dispatch(syncStatusLoaded(status.value));
};

export const login =
  (input: { url?: string; username: string; password: string }): AppThunk =>
  async (dispatch) => {
    dispatch(loginStarted());
    const answer = await callDesk((desk) => desk.hubLogin(input));
    if (!answer.ok) {
      const key = `hub.errors.${answer.error.code}`;
      dispatch(loginFailed(i18n.exists(key) ? i18n.t(key) : answer.error.message));
      return;
    }
    dispatch(loginFinished());
    dispatch(hubSessionLoaded(answer.value));
    await dispatch(loadSession());
    dispatch(refreshQueue());
  };

export const logout = (): AppThunk => async (dispatch) => {
  const answer = await callDesk((desk) => desk.hubLogout({}));
  if (answer.ok) dispatch(hubSessionLoaded(answer.value));
  else notifyError(answer.error);
  await dispatch(loadSession());
};

export const syncNow = (): AppThunk => async (dispatch) => {
  dispatch(syncStarted());
  const answer = await callDesk((desk) => desk.syncNow({}));
  dispatch(syncFinished());
  if (answer.ok) dispatch(syncStatusLoaded(answer.value));
  else notifyError(answer.error);
};
