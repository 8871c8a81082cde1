import { describe, expect, it } from 'vitest';
import { DEFAULT_CALLING_HOURS } from './callingHours';
import { DISPOSITION_INFO, countAttempts, nextStepFor, type DispositionContext } from './dispositions';
import { DISPOSITIONS } from './model';
import { DEFAULT_RETRY_POLICY } from './retryPolicy';

const NOW = '2026-11-23T02:00:00.000Z'; // Monday 10:00 in Shanghai
const ctx = (extra: Partial<DispositionContext> = {}): DispositionContext => ({
  attemptsSoFar: 1,
  policy: DEFAULT_RETRY_POLICY,
  now: NOW,
  ...extra,
});

describe('nextStepFor', () => {
  it('records consent when the party consented', () => {
    expect(nextStepFor('connected_consented', ctx())).toEqual({ ok: true, step: { kind: 'consented' } });
  });

  it('escalates to post when consent is refused', () => {
    expect(nextStepFor('consent_refused', ctx())).toEqual({
      ok: true,
      step: { kind: 'escalate', to: 'postal', reason: 'consent_refused', useFallbackAddresses: false },
    });
  });

  it('escalates to post at the fallback addresses when the party evades', () => {
    expect(nextStepFor('evading', ctx())).toEqual({
      ok: true,
      step: { kind: 'escalate', to: 'postal', reason: 'party_evading', useFallbackAddresses: true },
    });
  });

  it('invalidates the number and looks for another when it reaches the wrong party or nobody', () => {
    for (const disposition of ['wrong_party', 'number_not_exist'] as const) {
      expect(nextStepFor(disposition, ctx())).toEqual({
        ok: true,
        step: { kind: 'invalidate_number', then: 'lookup' },
      });
    }
  });

  it('retries unreached calls with the policy’s spacing', () => {
    for (const disposition of ['no_answer', 'busy', 'powered_off', 'hung_up'] as const) {
      expect(nextStepFor(disposition, ctx({ attemptsSoFar: 1 }))).toEqual({
        ok: true,
        step: { kind: 'retry', notBefore: '2026-11-23T02:30:00.000Z' },
      });
      expect(nextStepFor(disposition, ctx({ attemptsSoFar: 2 }))).toEqual({
        ok: true,
        step: { kind: 'retry', notBefore: '2026-11-23T04:00:00.000Z' },
      });
    }
  });

  it('escalates to post once the attempts are used up', () => {
    for (const disposition of ['no_answer', 'busy', 'powered_off', 'hung_up'] as const) {
      expect(nextStepFor(disposition, ctx({ attemptsSoFar: 3 }))).toEqual({
        ok: true,
        step: { kind: 'escalate', to: 'postal', reason: 'max_attempts', useFallbackAddresses: false },
      });
    }
  });

  it('moves a retry into calling hours when they are given', () => {
    // 11:45 Shanghai + 30 min = 12:15, in the lunch break → 14:00.
    const result = nextStepFor(
      'busy',
      ctx({ now: '2026-11-23T11:45:00+08:00', callingHours: DEFAULT_CALLING_HOURS }),
    );
    expect(result).toEqual({ ok: true, step: { kind: 'retry', notBefore: '2026-11-23T06:00:00.000Z' } });
  });

  it('schedules a callback at the time the party asked for', () => {
    expect(nextStepFor('callback_requested', ctx({ callbackAt: '2026-11-23T21:30:00+08:00' }))).toEqual({
      ok: true,
      step: { kind: 'callback', at: '2026-11-23T13:30:00.000Z' },
    });
  });

  it('refuses a callback without a time, or with a time not in the future', () => {
    expect(nextStepFor('callback_requested', ctx())).toEqual({
      ok: false,
      code: 'callback_time_required',
      params: {},
      reason: 'a callback needs the time the party asked for',
    });
    expect(nextStepFor('callback_requested', ctx({ callbackAt: NOW }))).toEqual({
      ok: false,
      code: 'callback_in_past',
      params: { callbackAt: '2026-11-23T02:00:00.000Z' },
      reason: 'the callback time must be in the future',
    });
    expect(nextStepFor('callback_requested', ctx({ callbackAt: 'tomorrow' }))).toEqual({
      ok: false,
      code: 'callback_time_invalid',
      params: {},
      reason: 'the callback time is not an ISO date-time with an offset',
    });
  });
});

describe('DISPOSITION_INFO', () => {
  it('describes every disposition', () => {
    expect(Object.keys(DISPOSITION_INFO).sort()).toEqual([...DISPOSITIONS].sort());
  });

  it('counts only unreached calls toward the retry limit', () => {
    const counted = DISPOSITIONS.filter((d) => DISPOSITION_INFO[d].countsTowardRetryLimit);
    expect(counted).toEqual(['no_answer', 'busy', 'powered_off', 'hung_up']);
    expect(countAttempts(['no_answer', 'callback_requested', 'busy', 'wrong_party'])).toBe(2);
  });

  it('treats answered calls as connected', () => {
    const notConnected = DISPOSITIONS.filter((d) => !DISPOSITION_INFO[d].connected);
    expect(notConnected).toEqual(['no_answer', 'busy', 'powered_off', 'number_not_exist']);
  });
});
