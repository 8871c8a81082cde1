// How often and how far apart an unreachable party is called again before the task escalates.
import { z } from 'zod';
import { parseInstant, toIsoUtc } from './time';

export const RetryPolicySchema = z.object({
  maxAttempts: z.number().int().min(1).max(20),
  /** Minutes to wait after attempt 1, 2, …; the last gap repeats for later attempts. */
  spacingMinutes: z.array(z.number().int().min(1)).min(1),
});
export type RetryPolicy = z.infer<typeof RetryPolicySchema>;

/** Three calls: a second one half an hour later, a third two hours after that. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, spacingMinutes: [30, 120] };

/** Minutes to wait after the `attemptsSoFar`-th attempt. */
export function retryGapMinutes(policy: RetryPolicy, attemptsSoFar: number): number {
  const index = Math.min(Math.max(attemptsSoFar, 1), policy.spacingMinutes.length) - 1;
  return policy.spacingMinutes[index] ?? 0;
}

/**
 * Earliest time for the next attempt after `attemptsSoFar` attempts, the last one at
 * `lastAttemptAtIso` (UTC ISO). It does not check exhaustion or calling hours: see
 * attemptsExhausted and callingHours.nextCallableAt.
 */
export function nextAttemptAt(policy: RetryPolicy, attemptsSoFar: number, lastAttemptAtIso: string): string {
  const last = parseInstant(lastAttemptAtIso, 'lastAttemptAt');
  return toIsoUtc(last.plus({ minutes: retryGapMinutes(policy, attemptsSoFar) }));
}

export function attemptsExhausted(policy: RetryPolicy, attemptsSoFar: number): boolean {
  return attemptsSoFar >= policy.maxAttempts;
}
