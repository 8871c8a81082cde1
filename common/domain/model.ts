// The vocabulary of the domain, shared by desk and hub. Plain data: no Node, no DOM.

/** How documents are served; the order is the legal escalation order. */
export const METHODS = ['electronic', 'postal', 'in_person', 'announcement'] as const;
export type Method = (typeof METHODS)[number];

/**
 * Every state a task can be in over its life. Electronic states first, then each escalation
 * method's own states; a task's `method` says which family it is in.
 */
export const TASK_STATUSES = [
  'new',
  'assigned',
  'in_progress',
  'consented',
  'sent',
  'delivered',
  'proof_issued',
  'closed',
  'postal_pending',
  'postal_dispatched',
  'postal_delivered',
  'postal_returned',
  'in_person_pending',
  'in_person_delivered',
  'in_person_failed',
  'announcement_pending',
  'announced',
  'deemed_served',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Call outcomes from DOMAIN.md; each maps to a next step (see dispositions.ts). */
export const DISPOSITIONS = [
  'connected_consented',
  'consent_refused',
  'wrong_party',
  'no_answer',
  'busy',
  'powered_off',
  'number_not_exist',
  'callback_requested',
  'hung_up',
  'evading',
] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export const PRIORITIES = ['normal', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const PARTY_KINDS = ['person', 'organization'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

/** Where an address came from, in the fallback order of the 2017 Opinions, item 8. */
export const ADDRESS_SOURCES = [
  'party_confirmed',
  'contract',
  'litigation_filing',
  'other_case_within_year',
  'civil_activity_within_year',
  'household_registration',
  'case_system',
] as const;
export type AddressSource = (typeof ADDRESS_SOURCES)[number];

/** Narrows a string to one of an enumeration's values (statuses, methods, dispositions, …). */
export function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}
