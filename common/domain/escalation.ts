// The legal escalation order (DOMAIN.md, "Escalation"): electronic → postal → in-person → announcement.
import { METHODS, type Method, type TaskStatus } from './model';
import { ruleRefusal, type RuleRefusal } from '../contract/refusals';

/** Methods a task can escalate to: every method but the first. */
export const ESCALATION_TARGETS = ['postal', 'in_person', 'announcement'] as const;
export type EscalationTarget = (typeof ESCALATION_TARGETS)[number];

/** Why a task left its method; typed so statistics can count them. */
export const ESCALATION_REASONS = [
  'consent_refused',
  'party_evading',
  'max_attempts',
  'no_reachable_number',
  'not_confirmed',
  // Minors, the elderly, people with disabilities: electronic service may be unsuitable.
  'electronic_unsuitable',
  'postal_returned',
  'in_person_failed',
  'party_cannot_be_found',
  'lead_decision',
] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

/** The status a task enters when it starts working a method. */
export const ENTRY_STATUS: Readonly<Record<Method, TaskStatus>> = {
  electronic: 'assigned',
  postal: 'postal_pending',
  in_person: 'in_person_pending',
  announcement: 'announcement_pending',
};

/** Statuses that show another method failed, which is what allows an announcement. */
const FAILED_METHOD_STATUSES: readonly TaskStatus[] = ['postal_returned', 'in_person_failed'];

export const METHOD_LABELS: Readonly<Record<Method, string>> = {
  electronic: 'electronic',
  postal: 'postal',
  in_person: 'in-person',
  announcement: 'announcement',
};

const ORDER_TEXT = METHODS.map((method) => METHOD_LABELS[method]).join(' → ');

export type EscalationCheck = { ok: true; status: TaskStatus } | RuleRefusal;

/**
 * Whether a task working `from.method` may move to `to`. Skipping forward is allowed (a lead may
 * send field staff directly); going back or staying is not. Which statuses may escalate at all
 * (not delivered, no letter in transit) is the state machine's table.
 */
export function checkEscalation(
  from: { status: TaskStatus; method: Method },
  to: EscalationTarget,
  reason: EscalationReason,
): EscalationCheck {
  const fromRank = METHODS.indexOf(from.method);
  const toRank = METHODS.indexOf(to);
  if (toRank < fromRank) {
    return ruleRefusal(
      'escalate_backward',
      { from: from.method, to },
      `cannot escalate backward from ${METHOD_LABELS[from.method]} to ${METHOD_LABELS[to]} delivery; the order is ${ORDER_TEXT}`,
    );
  }
  if (toRank === fromRank) {
    return ruleRefusal(
      'escalate_same_method',
      { method: to },
      `the task is already in ${METHOD_LABELS[to]} delivery`,
    );
  }
  // CPL Art. 95: announcement only when the party cannot be found or the other methods failed.
  if (
    to === 'announcement' &&
    !FAILED_METHOD_STATUSES.includes(from.status) &&
    reason !== 'party_cannot_be_found'
  ) {
    return ruleRefusal(
      'announcement_not_allowed',
      {},
      'announcement is allowed only after postal or in-person delivery failed, or when the party cannot be found',
    );
  }
  return { ok: true, status: ENTRY_STATUS[to] };
}
