// The delivery task's state machine: which event may happen in which status, and what follows.
// One table (SOURCES) decides what is allowed; applyTaskEvent adds the checks that need the payload.
import { DateTime } from 'luxon';
import { z } from 'zod';
import { ANNOUNCEMENT_PERIOD_DAYS, announcementDeemedServedAt } from './announcement';
import { ENTRY_STATUS, ESCALATION_REASONS, ESCALATION_TARGETS, checkEscalation } from './escalation';
import { METHODS, TASK_STATUSES, type Method, type TaskStatus } from './model';
import { COURT_TIME_ZONE, IsoInstantSchema, notAnInstant, tryParseInstant } from './time';
import { ruleRefusal, type RuleRefusal } from '../contract/refusals';

const nonBlank = z.string().trim().min(1);

export const TaskEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('assign') }),
  /** A call (or other work on the electronic method) started. */
  z.object({ type: z.literal('start_work') }),
  z.object({ type: z.literal('record_consent') }),
  /** Documents sent electronically; sending again (e.g. an expired link) is allowed. */
  z.object({ type: z.literal('send') }),
  z.object({ type: z.literal('confirm_delivery') }),
  z.object({ type: z.literal('issue_proof') }),
  z.object({ type: z.literal('close') }),
  z.object({
    type: z.literal('escalate'),
    to: z.enum(ESCALATION_TARGETS),
    reason: z.enum(ESCALATION_REASONS),
    note: z.string().optional(),
  }),
  /** Also from postal_returned: the letter goes again, e.g. to the next fallback address. */
  z.object({ type: z.literal('postal_dispatch'), trackingNumber: nonBlank }),
  z.object({ type: z.literal('postal_delivered') }),
  // Every negative event carries its failure reason (DOMAIN.md, proof of service).
  z.object({ type: z.literal('postal_returned'), reason: nonBlank }),
  z.object({ type: z.literal('visit_delivered') }),
  z.object({ type: z.literal('visit_failed'), reason: nonBlank }),
  z.object({ type: z.literal('publish_announcement'), publishedAt: IsoInstantSchema }),
  /** `at` is now; `publishedAt` comes from the publish_announcement the task recorded. */
  z.object({ type: z.literal('deem_served'), publishedAt: IsoInstantSchema, at: IsoInstantSchema }),
]);
export type TaskEvent = z.infer<typeof TaskEventSchema>;
export type TaskEventType = TaskEvent['type'];

export type TaskState = { status: TaskStatus; method: Method };
/** A refusal carries a code and params for the desk's language, and an English reason. */
export type TaskTransition = ({ ok: true } & TaskState) | RuleRefusal;

export const DELIVERED_EQUIVALENT: readonly TaskStatus[] = [
  'delivered',
  'postal_delivered',
  'in_person_delivered',
  'deemed_served',
];

export function isDeliveredEquivalent(status: TaskStatus): boolean {
  return DELIVERED_EQUIVALENT.includes(status);
}

/** Still work to do: not delivered, no proof, not closed. */
export function isOpen(status: TaskStatus): boolean {
  return !isDeliveredEquivalent(status) && status !== 'proof_issued' && status !== 'closed';
}

const OPEN_STATUSES = TASK_STATUSES.filter(isOpen);

/** Which statuses each event may start from. */
const SOURCES: Readonly<Record<TaskEventType, readonly TaskStatus[]>> = {
  // Reassignment keeps the status; only `new` moves on.
  assign: OPEN_STATUSES,
  // A follow-up call after consent or sending does not move the task back.
  start_work: ['assigned', 'in_progress', 'consented', 'sent'],
  record_consent: ['in_progress'],
  send: ['consented', 'sent'],
  confirm_delivery: ['sent'],
  issue_proof: DELIVERED_EQUIVALENT,
  close: ['proof_issued'],
  // A letter in transit must end as delivered or returned first; announcement is the last method.
  escalate: OPEN_STATUSES.filter(
    (status) => !['postal_dispatched', 'announcement_pending', 'announced'].includes(status),
  ),
  postal_dispatch: ['postal_pending', 'postal_returned'],
  postal_delivered: ['postal_dispatched'],
  postal_returned: ['postal_dispatched'],
  visit_delivered: ['in_person_pending', 'in_person_failed'],
  visit_failed: ['in_person_pending', 'in_person_failed'],
  publish_announcement: ['announcement_pending'],
  deem_served: ['announced'],
};

