import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { HubSessionView, SyncStatus } from '../../../../common/contract';

export interface HubState {
  session: HubSessionView | null;
  sync: SyncStatus | null;
  loginBusy: boolean;
  loginError: string | null;
  syncing: boolean;
  /** The specialist's own queue, the lead console, or the login screen asked for from a desk alone. */
  view: 'queue' | 'lead' | 'login';
}

const initialState: HubState = {
  session: null,
  sync: null,
  loginBusy: false,
  loginError: null,
  syncing: false,
  view: 'queue',
};

const slice = createSlice({
  name: 'hub',
  initialState,
  reducers: {
    hubSessionLoaded(state, action: PayloadAction<HubSessionView>) {
      state.session = action.payload;
      if (action.payload.user && state.view === 'login') state.view = 'queue';
      if (action.payload.user?.role === 'specialist') state.view = 'queue';
    },
    loginStarted(state) {
      state.loginBusy = true;
      state.loginError = null;
    },
    loginFailed(state, action: PayloadAction<string>) {
      state.loginBusy = false;
      state.loginError = action.payload;
    },
    loginFinished(state) {
      state.loginBusy = false;
    },
    syncStatusLoaded(state, action: PayloadAction<SyncStatus>) {
      state.sync = action.payload;
    },
    syncStarted(state) {
      state.syncing = true;
    },
    syncFinished(state) {
      state.syncing = false;
    },
    viewChosen(state, action: PayloadAction<HubState['view']>) {
      state.view = action.payload;
    },
  },
});

export const {
  hubSessionLoaded,
  loginStarted,
  loginFailed,
  loginFinished,
  syncStatusLoaded,
  syncStarted,
  syncFinished,
  viewChosen,
} = slice.actions;
export const hubReducer = slice.reducer;
