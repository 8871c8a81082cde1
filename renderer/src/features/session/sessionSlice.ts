import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { SessionInfo } from '../../../../common/contract';

export interface SessionState {
  info: SessionInfo | null;
  status: 'idle' | 'loading' | 'ready' | 'failed';
  error: string | null;
  demoLoading: boolean;
}

const initialState: SessionState = { info: null, status: 'idle', error: null, demoLoading: false };

const slice = createSlice({
  name: 'session',
  initialState,
  reducers: {
    sessionRequested(state) {
      if (state.status !== 'ready') state.status = 'loading';
    },
    sessionLoaded(state, action: PayloadAction<SessionInfo>) {
      state.info = action.payload;
      state.status = 'ready';
      state.error = null;
    },
    sessionFailed(state, action: PayloadAction<string>) {
      // Keep a session we already have: a failed refresh must not blank the desk.
      if (state.info) return;
      state.status = 'failed';
      state.error = action.payload;
    },
    demoStarted(state) {
      state.demoLoading = true;
    },
    demoFinished(state) {
      state.demoLoading = false;
    },
  },
});

export const { sessionRequested, sessionLoaded, sessionFailed, demoStarted, demoFinished } = slice.actions;
export const sessionReducer = slice.reducer;
