import type { AppThunk } from '../../app/store';
import { callDesk } from '../../shared/call';
import { deskErrorText } from '../../shared/deskErrorText';
import { notifyError, notifySuccess } from '../../shared/notify';
import { localInputToIso } from '../../shared/time';
import { currentLocale, i18n } from '../../i18n';
import { refreshQueue } from '../queue/thunks';
import { dialAttempt, markStepInRecording, phoneConfigured } from '../phone/phoneController';
import {
  callRefused,
  callStarted,
  callStarting,
  idRevealed,
  outcomeFailed,
  outcomeSaved,
  outcomeSubmitting,
  phoneRevealed,
  revealFinished,
  revealStarted,
  scriptFailed,
  scriptKeyOf,
  scriptLoaded,
  scriptRequested,
  selectDraft,
  stepToggled,
  taskFailed,
  taskLoaded,
  taskOpening,
  type Draft,
} from './taskSlice';
import type { TaskDetail } from '../../../../common/contract';

export const loadScript =
  (force = false): AppThunk =>
  async (dispatch, getState) => {
    const taskId = getState().task.openId;
    if (taskId === null) return;
    const locale = currentLocale();
    const key = scriptKeyOf(taskId, locale);
    if (!force && getState().task.scriptKey === key) return;
    dispatch(scriptRequested(key));
    const answer = await callDesk((desk) => desk.taskScript({ taskId, locale }));
    if (answer.ok) dispatch(scriptLoaded({ key, steps: answer.value }));
    else {
      dispatch(scriptFailed(key));
      notifyError(answer.error);
    }
  };

export const openTask =
  (taskId: number): AppThunk =>
  async (dispatch, getState) => {
    dispatch(taskOpening(taskId));
    const script = dispatch(loadScript());
    const answer = await callDesk((desk) => desk.taskGet({ taskId }));
    if (answer.ok) dispatch(taskLoaded(answer.value));
    else {
      const zone = getState().session.info?.timeZone;
      dispatch(taskFailed({ taskId, message: deskErrorText(answer.error, zone) }));
      notifyError(answer.error, { zone });
    }
    await script;
  };

export const revealId = (): AppThunk => async (dispatch, getState) => {
  const taskId = getState().task.openId;
  if (taskId === null) return;
  dispatch(revealStarted('idNumber'));
  const answer = await callDesk((desk) => desk.taskReveal({ taskId, field: 'idNumber' }));
  dispatch(revealFinished());
  if (answer.ok) dispatch(idRevealed({ taskId, value: answer.value.value }));
  else notifyError(answer.error);
};

export const revealPhone =
  (phoneId: number): AppThunk =>
  async (dispatch, getState) => {
    const taskId = getState().task.openId;
    if (taskId === null) return;
    dispatch(revealStarted(`phone:${phoneId}`));
    const answer = await callDesk((desk) => desk.taskReveal({ taskId, field: 'phone', phoneId }));
    dispatch(revealFinished());
    if (answer.ok) dispatch(phoneRevealed({ taskId, phoneId, value: answer.value.value }));
    else notifyError(answer.error);
  };

export const startCall =
  (phoneId: number): AppThunk =>
  async (dispatch, getState) => {
    const taskId = getState().task.openId;
    if (taskId === null || getState().task.starting !== null) return;
    dispatch(callStarting(phoneId));
    const answer = await callDesk((desk) => desk.callStart({ taskId, phoneId, direction: 'outbound' }));
    if (answer.ok) {
      dispatch(
        callStarted({
          taskId,
          call: { attemptId: answer.value.attemptId, phoneId, startedAt: Date.now() },
          task: answer.value.task,
        }),
      );
      dispatch(refreshQueue());
      // With a SIP account the desk dials itself; without one the specialist uses the desk phone.
      if (phoneConfigured(getState()))
        dispatch(
          dialAttempt({
            taskId,
            attemptId: answer.value.attemptId,
            partyName: answer.value.task.party.name,
            dial: answer.value.dial,
          }),
        );
      return;
    }
    // A refusal (outside calling hours, too many attempts…) is shown prominently in the task
    // view, next to the numbers, in the desk's language; anything else is an ordinary error toast.
    const zone = getState().session.info?.timeZone;
    const refused = answer.error.code === 'refused';
    dispatch(callRefused({ taskId, message: refused ? deskErrorText(answer.error, zone) : null }));
    if (!refused) notifyError(answer.error, { zone });
  };

