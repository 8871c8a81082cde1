import { z } from 'zod';
import { DeskFailure } from './result';

/**
 * Every refusal main can give, by a stable code (the key a UI translates as `refusal.<code>`),
 * with the names and kinds of its parameters. Main's English message stays for logs and tools;
 * a desk shows the code's own sentence in its language and never that message. One code per kind
 * of problem, never per wording (as common/intake/reasonCodes.ts does for intake rows).
 *
 * A parameter's kind says how a UI shows its value: `instant` is an ISO date-time (shown in the
 * desk's zone), `status`, `method` and `taskEvent` are the domain's names (translated), `date`
 * and `text` are shown as they are.
 */
export const REFUSAL_PARAM_KINDS = [
  'text',
  'number',
  'instant',
  'date',
  'status',
  'method',
  'taskEvent',
] as const;
export type RefusalParamKind = (typeof REFUSAL_PARAM_KINDS)[number];

/** The DeskError code a refusal answers with (common/contract/result.ts). */
export type RefusalErrorCode = 'refused' | 'not_found' | 'bad_file';

interface RefusalSpec {
  error: RefusalErrorCode;
  params: Readonly<Record<string, RefusalParamKind>>;
}

const NONE = {} as const;

export const REFUSAL_CODES = {
  // Something named in the request is not there.
  task_not_found: { error: 'not_found', params: { taskId: 'number' } },
  phone_not_found: { error: 'not_found', params: { taskId: 'number', phoneId: 'number' } },
  id_number_unknown: { error: 'not_found', params: { taskId: 'number' } },

  // Calls and their outcomes (main/api).
  task_not_open: { error: 'refused', params: { status: 'status' } },
  task_moved_method: { error: 'refused', params: { method: 'method' } },
  number_marked_invalid: { error: 'refused', params: NONE },
  call_closed_date: { error: 'refused', params: { date: 'date', nextAllowedAt: 'instant' } },
  call_not_calling_day: { error: 'refused', params: { nextAllowedAt: 'instant' } },
  call_outside_hours: { error: 'refused', params: { windows: 'text', nextAllowedAt: 'instant' } },
  call_retry_spacing: { error: 'refused', params: { nextAllowedAt: 'instant' } },
  call_not_open: { error: 'refused', params: { attemptId: 'number' } },
  callback_time_required: { error: 'refused', params: NONE },
  callback_time_invalid: { error: 'refused', params: NONE },
  callback_in_past: { error: 'refused', params: { callbackAt: 'instant' } },
  instant_invalid: { error: 'refused', params: { field: 'text' } },

  // The task state machine (common/domain/taskMachine.ts).
  task_state_unknown: { error: 'refused', params: { status: 'text', method: 'text' } },
  task_state_inconsistent: { error: 'refused', params: { status: 'status', method: 'method' } },
  task_already_delivered: { error: 'refused', params: { status: 'status' } },
  proof_already_issued: { error: 'refused', params: NONE },
  task_closed: { error: 'refused', params: NONE },
  transition_needs_assignment: { error: 'refused', params: { event: 'taskEvent' } },
  transition_needs_call: { error: 'refused', params: { event: 'taskEvent' } },
  transition_needs_consent: { error: 'refused', params: { event: 'taskEvent' } },
  transition_needs_sending: { error: 'refused', params: { event: 'taskEvent' } },
  transition_needs_delivery: { error: 'refused', params: { event: 'taskEvent' } },
  transition_needs_proof: { error: 'refused', params: { event: 'taskEvent' } },
  transition_needs_publication: { error: 'refused', params: { event: 'taskEvent' } },
  transition_not_allowed: { error: 'refused', params: { event: 'taskEvent', status: 'status' } },
  no_letter_in_transit: { error: 'refused', params: { event: 'taskEvent', status: 'status' } },
  tracking_number_required: { error: 'refused', params: NONE },
  failure_reason_required: { error: 'refused', params: { event: 'taskEvent' } },
  deem_served_too_early: {
    error: 'refused',
    params: { servedOn: 'date', publishedOn: 'date', days: 'number' },
  },

  // Escalation between methods (common/domain/escalation.ts).
  escalate_letter_in_transit: { error: 'refused', params: NONE },
  escalate_none_left: { error: 'refused', params: NONE },
  escalate_backward: { error: 'refused', params: { from: 'method', to: 'method' } },

  // The softphone's calls and recordings (main/api/phoneHandlers.ts, main/evidence/).
  call_not_found: { error: 'not_found', params: { attemptId: 'number' } },
  call_ended: { error: 'refused', params: { attemptId: 'number' } },
  recording_not_found: { error: 'not_found', params: { recordingId: 'number' } },
  recording_not_a_call: { error: 'refused', params: { attemptId: 'number' } },
  recording_attempt_closed: { error: 'refused', params: { attemptId: 'number' } },
  recording_mime_unsupported: { error: 'refused', params: { mimeType: 'text' } },
  recording_gap: {
    error: 'refused',
    params: { recordingId: 'number', seq: 'number', expectedSeq: 'number' },
  },
  recording_chunk_conflict: { error: 'refused', params: { recordingId: 'number', seq: 'number' } },
  recording_finished: { error: 'refused', params: { recordingId: 'number', state: 'text' } },
  recording_disk_full: { error: 'refused', params: { recordingId: 'number', seq: 'number' } },
  recording_in_progress: { error: 'refused', params: { recordingId: 'number' } },
  phone_settings_managed: { error: 'refused', params: NONE },
  escalate_same_method: { error: 'refused', params: { method: 'method' } },

  // Electronic service from the desk (main/api/sendHandlers.ts, main/send/).
  consent_phone_not_mobile: { error: 'refused', params: NONE },
  send_not_hub_task: { error: 'refused', params: NONE },
  send_no_consent: { error: 'refused', params: NONE },
  send_consent_pending: { error: 'refused', params: NONE },
  send_channel_not_confirmed: { error: 'refused', params: { channel: 'text' } },
  send_document_unknown: { error: 'refused', params: NONE },
  announcement_not_allowed: { error: 'refused', params: NONE },

  // An intake file that cannot be read as a whole (main/intake).
  file_too_large: { error: 'bad_file', params: { maxMiB: 'number' } },
  file_empty: { error: 'bad_file', params: NONE },
  file_undecodable: { error: 'bad_file', params: NONE },
  file_not_json: { error: 'bad_file', params: NONE },
  file_not_csv: { error: 'bad_file', params: NONE },
  file_bad_shape: { error: 'bad_file', params: NONE },
  file_missing_columns: { error: 'bad_file', params: { columns: 'text' } },
  file_duplicate_columns: { error: 'bad_file', params: { columns: 'text' } },
} as const satisfies Readonly<Record<string, RefusalSpec>>;

