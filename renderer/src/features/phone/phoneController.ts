import type { Invitation } from 'sip.js';
import type { CallEvent } from '../../../../common/contract';
import { maskPhone } from '../../../../common/domain/masking';
import type { AppThunk, RootState } from '../../app/store';
import { callDesk } from '../../shared/call';
import { notifyError } from '../../shared/notify';
import { i18n } from '../../i18n';
import { createPhoneAgent, type PhoneAgent } from '../../phone/phoneAgent';
import { dial, receive, type CallHandlers, type CallSession } from '../../phone/callSession';
import { microphoneConstraints } from '../../phone/callRecorder';
import { startRingtone, type Ringtone } from '../../phone/ringtone';
import { createCallReporter, type CallReporter } from './callReporter';
import { startCallRecording, type CallRecording } from './callRecording';
import { callStarted, dispositionSuggested } from '../task/taskSlice';
import { openTask } from '../task/thunks';
import {
  callAttached,
  callBegan,
  callEnded,
  callPhaseChanged,
  callToggles,
  incomingGone,
  incomingMatched,
  incomingRang,
  recordingChanged,
  registrationChanged,
  setupLoaded,
} from './phoneSlice';

// The live side of the softphone: the user agent, the call in progress, its recording. Redux holds
// what the UI shows (phoneSlice); the objects that cannot be serialised live here, one of each.

/** The dispatch a thunk receives. */
type AppDispatch = Parameters<AppThunk>[0];

/** What the desk knows about a call besides its SIP session: its task, events and recording. */
interface CallContext {
  reporter: CallReporter;
  taskId: number | null;
  recording: CallRecording | null;
}

interface LiveCall {
  session: CallSession;
  context: CallContext;
}

let agent: PhoneAgent | null = null;
let agentKey = '';
let live: LiveCall | null = null;
let ringing: LiveCall | null = null;
let speaker: HTMLAudioElement | null = null;
let ringtone: Ringtone | null = null;

function stopRinging(): void {
  ringtone?.stop();
  ringtone = null;
}

function audioConstraints(state: RootState): MediaTrackConstraints {
  return microphoneConstraints(state.phone.setup?.audio.microphoneId ?? '');
}

/** The remote side in the headset (the chosen speaker where the browser can choose). */
function playRemote(stream: MediaStream, speakerId: string): void {
  speaker ??= document.createElement('audio');
  speaker.autoplay = true;
  speaker.srcObject = stream;
  const sink = speaker as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
  if (speakerId && sink.setSinkId) void sink.setSinkId(speakerId).catch(() => undefined);
  void speaker.play().catch(() => undefined);
}

function handlersFor(context: CallContext, dispatch: AppDispatch, getState: () => RootState): CallHandlers {
  return {
    onEvent: (event: CallEvent) => {
      context.reporter.report(event);
      if (event.type === 'muted' || event.type === 'unmuted')
        dispatch(callToggles({ muted: event.type === 'muted' }));
      if (event.type === 'held' || event.type === 'resumed')
        dispatch(callToggles({ held: event.type === 'held' }));
    },
    onPhase: (phase) => dispatch(callPhaseChanged(phase)),
    onMedia: (media) => {
      playRemote(media.remote, getState().phone.setup?.audio.speakerId ?? '');
      const attemptId = context.reporter.attemptId();
      if (attemptId === null) return; // a caller matched to no task: no attempt to keep it in
      context.recording = startCallRecording({
        attemptId,
        local: media.local,
        remote: media.remote,
        onWaiting: (chunks) => dispatch(recordingChanged({ chunksWaiting: chunks })),
      });
      dispatch(recordingChanged({ recording: 'recording' }));
    },
  };
}

/** A fresh context; once the call ends, main's suggested outcome pre-fills the task's form. */
function newContext(taskId: number | null, dispatch: AppDispatch): CallContext {
  const context: CallContext = {
    taskId,
    recording: null,
    reporter: createCallReporter({
      send: (attemptId, event) => callDesk((desk) => desk.callEvent({ attemptId, event })),
      onAnswer: (answer, event) => {
        if (event.type !== 'ended' || context.taskId === null || !answer.suggestedDisposition) return;
        dispatch(dispositionSuggested({ taskId: context.taskId, disposition: answer.suggestedDisposition }));
      },
    }),
  };
  return context;
}

