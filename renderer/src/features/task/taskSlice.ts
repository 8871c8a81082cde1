import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { Locale, ScriptStep, TaskDetail } from '../../../../common/contract';
import type { Disposition } from '../../../../common/domain/model';
import type { RootState } from '../../app/store';

export interface ActiveCall {
  attemptId: number;
  phoneId: number;
  startedAt: number;
}

/** What the specialist is doing on one task; kept per task so switching tasks loses nothing. */
export interface Draft {
  call: ActiveCall | null;
  phoneId: number | null;
  disposition: Disposition | '';
  notes: string;
  /** The datetime-local value (desk time zone), converted to ISO on submit. */
  callbackAt: string;
  steps: string[];
  /** With consent: the mobile the party confirmed (null: the number called; 'none': no SMS) and the e-mail (null: on file). */
  consentPhoneId: number | 'none' | null;
  consentEmail: string | null;
}

export const EMPTY_DRAFT: Draft = {
  call: null,
  phoneId: null,
  disposition: '',
  notes: '',
  callbackAt: '',
  steps: [],
  consentPhoneId: null,
  consentEmail: null,
};

export interface TaskState {
  openId: number | null;
  detail: TaskDetail | null;
  loading: boolean;
  error: string | null;
  script: ScriptStep[];
  scriptKey: string | null;
  scriptLoading: boolean;
  /** Personal data revealed in this view only; cleared when another task is opened. */
  revealed: { idNumber: string | null; phones: Record<number, string> };
  revealing: string | null;
  starting: number | null;
  refusal: string | null;
  submitting: boolean;
  drafts: Record<number, Draft>;
}

const initialState: TaskState = {
  openId: null,
  detail: null,
  loading: false,
  error: null,
  script: [],
  scriptKey: null,
  scriptLoading: false,
  revealed: { idNumber: null, phones: {} },
  revealing: null,
  starting: null,
  refusal: null,
  submitting: false,
  drafts: {},
};

function draftOf(state: TaskState): Draft | null {
  if (state.openId === null) return null;
  const existing = state.drafts[state.openId];
  if (existing) return existing;
  const fresh: Draft = { ...EMPTY_DRAFT, steps: [] };
  state.drafts[state.openId] = fresh;
  return fresh;
}

export function scriptKeyOf(taskId: number, locale: Locale): string {
  return `${taskId}:${locale}`;
}