export type RefusalCode = keyof typeof REFUSAL_CODES;
type ParamKindsOf<C extends RefusalCode> = (typeof REFUSAL_CODES)[C]['params'];
type ValueOf<K extends RefusalParamKind> = K extends 'number' ? number : string;

/** Exactly the params a code names, each of its kind's type. */
export type RefusalParams<C extends RefusalCode> = {
  -readonly [P in keyof ParamKindsOf<C>]: ParamKindsOf<C>[P] extends RefusalParamKind
    ? ValueOf<ParamKindsOf<C>[P]>
    : never;
};

/** A refusal as it crosses the boundary, in DeskError.details. */
export interface Refusal<C extends RefusalCode = RefusalCode> {
  code: C;
  params: RefusalParams<C>;
}

/** A domain rule's `{ ok: false }`: the coded refusal plus its English reason. */
export type RuleRefusal = { [C in RefusalCode]: { ok: false; reason: string } & Refusal<C> }[RefusalCode];

/** Builds a domain rule's refusal; the English reason is for logs, tools and tests. */
export function ruleRefusal<C extends RefusalCode>(
  code: C,
  params: RefusalParams<C>,
  reason: string,
): RuleRefusal {
  return { ok: false, code, params, reason } as RuleRefusal;
}

export const REFUSAL_CODE_LIST = Object.keys(REFUSAL_CODES) as RefusalCode[];

/** The parameter names of a code, in registry order. */
export function refusalParamNames(code: RefusalCode): string[] {
  return Object.keys(REFUSAL_CODES[code].params);
}

export function isRefusalCode(code: unknown): code is RefusalCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(REFUSAL_CODES, code);
}

const RefusalShape = z.object({
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});

/**
 * Reads a refusal from an error's details on the receiving side: a known code with exactly its
 * params, each of the right type. Anything else (an older or newer desk, a malformed answer) is null.
 */
export function readRefusal(details: unknown): Refusal | null {
  const parsed = RefusalShape.safeParse(details);
  if (!parsed.success || !isRefusalCode(parsed.data.code)) return null;
  const { code, params } = parsed.data;
  const kinds: Readonly<Record<string, RefusalParamKind>> = REFUSAL_CODES[code].params;
  const names = Object.keys(kinds);
  if (Object.keys(params).length !== names.length) return null;
  for (const name of names) {
    const value = params[name];
    if (value === undefined || (kinds[name] === 'number') !== (typeof value === 'number')) return null;
  }
  return { code, params } as unknown as Refusal;
}

/**
 * The one way main refuses: `throw refused('call_retry_spacing', { nextAllowedAt }, message)`.
 * The DeskError code (refused, not_found, bad_file) comes from the registry; details carry
 * `{ code, params }` for the desk to show in its language.
 */
export function refused<C extends RefusalCode>(
  code: C,
  params: RefusalParams<C>,
  message: string,
): DeskFailure {
  const refusal: Refusal<C> = { code, params };
  return new DeskFailure(REFUSAL_CODES[code].error, message, refusal);
}

/** A domain rule's refusal (taskMachine, dispositions, …) as main's answer. */
export function refusedBy(rule: RuleRefusal): DeskFailure {
  return new DeskFailure(REFUSAL_CODES[rule.code].error, rule.reason, {
    code: rule.code,
    params: rule.params,
  });
}