/** After a call ends: the recording is finalised, then the task's timeline shows the facts. */
function followEnd(call: LiveCall, dispatch: AppDispatch, getState: () => RootState): void {
  const { context } = call;
  void call.session.ended.then(async (end) => {
    if (ringing === call) {
      // The caller gave up (or we declined) before anyone answered.
      ringing = null;
      stopRinging();
      dispatch(incomingGone());
      return;
    }
    dispatch(callEnded({ sipStatus: end.sipStatus, reason: end.reason, hungUpBy: end.hungUpBy }));
    if (live === call) live = null;
    if (context.recording) {
      dispatch(recordingChanged({ recording: 'saving' }));
      const view = await context.recording.finish();
      dispatch(recordingChanged({ recording: view ? 'saved' : 'failed', chunksWaiting: 0 }));
    }
    await context.reporter.drain();
    if (context.taskId !== null && getState().task.openId === context.taskId)
      void dispatch(openTask(context.taskId));
  });
}

let initializing: Promise<void> = Promise.resolve();

/**
 * Loads the account from main and (re)starts the user agent when it changed. Runs one at a time
 * (start-up and a reconnect may ask together): never two user agents registered at once.
 */
export const initPhone =
  (force = false): AppThunk =>
  (dispatch) => {
    initializing = initializing.then(() => dispatch(startAgent(force))).catch(() => undefined);
    return initializing;
  };

const startAgent =
  (force: boolean): AppThunk =>
  async (dispatch) => {
    const setup = await callDesk((desk) => desk.phoneSetup({}));
    if (!setup.ok) {
      notifyError(setup.error);
      return;
    }
    dispatch(setupLoaded(setup.value));
    const settings = setup.value.settings;
    const key = settings ? JSON.stringify(settings) : '';
    if (!force && key === agentKey && agent) return;
    await agent?.stop();
    agent = null;
    agentKey = key;
    if (!settings) {
      dispatch(registrationChanged({ state: 'idle', reason: null, detail: null, retryInMs: null }));
      return;
    }
    let password = '';
    if (setup.value.hasPassword) {
      const credentials = await callDesk((desk) => desk.phoneCredentials({}));
      if (credentials.ok) password = credentials.value.password;
    }
    try {
      agent = createPhoneAgent({
        account: { ...settings, password },
        onStatus: (status) => dispatch(registrationChanged(status)),
        onInvite: (invitation) => void dispatch(incomingCall(invitation)),
      });
      agent.start();
    } catch (error) {
      dispatch(
        registrationChanged({
          state: 'failed',
          reason: 'config',
          detail: error instanceof Error ? error.message : String(error),
          retryInMs: null,
        }),
      );
    }
  };

export function phoneConfigured(state: RootState): boolean {
  return state.phone.setup?.settings != null;
}

/** Dials the number main answered for an attempt it just opened (callStart). */
export const dialAttempt =
  (args: {
    taskId: number;
    attemptId: number;
    partyName: string;
    dial: { number: string; extension: string | null };
  }): AppThunk<void> =>
  (dispatch, getState) => {
    if (!agent || live) {
      notifyError(i18n.t(live ? 'phone.errors.busy' : 'phone.errors.notRegistered'));
      return;
    }
    if (agent.status().state !== 'registered') notifyError(i18n.t('phone.errors.notRegistered'));
    const context = newContext(args.taskId, dispatch);
    context.reporter.attach(args.attemptId);
    dispatch(
      callBegan({
        taskId: args.taskId,
        attemptId: args.attemptId,
        direction: 'outbound',
        numberMasked: maskPhone(args.dial.number, args.dial.extension),
        partyName: args.partyName,
      }),
    );
    let session: CallSession;
    try {
      session = dial(agent.userAgent, agent.domain, args.dial.number, {
        handlers: handlersFor(context, dispatch, getState),
        audio: audioConstraints(getState()),
        extension: args.dial.extension,
      });
    } catch (error) {
      dispatch(callEnded({ sipStatus: null, reason: String(error), hungUpBy: 'system' }));
      return;
    }
    live = { session, context };
    followEnd(live, dispatch, getState);
  };

