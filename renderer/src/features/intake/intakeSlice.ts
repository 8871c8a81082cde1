import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { IntakeProgress, IntakeReport } from '../../../../common/contract';

export interface IntakeState {
  busy: boolean;
  open: boolean;
  fileName: string | null;
  /** The running import's id: its progress events and its cancel carry it. */
  importId: string | null;
  /** The running import's latest progress (null before the first event). */
  progress: IntakeProgress | null;
  cancelling: boolean;
  report: IntakeReport | null;
  /** A whole-file failure (bad_file, too large, unreadable, transport): shown in the report. */
  fileError: string | null;
}

const initialState: IntakeState = {
  busy: false,
  open: false,
  fileName: null,
  importId: null,
  progress: null,
  cancelling: false,
  report: null,
  fileError: null,
};

const ended = (state: IntakeState) => {
  state.busy = false;
  state.open = true;
  state.importId = null;
  state.progress = null;
  state.cancelling = false;
};

const slice = createSlice({
  name: 'intake',
  initialState,
  reducers: {
    importStarted(state, action: PayloadAction<{ fileName: string; importId: string }>) {
      state.busy = true;
      state.fileName = action.payload.fileName;
      state.importId = action.payload.importId;
      state.progress = null;
      state.cancelling = false;
      state.report = null;
      state.fileError = null;
    },
    progressReceived(state, action: PayloadAction<IntakeProgress>) {
      // Events of another window's import, or late ones of an ended import, are not ours.
      if (!state.busy || action.payload.importId !== state.importId) return;
      state.progress = action.payload;
    },
    cancelRequested(state) {
      if (state.busy) state.cancelling = true;
    },
    cancelAnswered(state, action: PayloadAction<boolean>) {
      // false: the import ended before the cancel arrived; its report will say so.
      if (!action.payload) state.cancelling = false;
    },
    importSucceeded(state, action: PayloadAction<IntakeReport>) {
      ended(state);
      state.report = action.payload;
    },
    importFailed(state, action: PayloadAction<string>) {
      ended(state);
      state.fileError = action.payload;
    },
    reportClosed(state) {
      state.open = false;
    },
  },
});

export const {
  importStarted,
  progressReceived,
  cancelRequested,
  cancelAnswered,
  importSucceeded,
  importFailed,
  reportClosed,
} = slice.actions;
export const intakeReducer = slice.reducer;
