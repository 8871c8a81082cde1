import { describe, expect, it } from 'vitest';
import { callBegan, callEnded, callPhaseChanged, phoneReducer, registrationChanged } from './phoneSlice';
import {
  callStarted,
  dispositionSet,
  dispositionSuggested,
  taskOpening,
  taskReducer,
} from '../task/taskSlice';
import type { TaskDetail } from '../../../../common/contract';

describe('phoneSlice', () => {
  it('keeps a failed registration with its reason and when the retry is due', () => {
    const state = phoneReducer(
      undefined,
      registrationChanged({ state: 'failed', reason: 'transport', detail: 'closed (1006)', retryInMs: 4000 }),
    );
    expect(state.registration).toMatchObject({
      state: 'failed',
      reason: 'transport',
      detail: 'closed (1006)',
    });
    expect(state.registration.retryAt).toBeGreaterThan(0);
    const registered = phoneReducer(
      state,
      registrationChanged({ state: 'registered', reason: null, detail: null, retryInMs: null }),
    );
    expect(registered.registration.retryAt).toBeNull();
  });

  it('follows a call from dialling to its end with the SIP status and who hung up', () => {
    let state = phoneReducer(
      undefined,
      callBegan({
        taskId: 7,
        attemptId: 3,
        direction: 'outbound',
        numberMasked: '138****0001',
        partyName: '张伟',
      }),
    );
    expect(state.call).toMatchObject({ phase: 'dialling', muted: false, held: false, recording: 'off' });
    state = phoneReducer(state, callPhaseChanged('connected'));
    expect(state.call!.connectedAt).not.toBeNull();
    state = phoneReducer(state, callEnded({ sipStatus: 486, reason: 'Busy Here', hungUpBy: 'remote' }));
    expect(state.call).toMatchObject({
      phase: 'ended',
      sipStatus: 486,
      endReason: 'Busy Here',
      hungUpBy: 'remote',
    });
  });
});

describe('a suggested disposition', () => {
  const task = { id: 7 } as TaskDetail;
  const withCall = () =>
    taskReducer(
      taskReducer(undefined, taskOpening(7)),
      callStarted({ taskId: 7, call: { attemptId: 3, phoneId: 1, startedAt: 0 }, task }),
    );

  it('pre-fills the outcome form of the call’s task', () => {
    const state = taskReducer(withCall(), dispositionSuggested({ taskId: 7, disposition: 'busy' }));
    expect(state.drafts[7]!.disposition).toBe('busy');
  });

  it('never overrides what the specialist already chose', () => {
    const chosen = taskReducer(withCall(), dispositionSet('callback_requested'));
    const state = taskReducer(chosen, dispositionSuggested({ taskId: 7, disposition: 'no_answer' }));
    expect(state.drafts[7]!.disposition).toBe('callback_requested');
  });
});