const incomingCall =
  (invitation: Invitation): AppThunk =>
  async (dispatch, getState) => {
    // One call at a time: a second caller hears busy.
    if (live || ringing) {
      await invitation.reject({ statusCode: 486 }).catch(() => undefined);
      return;
    }
    const context = newContext(null, dispatch);
    const call: LiveCall = {
      context,
      session: receive(invitation, {
        handlers: handlersFor(context, dispatch, getState),
        audio: audioConstraints(getState()),
      }),
    };
    ringing = call;
    followEnd(call, dispatch, getState);
    const number = call.session.remoteNumber;
    dispatch(incomingRang({ numberMasked: maskPhone(number) }));
    stopRinging();
    ringtone = startRingtone(getState().phone.setup?.audio.speakerId ?? '');
    const matches = await callDesk((desk) => desk.phoneMatchCaller({ number }));
    if (ringing === call) dispatch(incomingMatched(matches.ok ? matches.value : []));
  };

/** Answers the ringing call; a caller matched to a task opens it, with an inbound attempt. */
export const answerIncoming = (): AppThunk => async (dispatch, getState) => {
  const call = ringing;
  const incoming = getState().phone.incoming;
  if (!call || !incoming || live) return;
  ringing = null;
  stopRinging();
  live = call;
  const match = incoming.matches.find((m) => m.open) ?? incoming.matches[0] ?? null;
  dispatch(
    callBegan({
      taskId: null,
      attemptId: null,
      direction: 'inbound',
      numberMasked: incoming.numberMasked,
      partyName: match?.partyName ?? null,
    }),
  );
  dispatch(incomingGone());
  if (match) {
    const started = await callDesk((desk) =>
      desk.callStart({ taskId: match.taskId, phoneId: match.phoneId, direction: 'inbound' }),
    );
    if (started.ok) {
      call.context.taskId = match.taskId;
      call.context.reporter.attach(started.value.attemptId);
      dispatch(
        callAttached({
          taskId: match.taskId,
          attemptId: started.value.attemptId,
          partyName: match.partyName,
        }),
      );
      dispatch(
        callStarted({
          taskId: match.taskId,
          call: { attemptId: started.value.attemptId, phoneId: match.phoneId, startedAt: Date.now() },
          task: started.value.task,
        }),
      );
      void dispatch(openTask(match.taskId));
    } else notifyError(started.error);
  }
  await call.session.answer().catch((error: unknown) => notifyError(String(error)));
};

export const declineIncoming = (): AppThunk => async () => {
  const call = ringing;
  if (!call) return;
  await call.session.decline(603).catch(() => undefined);
};

export const hangUpCall = (): AppThunk => async () => {
  if (live) await live.session.hangUp().catch(() => undefined);
  else if (ringing) await ringing.session.decline(603).catch(() => undefined);
};

export const toggleMute = (): AppThunk<void> => () => {
  if (live && live.session.phase() === 'connected') live.session.setMuted(!live.session.muted());
};

export const toggleHold = (): AppThunk => async () => {
  if (!live) return;
  await live.session.setHeld(!live.session.held()).catch((error: unknown) => notifyError(String(error)));
};

export const sendDigits =
  (digits: string): AppThunk =>
  async () => {
    await live?.session.sendDtmf(digits).catch(() => undefined);
  };

/** A script step ticked during a recorded call: its offset is kept with the recording. */
export function markStepInRecording(taskId: number, stepId: string): void {
  if (live?.context.recording && live.context.taskId === taskId) live.context.recording.mark(stepId);
}

/**
 * The page is going away (reload, close): keep what was recorded (main marks it incomplete), and
 * say goodbye to the party rather than leave them in silence. Both best-effort.
 */
export function onPageUnload(): void {
  live?.context.recording?.unload();
  void live?.session.hangUp().catch(() => undefined);
}

/** Re-registers at once (the user asked). */
export function retryRegistration(): void {
  agent?.retryNow();
}
