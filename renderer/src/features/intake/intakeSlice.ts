import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { IntakeReport } from '../../../../common/contract';

export interface IntakeState {
  busy: boolean;
  open: boolean;
  fileName: string | null;
  report: IntakeReport | null;
  /** A whole-file failure (bad_file, too large, unreadable, transport): shown in the report. */
  fileError: string | null;
}

const initialState: IntakeState = { busy: false, open: false, fileName: null, report: null, fileError: null };

const slice = createSlice({
  name: 'intake',
  initialState,
  reducers: {
    importStarted(state, action: PayloadAction<string>) {
      state.busy = true;
      state.fileName = action.payload;
      state.report = null;
      state.fileError = null;
    },
    importSucceeded(state, action: PayloadAction<IntakeReport>) {
      state.busy = false;
      state.open = true;
      state.report = action.payload;
    },
    importFailed(state, action: PayloadAction<string>) {
      state.busy = false;
      state.open = true;
      state.fileError = action.payload;
    },
    reportClosed(state) {
      state.open = false;
    },
  },
});

export const { importStarted, importSucceeded, importFailed, reportClosed } = slice.actions;
export const intakeReducer = slice.reducer;
