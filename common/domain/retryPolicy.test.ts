import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  RetryPolicySchema,
  attemptsExhausted,
  nextAttemptAt,
  retryGapMinutes,
} from './retryPolicy';

const LAST = '2026-11-23T10:00:00+08:00';

describe('retry spacing', () => {
  it('waits the gap for the attempt just made, repeating the last gap', () => {
    const policy = { maxAttempts: 5, spacingMinutes: [30, 120] };
    expect([1, 2, 3, 4].map((n) => retryGapMinutes(policy, n))).toEqual([30, 120, 120, 120]);
    expect(nextAttemptAt(policy, 1, LAST)).toBe('2026-11-23T02:30:00.000Z');
    expect(nextAttemptAt(policy, 2, LAST)).toBe('2026-11-23T04:00:00.000Z');
    expect(nextAttemptAt(policy, 4, LAST)).toBe('2026-11-23T04:00:00.000Z');
  });

  it('refuses an instant without an offset', () => {
    expect(() => nextAttemptAt(DEFAULT_RETRY_POLICY, 1, '2026-11-23T10:00:00')).toThrow(RangeError);
  });
});

describe('exhaustion', () => {
  it('is reached at maxAttempts', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({ maxAttempts: 3, spacingMinutes: [30, 120] });
    expect([1, 2, 3, 4].map((n) => attemptsExhausted(DEFAULT_RETRY_POLICY, n))).toEqual([
      false,
      false,
      true,
      true,
    ]);
  });
});

describe('RetryPolicySchema', () => {
  it('accepts the default and rejects nonsense', () => {
    expect(RetryPolicySchema.parse(DEFAULT_RETRY_POLICY)).toEqual(DEFAULT_RETRY_POLICY);
    expect(RetryPolicySchema.safeParse({ maxAttempts: 0, spacingMinutes: [30] }).success).toBe(false);
    expect(RetryPolicySchema.safeParse({ maxAttempts: 3, spacingMinutes: [] }).success).toBe(false);
    expect(RetryPolicySchema.safeParse({ maxAttempts: 3, spacingMinutes: [0] }).success).toBe(false);
  });
});
