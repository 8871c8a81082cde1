import { z } from 'zod';
import { PRIORITIES } from '../domain/model';
import { BulkResult, HubUser, LEAD_QUEUE_FILTERS, LeadQueuePage, TeamLoad } from '../sync/hubApi';
import { REJECTION_CODES, TaskId } from '../sync/protocol';

// The desk's side of the hub: login, the sync state, and the lead console, as calls the renderer
// makes to main. Main talks to the hub; the renderer never sees the hub's URL scheme or token.

const Id = z.number().int().positive();
const IsoDateTime = z.iso.datetime({ offset: true });

/** A hub's address: https anywhere, plain http only on this machine (checked again by main). */
export const HubUrl = z.url({ protocol: /^https?$/ }).max(300);

export const DemoAccount = z.object({ username: z.string(), password: z.string(), role: z.string() });

export const HubSessionView = z.object({
  /** The hub this desk works with; null when none is configured (a desk on its own). */
  hubUrl: z.string().nullable(),
  /** Set when `npm start` runs an embedded demo hub in the data directory. */
  embedded: z.object({ accounts: z.array(DemoAccount) }).nullable(),
  /** The signed-in user while the session is valid (the token itself stays in main). */
  user: HubUser.nullable(),
  expiresAt: IsoDateTime.nullable(),
});
export type HubSessionView = z.infer<typeof HubSessionView>;

export const SyncStatus = z.object({
  state: z.enum(['local_only', 'signed_out', 'online', 'offline']),
  /** When the desk last lost the hub; null while online. */
  offlineSince: IsoDateTime.nullable(),
  /** Local changes not yet accepted by the hub (queued operations and sends). */
  pendingOperations: z.number().int(),
  /** Bytes still to upload (queued operations and recordings), in MB. */
  pendingMb: z.number(),
  pendingUploads: z.number().int(),
  lastSyncedAt: IsoDateTime.nullable(),
  lastError: z.string().nullable(),
  /** Operations the hub refused for good (kept for the specialist and the lead to see). */
  rejectedOperations: z.number().int(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const SyncRejection = z.object({
  mutationId: z.number().int(),
  taskId: Id.nullable(),
  kind: z.string(),
  code: z.enum(REJECTION_CODES),
  message: z.string(),
  at: IsoDateTime,
});

/** Where a task stands with the hub, for the task view. */
export const TaskSyncState = z.object({
  /** The hub's id; null for a task imported on this desk alone (it never syncs). */
  hubId: z.string().nullable(),
  holder: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** False when the hub gave the task to someone else; the desk's own facts stay readable. */
  heldByMe: z.boolean(),
  completedAfterReassignment: z.boolean(),
  /** This task's changes (operations and sends) still only on this desk. */
  pendingOperations: z.number().int(),
});
export type TaskSyncState = z.infer<typeof TaskSyncState>;

const Reason = z.string().trim().min(1).max(500);

export const LeadQueueParams = z.strictObject({
  filter: z.enum(LEAD_QUEUE_FILTERS).default('all'),
  assigneeId: z.uuid().optional(),
  search: z.string().max(100).default(''),
  /** The N of "stuck": no attempt for N days (the hub's default when absent). */
  stuckDays: z.number().int().min(1).max(365).optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(200).default(50),
});
export type LeadQueueParams = z.input<typeof LeadQueueParams>;

/** A lead console answer: live from the hub, or the last synced picture (read-only) when offline. */
const Picture = <T extends z.ZodType>(value: T) =>
  z.object({ live: z.boolean(), asOf: IsoDateTime.nullable(), value: value.nullable() });

export const syncCalls = {
  hubSession: { params: z.strictObject({}), result: HubSessionView },
  hubLogin: {
    params: z.strictObject({
      url: HubUrl.optional(),
      username: z.string().min(1).max(100),
      password: z.string().min(1).max(200),
    }),
    result: HubSessionView,
  },
  hubLogout: { params: z.strictObject({}), result: HubSessionView },
  syncStatus: { params: z.strictObject({}), result: SyncStatus },
  /** Pushes and pulls at once; answers the state after the attempt. */
  syncNow: { params: z.strictObject({}), result: SyncStatus },
  syncRejections: { params: z.strictObject({}), result: z.array(SyncRejection) },
  taskSyncState: { params: z.strictObject({ taskId: Id }), result: TaskSyncState },
  leadQueue: { params: LeadQueueParams, result: Picture(LeadQueuePage) },
  leadLoad: { params: z.strictObject({}), result: Picture(TeamLoad) },
  leadReassign: {
    params: z.strictObject({
      taskIds: z.array(TaskId).min(1).max(5000),
      assigneeId: z.uuid().nullable(),
      reason: Reason,
    }),
    result: BulkResult,
  },
  leadPriority: {
    params: z.strictObject({
      taskIds: z.array(TaskId).min(1).max(5000),
      priority: z.enum(PRIORITIES),
      reason: Reason,
    }),
    result: BulkResult,
  },
  /** Hands pool tasks out round-robin by open load: the given ones, or the whole team pool. */
  leadAutoAssign: {
    params: z.strictObject({ taskIds: z.array(TaskId).min(1).max(5000).optional(), reason: Reason }),
    result: BulkResult,
  },
} as const;

export type SyncCallName = keyof typeof syncCalls;

export const syncEvents = {
  /** The sync state changed (online/offline, queue drained, session ended). */
  syncChanged: SyncStatus,
} as const;