/** Ticks or unticks a script step; a tick during a recorded call marks the recording there. */
export const toggleStep =
  (stepId: string): AppThunk<void> =>
  (dispatch, getState) => {
    const taskId = getState().task.openId;
    if (taskId === null) return;
    dispatch(stepToggled(stepId));
    if (selectDraft(getState()).steps.includes(stepId)) markStepInRecording(taskId, stepId);
  };

/** Alt+1..Alt+5: ticks the n-th script step (0-based index). */
export const toggleStepAt =
  (index: number): AppThunk<void> =>
  (dispatch, getState) => {
    const step = getState().task.script[index];
    if (step && getState().task.detail) dispatch(toggleStep(step.id));
  };

/** The addresses the party confirmed: the chosen mobile (or the one called) and the e-mail (or the one on file). */
function consentAddressOf(
  draft: Draft,
  detail: TaskDetail,
): { phoneId?: number | null; email: string | null } {
  const email = (draft.consentEmail ?? detail.party.email ?? '').trim();
  const phone = draft.consentPhoneId;
  return {
    ...(phone === null ? {} : { phoneId: phone === 'none' ? null : phone }),
    email: email === '' ? null : email,
  };
}

export const submitOutcome = (): AppThunk => async (dispatch, getState) => {
  const state = getState();
  const detail = state.task.detail;
  if (!detail || state.task.submitting) return;
  const draft = selectDraft(state);
  if (!draft.disposition) {
    notifyError(i18n.t('errors.dispositionRequired'));
    return;
  }
  let callbackAt: string | undefined;
  if (draft.disposition === 'callback_requested') {
    if (!draft.callbackAt) {
      notifyError(i18n.t('errors.callbackRequired'));
      return;
    }
    const iso = localInputToIso(draft.callbackAt, state.session.info?.timeZone);
    if (!iso) {
      notifyError(i18n.t('errors.callbackInvalid'));
      return;
    }
    callbackAt = iso;
  }
  // Steps in script order, whatever order they were ticked in.
  const order = state.task.script.map((step) => step.id);
  const stepsCompleted = [...draft.steps].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const phoneId = draft.call?.phoneId ?? draft.phoneId ?? undefined;
  const disposition = draft.disposition;
  dispatch(outcomeSubmitting());
  const answer = await callDesk((desk) =>
    desk.callOutcome({
      taskId: detail.id,
      ...(draft.call ? { attemptId: draft.call.attemptId } : {}),
      ...(phoneId !== undefined ? { phoneId } : {}),
      disposition,
      notes: draft.notes.trim(),
      ...(callbackAt ? { callbackAt } : {}),
      stepsCompleted,
      ...(disposition === 'connected_consented' ? { consentAddress: consentAddressOf(draft, detail) } : {}),
    }),
  );
  if (!answer.ok) {
    dispatch(outcomeFailed());
    const zone = state.session.info?.timeZone;
    const title = answer.error.code === 'refused' ? i18n.t('errors.refusedTitle') : undefined;
    notifyError(answer.error, { title, zone });
    return;
  }
  dispatch(outcomeSaved(answer.value));
  // With a hub, the outcome is on this desk only until the indicator says it synced.
  const withHub = getState().hub.session?.hubUrl;
  notifySuccess(
    i18n.t(withHub ? 'outcome.savedLocal' : 'outcome.saved', {
      disposition: i18n.t(`disposition.${disposition}`),
    }),
  );
  dispatch(refreshQueue());
};
