import { z } from 'zod';
import { DISPOSITIONS, METHODS, PRIORITIES, TASK_STATUSES } from '../domain/model';
import { TaskEventSchema } from '../domain/taskMachine';
import { IntakeTask } from '../intake/taskSchema';
import { MessageView } from './send';
import { LegalEffectSchema } from '../domain/legalEffect';
import { ProofBody, ProofView } from './proof';

// The sync protocol between a desk and the hub (zod schemas + types, parsed on both sides).
//
// PUSH  POST /sync/push  { clientId, operations[] } → { results[], lastMutationId }
//   - A desk writes each local change together with an outbox row holding one operation. The
//     operation carries the record's own id (UUIDv7, made on the desk when the record was made;
//     never renumbered) and a mutation id: 1, 2, 3 … per client, in the order the desk made them.
//   - The hub applies mutation n only after n-1, at most once. A repeated mutation (a retry after
//     a lost answer) gets the answer it got the first time, marked `replayed`.
//   - Every operation gets a result. `applied` and `rejected` are final: the desk drops the outbox
//     row either way (a rejection is permanent and never blocks the operations behind it).
//     `deferred` means "not looked at, send it again" (a gap before it, or the hub failed).
//   - A malformed operation is rejected on its own; the rest of the batch goes on.
// PULL  GET /sync/pull?cursor=…&limit=… → { tasks[], cursor, more }
//   - Task snapshots changed after `cursor`, scoped to what the user may see (a specialist: the
//     tasks they hold or held; a lead: the team's). Start with no cursor; keep the answered one.
//     Pull again at once while `more` is true. A cursor never skips a change.
//   GET /sync/tasks/:taskId answers one snapshot (e.g. a task opened from a notice).
// NOTICES  GET /sync/events (server-sent events): `event: changed` when something the user may see
//   changed, on whichever hub instance it happened — a nudge to pull, nothing more.
// BLOBS  content-addressed by SHA-256 (lowercase hex), resumable, re-hashed on arrival:
//   HEAD  /blobs/:sha256 → 200 present (skip it) | 404 with `upload-offset` = bytes already held
//   PATCH /blobs/:sha256 with `upload-offset`, `upload-length` (total) and the next bytes as
//         application/octet-stream → 200 { offset, complete }; 409 { offset } when the offset is
//         not the hub's; 422 when the completed bytes do not hash to :sha256 (the partial upload
//         is discarded: start again from 0).
//   GET   /blobs/:sha256 → the bytes, when a fact, a document or a portal event (common/sync/send.ts)
//         on a task the user may see refers to it.
// Conflicts: assignment and priority are the hub's (a desk cannot push them); facts are always
// kept, even on a task reassigned meanwhile (the task is then flagged completedAfterReassignment);
// status only moves by common/domain/taskMachine from the hub's current status; nothing is ordered
// by device clocks (`deviceAt` is shown, never compared).

export const SYNC_PROTOCOL_VERSION = 1;

export const UPLOAD_OFFSET_HEADER = 'upload-offset';
export const UPLOAD_LENGTH_HEADER = 'upload-length';
/** Largest chunk a PATCH may carry. */
export const MAX_BLOB_CHUNK_BYTES = 8 * 1024 * 1024;
/** Largest blob (hours of recorded call). */
export const MAX_BLOB_BYTES = 256 * 1024 * 1024;
export const MAX_PUSH_OPERATIONS = 500;
export const MAX_PULL_LIMIT = 500;

export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
/** Ids made where a record is created. */
export const RecordId = z.uuid({ version: 'v7' });
/** Task ids are made by the hub at intake (UUIDv7 too); accepted as any UUID. */
export const TaskId = z.uuid();
const IsoInstant = z.iso.datetime({ offset: true });
const Note = z.string().max(2000);

export const FACT_KINDS = ['attempt', 'call', 'recording', 'consent', 'proof'] as const;
export type FactKind = (typeof FACT_KINDS)[number];

export const AttemptBody = z.strictObject({
  disposition: z.enum(DISPOSITIONS),
  notes: Note.default(''),
  callbackAt: IsoInstant.nullable().default(null),
  phoneMasked: z.string().max(40).nullable().default(null),
});
export const CallBody = z.strictObject({
  attemptId: RecordId.nullable().default(null),
  sipCallId: z.string().max(200).nullable().default(null),
  answered: z.boolean(),
  durationSeconds: z.number().int().min(0).max(86_400),
});
export const RecordingBody = z.strictObject({
  callId: RecordId.nullable().default(null),
  sha256: Sha256Hex,
  bytes: z.number().int().min(0).max(MAX_BLOB_BYTES),
  mimeType: z.string().max(100),
  durationSeconds: z.number().min(0).max(86_400).nullable().default(null),
  /** True when the desk finalised it after a crash or could not repair it: kept as evidence all the same. */
  incomplete: z.boolean().optional(),
});
export const ConsentBody = z.strictObject({
  attemptId: RecordId.nullable().default(null),
  channel: z.enum(['sms', 'email', 'portal', 'other']),
  address: z.string().max(500),
  recordingSha256: Sha256Hex.nullable().default(null),
  /** The desk's clock at the consent (the recording's consent step mark, else the outcome): shown, never compared. */
  consentedAt: IsoInstant.nullable().default(null),
  /** Where in the recording the specialist marked the consent step, in ms; null when not marked. */
  markOffsetMs: z.number().int().min(0).nullable().default(null),
});

const FactRecordFields = {
  type: z.literal('fact.record'),
  opId: RecordId,
  mutationId: z.number().int().positive(),
  taskId: TaskId,
  factId: RecordId,
  /** The desk's clock when the fact was made: shown, never used to order anything. */
  deviceAt: IsoInstant.nullable().default(null),
};

