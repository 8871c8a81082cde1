import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { PhoneSetup } from '../../../../common/contract';
import type { RegistrationStatus } from '../../phone/phoneAgent';
import type { CallPhase, HungUpBy } from '../../phone/callSession';

// The softphone's state for the UI: registration, the one call in progress (or just ended) and a
// ringing incoming call. The live objects (user agent, session, recorder) live in phoneController.

export interface PhoneCallView {
  taskId: number | null;
  attemptId: number | null;
  direction: 'outbound' | 'inbound';
  /** The other side's number, masked. */
  numberMasked: string;
  partyName: string | null;
  phase: CallPhase;
  muted: boolean;
  held: boolean;
  /** Page clock (ms): dialled, media connected, ended. */
  startedAt: number;
  connectedAt: number | null;
  endedAt: number | null;
  sipStatus: number | null;
  endReason: string | null;
  hungUpBy: HungUpBy | null;
  recording: 'off' | 'recording' | 'saving' | 'saved' | 'failed';
  /** Recording chunks waiting for main (retrying). */
  chunksWaiting: number;
}

export interface CallerMatch {
  taskId: number;
  phoneId: number;
  partyName: string;
  caseNumber: string;
  open: boolean;
}

export interface IncomingCallView {
  numberMasked: string;
  matches: CallerMatch[];
  matching: boolean;
}

/** The registration as shown: with the page-clock time its next attempt is due. */
export type RegistrationView = RegistrationStatus & { retryAt: number | null };

export interface PhoneState {
  setup: PhoneSetup | null;
  registration: RegistrationView;
  call: PhoneCallView | null;
  incoming: IncomingCallView | null;
  settingsOpen: boolean;
  keypadOpen: boolean;
}

const initialState: PhoneState = {
  setup: null,
  registration: { state: 'idle', reason: null, detail: null, retryInMs: null, retryAt: null },
  call: null,
  incoming: null,
  settingsOpen: false,
  keypadOpen: false,
};

const slice = createSlice({
  name: 'phone',
  initialState,
  reducers: {
    setupLoaded(state, action: PayloadAction<PhoneSetup>) {
      state.setup = action.payload;
    },
    registrationChanged: {
      reducer(state, action: PayloadAction<RegistrationView>) {
        state.registration = action.payload;
      },
      prepare(status: RegistrationStatus) {
        const retryAt = status.retryInMs === null ? null : Date.now() + status.retryInMs;
        return { payload: { ...status, retryAt } };
      },
    },
    callBegan(
      state,
      action: PayloadAction<
        Pick<PhoneCallView, 'taskId' | 'attemptId' | 'direction' | 'numberMasked' | 'partyName'>
      >,
    ) {
      state.call = {
        ...action.payload,
        phase: 'dialling',
        muted: false,
        held: false,
        startedAt: Date.now(),
        connectedAt: null,
        endedAt: null,
        sipStatus: null,
        endReason: null,
        hungUpBy: null,
        recording: 'off',
        chunksWaiting: 0,
      };
      state.keypadOpen = false;
    },
    callPhaseChanged(state, action: PayloadAction<CallPhase>) {
      if (!state.call) return;
      state.call.phase = action.payload;
      if (action.payload === 'connected') state.call.connectedAt ??= Date.now();
    },
    callToggles(state, action: PayloadAction<{ muted?: boolean; held?: boolean }>) {
      if (!state.call) return;
      if (action.payload.muted !== undefined) state.call.muted = action.payload.muted;
      if (action.payload.held !== undefined) state.call.held = action.payload.held;
    },
    callEnded(
      state,
      action: PayloadAction<{ sipStatus: number | null; reason: string; hungUpBy: HungUpBy }>,
    ) {
      if (!state.call) return;
      state.call.phase = 'ended';
      state.call.endedAt = Date.now();
      state.call.sipStatus = action.payload.sipStatus;
      state.call.endReason = action.payload.reason;
      state.call.hungUpBy = action.payload.hungUpBy;
      state.keypadOpen = false;
    },
    recordingChanged(
      state,
      action: PayloadAction<{ recording?: PhoneCallView['recording']; chunksWaiting?: number }>,
    ) {
      if (!state.call) return;
      if (action.payload.recording) state.call.recording = action.payload.recording;
      if (action.payload.chunksWaiting !== undefined) state.call.chunksWaiting = action.payload.chunksWaiting;
    },
    callAttached(state, action: PayloadAction<{ taskId: number; attemptId: number; partyName: string }>) {
      if (!state.call) return;
      state.call.taskId = action.payload.taskId;
      state.call.attemptId = action.payload.attemptId;
      state.call.partyName = action.payload.partyName;
    },
    callDismissed(state) {
      if (state.call?.phase === 'ended') state.call = null;
    },
    incomingRang(state, action: PayloadAction<{ numberMasked: string }>) {
      state.incoming = { numberMasked: action.payload.numberMasked, matches: [], matching: true };
    },
    incomingMatched(state, action: PayloadAction<CallerMatch[]>) {
      if (!state.incoming) return;
      state.incoming.matches = action.payload;
      state.incoming.matching = false;
    },
    incomingGone(state) {
      state.incoming = null;
    },
    settingsOpened(state, action: PayloadAction<boolean>) {
      state.settingsOpen = action.payload;
    },
    keypadToggled(state, action: PayloadAction<boolean | undefined>) {
      state.keypadOpen = action.payload ?? !state.keypadOpen;
    },
  },
});

export const {
  setupLoaded,
  registrationChanged,
  callBegan,
  callPhaseChanged,
  callToggles,
  callEnded,
  recordingChanged,
  callAttached,
  callDismissed,
  incomingRang,
  incomingMatched,
  incomingGone,
  settingsOpened,
  keypadToggled,
} = slice.actions;
export const phoneReducer = slice.reducer;