const slice = createSlice({
  name: 'task',
  initialState,
  reducers: {
    taskOpening(state, action: PayloadAction<number>) {
      const changed = state.openId !== action.payload;
      state.openId = action.payload;
      state.loading = true;
      state.error = null;
      if (changed) {
        state.detail = null;
        state.script = [];
        state.scriptKey = null;
        state.revealed = { idNumber: null, phones: {} };
        state.refusal = null;
        state.starting = null;
      }
    },
    taskLoaded(state, action: PayloadAction<TaskDetail>) {
      if (action.payload.id !== state.openId) return;
      state.detail = action.payload;
      state.loading = false;
    },
    taskFailed(state, action: PayloadAction<{ taskId: number; message: string }>) {
      if (action.payload.taskId !== state.openId) return;
      state.loading = false;
      state.error = action.payload.message;
    },
    taskClosed(state) {
      state.openId = null;
      state.detail = null;
      state.script = [];
      state.scriptKey = null;
      state.revealed = { idNumber: null, phones: {} };
      state.refusal = null;
    },
    scriptRequested(state, action: PayloadAction<string>) {
      state.scriptLoading = true;
      state.scriptKey = action.payload;
    },
    scriptLoaded(state, action: PayloadAction<{ key: string; steps: ScriptStep[] }>) {
      if (action.payload.key !== state.scriptKey) return;
      state.script = action.payload.steps;
      state.scriptLoading = false;
    },
    scriptFailed(state, action: PayloadAction<string>) {
      if (action.payload !== state.scriptKey) return;
      state.scriptLoading = false;
      state.scriptKey = null;
    },
    revealStarted(state, action: PayloadAction<string>) {
      state.revealing = action.payload;
    },
    revealFinished(state) {
      state.revealing = null;
    },
    idRevealed(state, action: PayloadAction<{ taskId: number; value: string }>) {
      if (action.payload.taskId === state.openId) state.revealed.idNumber = action.payload.value;
    },
    phoneRevealed(state, action: PayloadAction<{ taskId: number; phoneId: number; value: string }>) {
      if (action.payload.taskId === state.openId)
        state.revealed.phones[action.payload.phoneId] = action.payload.value;
    },
    revealHidden(state, action: PayloadAction<{ field: 'idNumber' } | { field: 'phone'; phoneId: number }>) {
      if (action.payload.field === 'idNumber') state.revealed.idNumber = null;
      else delete state.revealed.phones[action.payload.phoneId];
    },
    callStarting(state, action: PayloadAction<number>) {
      state.starting = action.payload;
      state.refusal = null;
    },
    callStarted(state, action: PayloadAction<{ taskId: number; call: ActiveCall; task: TaskDetail }>) {
      state.starting = null;
      const draft = state.drafts[action.payload.taskId] ?? { ...EMPTY_DRAFT, steps: [] };
      draft.call = action.payload.call;
      draft.phoneId = action.payload.call.phoneId;
      state.drafts[action.payload.taskId] = draft;
      if (action.payload.taskId === state.openId) state.detail = action.payload.task;
    },
    callRefused(state, action: PayloadAction<{ taskId: number; message: string | null }>) {
      state.starting = null;
      if (action.payload.taskId === state.openId) state.refusal = action.payload.message;
    },
    refusalDismissed(state) {
      state.refusal = null;
    },
    stepToggled(state, action: PayloadAction<string>) {
      const draft = draftOf(state);
      if (!draft) return;
      const at = draft.steps.indexOf(action.payload);
      if (at >= 0) draft.steps.splice(at, 1);
      else draft.steps.push(action.payload);
    },
    dispositionSet(state, action: PayloadAction<Disposition | ''>) {
      const draft = draftOf(state);
      if (draft) draft.disposition = action.payload;
    },
    /** The call's facts suggest an outcome (busy, no answer…): pre-fill it, unless one was chosen. */
    dispositionSuggested(state, action: PayloadAction<{ taskId: number; disposition: Disposition }>) {
      const draft = state.drafts[action.payload.taskId];
      if (draft && !draft.disposition) draft.disposition = action.payload.disposition;
    },
    notesSet(state, action: PayloadAction<string>) {
      const draft = draftOf(state);
      if (draft) draft.notes = action.payload;
    },
    callbackAtSet(state, action: PayloadAction<string>) {
      const draft = draftOf(state);
      if (draft) draft.callbackAt = action.payload;
    },
    outcomePhoneSet(state, action: PayloadAction<number | null>) {
      const draft = draftOf(state);
      if (draft) draft.phoneId = action.payload;
    },
    consentAddressSet(state, action: PayloadAction<{ phoneId?: number | 'none'; email?: string }>) {
      const draft = draftOf(state);
      if (!draft) return;
      if (action.payload.phoneId !== undefined) draft.consentPhoneId = action.payload.phoneId;
      if (action.payload.email !== undefined) draft.consentEmail = action.payload.email;
    },
    outcomeSubmitting(state) {
      state.submitting = true;
    },
    outcomeSaved(state, action: PayloadAction<TaskDetail>) {
      state.submitting = false;
      delete state.drafts[action.payload.id];
      if (action.payload.id === state.openId) state.detail = action.payload;
    },
    outcomeFailed(state) {
      state.submitting = false;
    },
  },
});

export const {
  taskOpening,
  taskLoaded,
  taskFailed,
  taskClosed,
  scriptRequested,
  scriptLoaded,
  scriptFailed,
  revealStarted,
  revealFinished,
  idRevealed,
  phoneRevealed,
  revealHidden,
  callStarting,
  callStarted,
  callRefused,
  refusalDismissed,
  stepToggled,
  dispositionSet,
  dispositionSuggested,
  notesSet,
  callbackAtSet,
  outcomePhoneSet,
  consentAddressSet,
  outcomeSubmitting,
  outcomeSaved,
  outcomeFailed,
} = slice.actions;
export const taskReducer = slice.reducer;

export function selectDraft(state: RootState): Draft {
  const id = state.task.openId;
  return (id !== null ? state.task.drafts[id] : undefined) ?? EMPTY_DRAFT;
}