const EVENT_TYPES = Object.keys(SOURCES) as TaskEventType[];

/** Event types allowed in `status` (payload checks such as escalation order come on top). */
export function allowedEvents(status: TaskStatus): TaskEventType[] {
  return EVENT_TYPES.filter((type) => SOURCES[type].includes(status));
}

/** The method a status belongs to; null for statuses shared by every method. */
export function methodOfStatus(status: TaskStatus): Method | null {
  if (status === 'new' || status === 'proof_issued' || status === 'closed') return null;
  if (status.startsWith('postal_')) return 'postal';
  if (status.startsWith('in_person_')) return 'in_person';
  if (status.startsWith('announce') || status === 'deemed_served') return 'announcement';
  return 'electronic';
}

const ok = (status: TaskStatus, method: Method): TaskTransition => ({ ok: true, status, method });

export function applyTaskEvent(state: TaskState, event: TaskEvent): TaskTransition {
  const { status, method } = state;
  if (!METHODS.includes(method) || !TASK_STATUSES.includes(status)) {
    return ruleRefusal(
      'task_state_unknown',
      { status, method },
      `unknown task state: status "${status}", method "${method}"`,
    );
  }
  const statusMethod = methodOfStatus(status);
  if (statusMethod !== null && statusMethod !== method) {
    return ruleRefusal(
      'task_state_inconsistent',
      { status, method },
      `inconsistent task state: status ${label(status)} belongs to ${statusMethod} delivery, not ${method}`,
    );
  }
  if (!SOURCES[event.type].includes(status)) return refusalFor(event.type, status);

  switch (event.type) {
    case 'assign':
      return ok(status === 'new' ? ENTRY_STATUS[method] : status, method);
    case 'start_work':
      return ok(status === 'assigned' ? 'in_progress' : status, method);
    case 'record_consent':
      return ok('consented', method);
    case 'send':
      return ok('sent', method);
    case 'confirm_delivery':
      return ok('delivered', method);
    case 'issue_proof':
      return ok('proof_issued', method);
    case 'close':
      return ok('closed', method);
    case 'escalate': {
      const check = checkEscalation(state, event.to, event.reason);
      return check.ok ? ok(check.status, event.to) : check;
    }
    case 'postal_dispatch':
      if (!event.trackingNumber?.trim())
        return ruleRefusal('tracking_number_required', {}, 'a postal dispatch needs a tracking number');
      return ok('postal_dispatched', method);
    case 'postal_delivered':
      return ok('postal_delivered', method);
    case 'postal_returned':
      if (!event.reason?.trim())
        return ruleRefusal(
          'failure_reason_required',
          { event: event.type },
          'a returned letter needs a reason',
        );
      return ok('postal_returned', method);
    case 'visit_delivered':
      return ok('in_person_delivered', method);
    case 'visit_failed':
      if (!event.reason?.trim())
        return ruleRefusal('failure_reason_required', { event: event.type }, 'a failed visit needs a reason');
      return ok('in_person_failed', method);
    case 'publish_announcement':
      if (!tryParseInstant(event.publishedAt)) return notAnInstant('publishedAt');
      return ok('announced', method);
    case 'deem_served':
      return deemServed(event.publishedAt, event.at, method);
  }
}

