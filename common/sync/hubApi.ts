import { z } from 'zod';
import { METHODS, PRIORITIES, TASK_STATUSES } from '../domain/model';
import { IntakeReport } from '../contract/intakeReport';
import { Sha256Hex, TaskId, UserRef } from './protocol';

// The hub's other routes a desk (or a case system) calls: login, intake, the lead console.
// Errors from every hub route have one shape: HubErrorBody.

export const ROLES = ['specialist', 'lead', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const HUB_ERROR_CODES = [
  'invalid_request', // the request broke its schema; nothing was changed
  'unauthorized', // no, bad, expired or revoked token / API key, or wrong password
  'forbidden', // the role or team does not allow it
  'not_found',
  'conflict',
  'hash_mismatch', // bytes that do not hash to the SHA-256 they were sent under
  'rate_limited',
  'internal', // details are in the hub's log, never in the answer
] as const;
export type HubErrorCode = (typeof HUB_ERROR_CODES)[number];
export const HubErrorBody = z.object({
  error: z.object({ code: z.enum(HUB_ERROR_CODES), message: z.string(), details: z.unknown().optional() }),
});
export type HubErrorBody = z.infer<typeof HubErrorBody>;

export const HubUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  teamId: z.string().nullable(),
});
export type HubUser = z.infer<typeof HubUser>;

export const LoginRequest = z.strictObject({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
});
export const LoginResponse = z.object({
  /** Send as `Authorization: Bearer <token>`; the hub keeps only its SHA-256. */
  token: z.string(),
  expiresAt: z.iso.datetime({ offset: true }),
  user: HubUser,
});
export type LoginResponse = z.infer<typeof LoginResponse>;

/**
 * POST /intake/tasks (case systems with `x-api-key`, or a lead's desk with its session).
 * `tasks` are validated one by one with common/intake/validateTask.ts — the desk's file-import
 * rules — and the answer is the desk's IntakeReport (rows count from 1). A document may carry its
 * file as `contentBase64`; when it also gives `sha256`, the bytes must hash to it or the whole
 * request is refused (`hash_mismatch`) and nothing is written.
 */
export const MAX_INTAKE_TASKS = 1000;
export const IntakeRequest = z
  .strictObject({
    tasks: z
      .array(z.unknown().describe('a task in the intake JSON shape (DOMAIN.md), validated one by one'))
      .min(1)
      .max(MAX_INTAKE_TASKS),
    /**
     * The row number of each task in the file it came from (a desk sending a CSV file's rows), so
     * the report speaks of the file's rows; by default row n is tasks[n - 1].
     */
    rows: z.array(z.number().int().positive()).max(MAX_INTAKE_TASKS).optional(),
    /** For a lead's desk import by an admin: the team the tasks go to (leads: always their own). */
    teamId: z.uuid().optional(),
  })
  .refine((body) => !body.rows || body.rows.length === body.tasks.length, {
    message: 'rows, when given, has one number per task',
    path: ['rows'],
  });
// The rows' part of the desk's report: import ids, cancelling and progress belong to a desk's own imports.
export const IntakeResponse = IntakeReport.pick({ accepted: true, duplicates: true, rejected: true }).extend({
  /** The hub's task ids of the accepted rows, in row order. */
  taskIds: z.array(z.string()),
});
export type IntakeResponse = z.infer<typeof IntakeResponse>;

export const LEAD_QUEUE_FILTERS = [
  'all',
  'unassigned',
  'escalation_due', // failed: the retry policy's unanswered attempts are used up, still electronic
  'stuck', // no attempt (or no intake) for `stuckDays`
  'overdue', // past the deadline, still open
  'callback_missed', // the callback time passed with no attempt since
  'completed_after_reassignment',
] as const;
export type LeadQueueFilter = (typeof LEAD_QUEUE_FILTERS)[number];

/** Leads always work on their own team; an admin names one. */
const TeamChoice = { teamId: z.uuid().optional() };

export const LeadQueueQuery = z.strictObject({
  ...TeamChoice,
  filter: z.enum(LEAD_QUEUE_FILTERS).default('all'),
  assigneeId: z.uuid().optional(),
  search: z.string().max(100).default(''),
  stuckDays: z.coerce.number().int().min(1).max(365).default(3),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type LeadQueueQuery = z.input<typeof LeadQueueQuery>;

export const LeadQueueRow = z.object({
  id: z.string(),
  caseNumber: z.string(),
  court: z.string(),
  partyName: z.string(),
  status: z.enum(TASK_STATUSES),
  method: z.enum(METHODS),
  priority: z.enum(PRIORITIES),
  deadline: z.iso.date().nullable(),
  assignee: UserRef.nullable(),
  attempts: z.number().int(),
  lastAttemptAt: z.string().nullable(),
  callbackAt: z.string().nullable(),
  completedAfterReassignment: z.boolean(),
});
export type LeadQueueRow = z.infer<typeof LeadQueueRow>;
export const LeadQueuePage = z.object({ total: z.number().int(), rows: z.array(LeadQueueRow) });

const Reason = z.string().trim().min(1).max(500);

export const ReassignRequest = z.strictObject({
  ...TeamChoice,
  taskIds: z.array(TaskId).min(1).max(5000),
  /** null returns the tasks to the team pool. */
  assigneeId: z.uuid().nullable(),
  reason: Reason,
});
export const AutoAssignRequest = z.strictObject({
  ...TeamChoice,
  /** Unassigned tasks to hand out (default: all of the team's unassigned open tasks, oldest first). */
  taskIds: z.array(TaskId).min(1).max(5000).optional(),
  reason: Reason.default('round-robin by load'),
});
export const PriorityRequest = z.strictObject({
  ...TeamChoice,
  taskIds: z.array(TaskId).min(1).max(5000),
  priority: z.enum(PRIORITIES),
  reason: Reason,
});
export const BulkResult = z.object({
  updated: z.number().int(),
  /** Tasks that were not changed, and why (not in the team, closed, already so). */
  skipped: z.array(z.object({ taskId: z.string(), reason: z.string() })),
  assignments: z.array(z.object({ taskId: z.string(), assigneeId: z.string().nullable() })).optional(),
});
export type BulkResult = z.infer<typeof BulkResult>;

export const SpecialistLoad = z.object({
  user: UserRef,
  openTasks: z.number().int(),
  attemptsToday: z.number().int(),
  connectsToday: z.number().int(),
  consentsToday: z.number().int(),
  online: z.boolean(),
});
export const TeamLoadQuery = z.strictObject(TeamChoice);
export const TeamLoad = z.object({ today: z.iso.date(), specialists: z.array(SpecialistLoad) });

export const BlobSha = z.strictObject({ sha256: Sha256Hex });
