import { describe, expect, it } from 'vitest';
import type { CallEvent, Result } from '../../../../common/contract';
import { createCallReporter, type CallEventAnswer } from './callReporter';

const facts = (attemptId: number): CallEventAnswer => ({
  call: {
    attemptId,
    direction: 'inbound',
    sipCallId: null,
    dialled: null,
    inviteAt: null,
    ringingAt: null,
    answeredAt: null,
    mediaConnectedAt: null,
    endedAt: null,
    sipStatus: null,
    reason: null,
    hungUpBy: null,
    stats: null,
  },
  suggestedDisposition: null,
});

describe('createCallReporter', () => {
  it('holds an inbound call’s first events until it has an attempt, then sends all in order', async () => {
    const sent: Array<[number, string]> = [];
    const reporter = createCallReporter({
      send: async (attemptId, event) => {
        sent.push([attemptId, event.type]);
        return { ok: true, value: facts(attemptId) };
      },
      onAnswer: () => undefined,
    });
    reporter.report({ type: 'invite', sipCallId: 'abc', dialled: '13800000001' });
    reporter.report({ type: 'ringing', sipStatus: 180 });
    await reporter.drain();
    expect(sent).toEqual([]);
    reporter.attach(42);
    reporter.report({ type: 'answered' });
    await reporter.drain();
    expect(sent).toEqual([
      [42, 'invite'],
      [42, 'ringing'],
      [42, 'answered'],
    ]);
  });

  it('retries a lost connection but not a refusal, and keeps the order', async () => {
    const answers: Array<Result<CallEventAnswer>> = [
      { ok: false, error: { code: 'internal', message: 'disconnected' } },
      { ok: true, value: facts(1) },
      { ok: false, error: { code: 'refused', message: 'attempt closed' } },
    ];
    const sent: string[] = [];
    const answered: string[] = [];
    const reporter = createCallReporter({
      send: async (_id, event) => {
        sent.push(event.type);
        return answers.shift() ?? { ok: true, value: facts(1) };
      },
      onAnswer: (_answer, event: CallEvent) => answered.push(event.type),
      retryDelayMs: () => 0,
    });
    reporter.attach(1);
    reporter.report({ type: 'answered' });
    reporter.report({ type: 'media_connected' });
    reporter.report({ type: 'muted' });
    await reporter.drain();
    expect(sent).toEqual(['answered', 'answered', 'media_connected', 'muted']);
    expect(answered).toEqual(['answered', 'muted']);
  });
});