function deemServed(publishedAt: string, at: string, method: Method): TaskTransition {
  const now = tryParseInstant(at);
  const published = tryParseInstant(publishedAt);
  if (!published) return notAnInstant('publishedAt');
  if (!now) return notAnInstant('at');
  const servedAt = DateTime.fromISO(announcementDeemedServedAt(publishedAt)).setZone(COURT_TIME_ZONE);
  if (now < servedAt) {
    const day = (instant: DateTime) => instant.setZone(COURT_TIME_ZONE).toISODate();
    const servedOn = day(servedAt) ?? '';
    const publishedOn = day(published) ?? '';
    return ruleRefusal(
      'deem_served_too_early',
      { servedOn, publishedOn, days: ANNOUNCEMENT_PERIOD_DAYS },
      `cannot deem served before ${servedOn}, ${ANNOUNCEMENT_PERIOD_DAYS} days after publication on ${publishedOn} (${COURT_TIME_ZONE})`,
    );
  }
  return ok('deemed_served', method);
}

const VERBS: Readonly<Record<TaskEventType, string>> = {
  assign: 'assign the task',
  start_work: 'start a call',
  record_consent: 'record consent',
  send: 'send documents',
  confirm_delivery: 'confirm delivery',
  issue_proof: 'issue a proof of service',
  close: 'close the task',
  escalate: 'escalate',
  postal_dispatch: 'record a postal dispatch',
  postal_delivered: 'record a postal delivery',
  postal_returned: 'record a returned letter',
  visit_delivered: 'record an in-person delivery',
  visit_failed: 'record a failed visit',
  publish_announcement: 'record an announcement',
  deem_served: 'deem the task served',
};

function label(status: TaskStatus): string {
  return status.replaceAll('_', ' ');
}

/** Why `type` is not allowed in `status`, in the words a specialist or lead would understand. */
function refusalFor(type: TaskEventType, status: TaskStatus): RuleRefusal {
  if (isDeliveredEquivalent(status) && type !== 'close') {
    return ruleRefusal(
      'task_already_delivered',
      { status },
      `the task is already delivered (${label(status)}); a delivered task stays delivered`,
    );
  }
  if (status === 'proof_issued' && type !== 'close')
    return ruleRefusal('proof_already_issued', {}, 'the proof of service is already issued');
  if (status === 'closed') return ruleRefusal('task_closed', {}, 'the task is closed');
  const before = (code: BeforeCode, what: string) =>
    ruleRefusal(code, { event: type }, `cannot ${VERBS[type]} before ${what}`);
  switch (type) {
    case 'start_work':
      if (status === 'new') return before('transition_needs_assignment', 'the task is assigned');
      break;
    case 'record_consent':
      if (status === 'new' || status === 'assigned')
        return before('transition_needs_call', 'a call has started');
      break;
    case 'send':
      if (status === 'new' || status === 'assigned' || status === 'in_progress') {
        return before('transition_needs_consent', 'consent is recorded');
      }
      break;
    case 'confirm_delivery':
      if (methodOfStatus(status) === 'electronic' || status === 'new')
        return before('transition_needs_sending', 'the documents are sent');
      break;
    case 'issue_proof':
      return before('transition_needs_delivery', 'the task is delivered');
    case 'close':
      return before('transition_needs_proof', 'its proof of service is issued');
    case 'escalate':
      if (status === 'postal_dispatched') {
        return ruleRefusal(
          'escalate_letter_in_transit',
          {},
          'cannot escalate while a letter is in transit; record it as delivered or returned first',
        );
      }
      return ruleRefusal(
        'escalate_none_left',
        {},
        'announcement is the last method; there is nothing to escalate to',
      );
    case 'postal_delivered':
    case 'postal_returned':
      return ruleRefusal(
        'no_letter_in_transit',
        { event: type, status },
        `cannot ${VERBS[type]}: no letter is in transit (the task is ${label(status)})`,
      );
    case 'deem_served':
      if (status === 'announcement_pending')
        return before('transition_needs_publication', 'the announcement is published');
      break;
  }
  return ruleRefusal(
    'transition_not_allowed',
    { event: type, status },
    `cannot ${VERBS[type]} while the task is ${label(status)}`,
  );
}

type BeforeCode =
  | 'transition_needs_assignment'
  | 'transition_needs_call'
  | 'transition_needs_consent'
  | 'transition_needs_sending'
  | 'transition_needs_delivery'
  | 'transition_needs_proof'
  | 'transition_needs_publication';