export const FactRecordOperation = z.discriminatedUnion('kind', [
  z.strictObject({ ...FactRecordFields, kind: z.literal('attempt'), body: AttemptBody }),
  z.strictObject({ ...FactRecordFields, kind: z.literal('call'), body: CallBody }),
  z.strictObject({ ...FactRecordFields, kind: z.literal('recording'), body: RecordingBody }),
  z.strictObject({ ...FactRecordFields, kind: z.literal('consent'), body: ConsentBody }),
  /** The desk's proof of service (common/sync/proof.ts): the hub checks, seals and files it. */
  z.strictObject({ ...FactRecordFields, kind: z.literal('proof'), body: ProofBody }),
]);

/** A status change on the desk, replayed on the hub by the task machine. */
export const TaskEventOperation = z.strictObject({
  type: z.literal('task.event'),
  opId: RecordId,
  mutationId: z.number().int().positive(),
  taskId: TaskId,
  event: TaskEventSchema,
  deviceAt: IsoInstant.nullable().default(null),
});

export const SyncOperation = z.discriminatedUnion('type', [FactRecordOperation, TaskEventOperation]);
export type SyncOperation = z.infer<typeof SyncOperation>;
export type SyncOperationInput = z.input<typeof SyncOperation>;

export const PushRequest = z.strictObject({
  clientId: z.uuid(),
  /** Parsed one by one, so that a malformed operation is rejected alone. */
  operations: z
    .array(z.unknown().describe('a SyncOperation (common/sync/protocol.ts)'))
    .min(1)
    .max(MAX_PUSH_OPERATIONS),
});
export type PushRequest = z.infer<typeof PushRequest>;

export const REJECTION_CODES = [
  'malformed', // the operation broke its schema
  'not_found', // no such task
  'forbidden', // the task is not the user's to work on
  'refused', // the task machine said no (e.g. the task is already delivered)
  'hub_decides', // assignment and priority are set on the hub only
  'conflict', // the record id was already used for something else
] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export const OperationResult = z.object({
  /** Null only for an operation too malformed to read its mutation id. */
  mutationId: z.number().int().nullable(),
  opId: z.string().nullable(),
  status: z.enum(['applied', 'rejected', 'deferred']),
  code: z.enum(REJECTION_CODES).optional(),
  message: z.string().optional(),
  /** The answer was given to an earlier push of the same mutation. */
  replayed: z.boolean().optional(),
});
export type OperationResult = z.infer<typeof OperationResult>;

export const PushResponse = z.object({
  results: z.array(OperationResult),
  /** The highest mutation id the hub has settled for this client. */
  lastMutationId: z.number().int(),
});
export type PushResponse = z.infer<typeof PushResponse>;

/** Opaque to desks: send back what the hub answered. */
export const SyncCursor = z.string().regex(/^\d{1,20}:\d{1,20}$/);
export const INITIAL_CURSOR = '0:0';

export const PullQuery = z.strictObject({
  cursor: SyncCursor.default(INITIAL_CURSOR),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(200),
});
export type PullQuery = z.input<typeof PullQuery>;

export const FactView = z.object({
  id: z.string(),
  kind: z.enum(FACT_KINDS),
  authorId: z.string(),
  authorName: z.string(),
  body: z.record(z.string(), z.unknown()),
  blobSha256: Sha256Hex.nullable(),
  blobPresent: z.boolean(),
  deviceAt: z.string().nullable(),
  receivedAt: IsoInstant,
  afterReassignment: z.boolean(),
});
export type FactView = z.infer<typeof FactView>;

export const UserRef = z.object({ id: z.string(), name: z.string() });

export const TaskSnapshot = z.object({
  id: z.string(),
  teamId: z.string(),
  assignee: UserRef.nullable(),
  status: z.enum(TASK_STATUSES),
  method: z.enum(METHODS),
  priority: z.enum(PRIORITIES),
  deadline: z.iso.date().nullable(),
  intake: IntakeTask,
  attempts: z.number().int(),
  lastAttemptAt: IsoInstant.nullable(),
  callbackAt: IsoInstant.nullable(),
  completedAfterReassignment: z.boolean(),
  updatedAt: IsoInstant,
  facts: z.array(FactView),
  /** The messages sent from the hub on this task and their status (common/sync/send.ts); absent from hubs before sending. */
  messages: z.array(MessageView).optional(),
  /** The legal effect of the task's electronic service as the hub last computed it; absent from hubs before it. */
  legalEffect: LegalEffectSchema.nullable().optional(),
  /** The task's latest proof of service and its seal (common/sync/proof.ts); absent from hubs before proofs. */
  proof: ProofView.nullable().optional(),
});
export type TaskSnapshot = z.infer<typeof TaskSnapshot>;

export const PullResponse = z.object({
  tasks: z.array(TaskSnapshot),
  cursor: SyncCursor,
  more: z.boolean(),
});
export type PullResponse = z.infer<typeof PullResponse>;

/** The data of a server-sent `changed` event: pull now. */
export const ChangeNotice = z.object({ taskIds: z.array(z.string()) });
export type ChangeNotice = z.infer<typeof ChangeNotice>;

export const BlobProgress = z.object({ offset: z.number().int().min(0), complete: z.boolean() });
export type BlobProgress = z.infer<typeof BlobProgress>;

/**
 * Whether the desk may drop the outbox row of an operation: applied and rejected are final;
 * deferred (or no answer at all) means send it again, in the same order, with the same ids.
 */
export const isSettled = (result: Pick<OperationResult, 'status'>): boolean => result.status !== 'deferred';
