// What happens after each call outcome (DOMAIN.md, "Call outcomes").
import { nextCallableAt, type CallingHours } from './callingHours';
import type { EscalationReason } from './escalation';
import type { Disposition } from './model';
import { attemptsExhausted, nextAttemptAt, type RetryPolicy } from './retryPolicy';
import { notAnInstant, toIsoUtc, tryParseInstant } from './time';
import { ruleRefusal, type RuleRefusal } from '../contract/refusals';

export type NextStep =
  /** Record consent on the task (task event record_consent). */
  | { kind: 'consented' }
  /**
   * Leave electronic delivery for post. `useFallbackAddresses`: the party evades, so post goes to
   * the fallback addresses in the order of the 2017 Opinions, item 8 (see ADDRESS_SOURCES).
   */
  | { kind: 'escalate'; to: 'postal'; reason: EscalationReason; useFallbackAddresses: boolean }
  /** The number reaches someone else or nobody: mark it invalid and look for another. */
  | { kind: 'invalidate_number'; then: 'lookup' }
  | { kind: 'retry'; notBefore: string }
  | { kind: 'callback'; at: string };

export type NextStepResult = { ok: true; step: NextStep } | RuleRefusal;

export type DispositionContext = {
  /** Attempts that count toward the retry limit, including this call (see countAttempts). */
  attemptsSoFar: number;
  policy: RetryPolicy;
  now: string;
  /** When the party asked to be called back; required for callback_requested. */
  callbackAt?: string;
  /** When given, a retry is also pushed to the next time calls are allowed. */
  callingHours?: CallingHours;
  partyTimeZone?: string;
};

export type DispositionInfo = {
  /** Someone answered: counts toward the connect rate. */
  connected: boolean;
  /** An unsuccessful try to reach the party that uses up one of the policy's attempts. */
  countsTowardRetryLimit: boolean;
};

/**
 * Outcomes that end the calling cycle (consent, refusal, wrong number, evasion) use up no attempt;
 * a callback request does not either: the party engaged, and the callback is a call of its own.
 */
export const DISPOSITION_INFO: Readonly<Record<Disposition, DispositionInfo>> = {
  connected_consented: { connected: true, countsTowardRetryLimit: false },
  consent_refused: { connected: true, countsTowardRetryLimit: false },
  wrong_party: { connected: true, countsTowardRetryLimit: false },
  no_answer: { connected: false, countsTowardRetryLimit: true },
  busy: { connected: false, countsTowardRetryLimit: true },
  powered_off: { connected: false, countsTowardRetryLimit: true },
  number_not_exist: { connected: false, countsTowardRetryLimit: false },
  callback_requested: { connected: true, countsTowardRetryLimit: false },
  hung_up: { connected: true, countsTowardRetryLimit: true },
  // Recorded when someone answered and the party denied being themselves or refused to engage.
  evading: { connected: true, countsTowardRetryLimit: false },
};

/** The attempts that count toward the retry limit among a task's call outcomes. */
export function countAttempts(dispositions: readonly Disposition[]): number {
  return dispositions.filter((disposition) => DISPOSITION_INFO[disposition].countsTowardRetryLimit).length;
}

export function nextStepFor(disposition: Disposition, ctx: DispositionContext): NextStepResult {
  const step = (value: NextStep): NextStepResult => ({ ok: true, step: value });
  switch (disposition) {
    case 'connected_consented':
      return step({ kind: 'consented' });
    case 'consent_refused':
      return step({ kind: 'escalate', to: 'postal', reason: 'consent_refused', useFallbackAddresses: false });
    case 'evading':
      return step({ kind: 'escalate', to: 'postal', reason: 'party_evading', useFallbackAddresses: true });
    case 'wrong_party':
    case 'number_not_exist':
      return step({ kind: 'invalidate_number', then: 'lookup' });
    case 'no_answer':
    case 'busy':
    case 'powered_off':
    case 'hung_up':
      return retryOrEscalate(ctx);
    case 'callback_requested':
      return callback(ctx);
  }
}

function retryOrEscalate(ctx: DispositionContext): NextStepResult {
  if (!tryParseInstant(ctx.now)) return notAnInstant('now');
  if (attemptsExhausted(ctx.policy, ctx.attemptsSoFar)) {
    return {
      ok: true,
      step: { kind: 'escalate', to: 'postal', reason: 'max_attempts', useFallbackAddresses: false },
    };
  }
  const spaced = nextAttemptAt(ctx.policy, ctx.attemptsSoFar, ctx.now);
  const notBefore = ctx.callingHours ? nextCallableAt(ctx.callingHours, spaced, ctx.partyTimeZone) : spaced;
  return { ok: true, step: { kind: 'retry', notBefore } };
}

function callback(ctx: DispositionContext): NextStepResult {
  if (ctx.callbackAt === undefined)
    return ruleRefusal('callback_time_required', {}, 'a callback needs the time the party asked for');
  const at = tryParseInstant(ctx.callbackAt);
  const now = tryParseInstant(ctx.now);
  if (!at)
    return ruleRefusal(
      'callback_time_invalid',
      {},
      'the callback time is not an ISO date-time with an offset',
    );
  if (!now) return notAnInstant('now');
  if (at <= now) {
    return ruleRefusal(
      'callback_in_past',
      { callbackAt: toIsoUtc(at) },
      'the callback time must be in the future',
    );
  }
  // No calling-hours check: the party chose the time (see checkCallAllowed's callback exception).
  return { ok: true, step: { kind: 'callback', at: toIsoUtc(at) } };
}
