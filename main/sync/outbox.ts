import { v7 as uuidv7 } from 'uuid';
import type { SqliteDatabase } from '../../native/sqlite';
import type { TaskEvent } from '../../common/domain/taskMachine';
import {
  SyncOperation,
  type FactRecordOperation,
  type OperationResult,
  type RejectionCode,
  type SyncOperationInput,
} from '../../common/sync/protocol';
import type { z } from 'zod';
import type { AttemptBody } from '../../common/sync/protocol';
import type { CallBody, RecordingBody } from '../../common/sync/protocol';
import type { ConsentBody } from '../../common/sync/protocol';
import type { BlobUploads } from './blobUploads';
import { callRecordId } from './recordIds';
import type { ProofBody } from '../../common/sync/proof';

// The outbox: each local change on a hub task writes its sync operation here, in the SAME
// transaction as the change (the writers below refuse to run outside one). Operations carry the
// record's own UUIDv7 and the client's next mutation id; rows leave only when the hub settles
// them (applied, or rejected — then kept in sync_rejections with the hub's code).

type FactRecordInput = z.input<typeof FactRecordOperation>;
/** One kind of fact with its own body (distributed, so a kind never travels with another's body). */
type FactOfKind = FactRecordInput extends infer F
  ? F extends FactRecordInput
    ? Pick<F, 'kind' | 'body'>
    : never
  : never;

export interface OutboxRow {
  mutationId: number;
  taskId: number;
  kind: string;
  operation: SyncOperation;
  bytes: number;
}

export interface SyncClient {
  userId: string;
  clientId: string;
  pullCursor: string;
  lastSyncedAt: string | null;
}

/** What the desk's change paths call; a no-op for tasks that live on this desk alone. */
export interface SyncRecorder {
  taskEvent(taskId: number, event: TaskEvent, at: string): void;
  attemptRecorded(taskId: number, factId: string, body: z.input<typeof AttemptBody>, at: string): void;
  /** The party's consent on a call, per confirmed channel (issue 8); in the transaction that records it. */
  consentRecorded(taskId: number, factId: string, body: z.input<typeof ConsentBody>, at: string): void;
  /** A softphone call ended; its record id is made from its attempt's (recordIds.ts). */
  callEnded(taskId: number, body: z.input<typeof CallBody> & { attemptId: string }, at: string): void;
  /** A recording was finalised; `file` (the evidence copy the body's hash names) is queued for upload. */
  recordingFinalised(
    taskId: number,
    body: z.input<typeof RecordingBody>,
    file: string | null,
    at: string,
  ): void;
  /** A proof of service rendered for the task (main/receipts/proofFiling.ts): the hub seals it. */
  proofFiled?(taskId: number, factId: string, body: z.input<typeof ProofBody>, at: string): void;
}

export function createOutbox(
  db: SqliteDatabase,
  options: {
    currentUserId: () => string | null;
    onEnqueue?: () => void;
    /** Where a recorded file waits for the hub; queued in the transaction of its fact. */
    blobs?: Pick<BlobUploads, 'uploadBlob'>;
  },
) {
  const hubIdOf = db.prepare<[number], { hubId: string | null }>(
    'SELECT hub_id AS hubId FROM tasks WHERE id = ?',
  );
  const clientRow = db.prepare<[string], SyncClient>(
    `SELECT user_id AS userId, client_id AS clientId, pull_cursor AS pullCursor, last_synced_at AS lastSyncedAt
       FROM sync_clients WHERE user_id = ?`,
  );
  const insertClient = db.prepare('INSERT OR IGNORE INTO sync_clients (user_id, client_id) VALUES (?, ?)');
  const takeMutationId = db.prepare<[string], { id: number }>(
    'UPDATE sync_clients SET next_mutation_id = next_mutation_id + 1 WHERE user_id = ? RETURNING next_mutation_id - 1 AS id',
  );
  const insertRow = db.prepare(
    `INSERT INTO sync_outbox (client_id, mutation_id, task_id, kind, operation, created_at)
     VALUES (@clientId, @mutationId, @taskId, @kind, @operation, @at)`,
  );
  const pendingRows = db.prepare<
    [string, number],
    { mutationId: number; taskId: number; kind: string; operation: string }
  >(
    `SELECT mutation_id AS mutationId, task_id AS taskId, kind, operation FROM sync_outbox
      WHERE client_id = ? ORDER BY mutation_id LIMIT ?`,
  );
  const removeRow = db.prepare('DELETE FROM sync_outbox WHERE client_id = ? AND mutation_id = ?');
  const deferRow = db.prepare(
    'UPDATE sync_outbox SET tries = tries + 1, last_error = ? WHERE client_id = ? AND mutation_id = ?',
  );
  const keepRejection = db.prepare(
    `INSERT OR REPLACE INTO sync_rejections (client_id, mutation_id, task_id, kind, operation, code, message, at)
     SELECT client_id, mutation_id, task_id, kind, operation, @code, @message, @at FROM sync_outbox
      WHERE client_id = @clientId AND mutation_id = @mutationId`,
  );
  const totals = db.prepare<[], { n: number; bytes: number }>(
    'SELECT count(*) AS n, coalesce(sum(length(operation)), 0) AS bytes FROM sync_outbox',
  );
  const forTask = db.prepare<[number], { n: number }>(
    'SELECT count(*) AS n FROM sync_outbox WHERE task_id = ?',
  );
  const rejections = db.prepare<[], Record<string, unknown>>(
    `SELECT mutation_id AS mutationId, task_id AS taskId, kind, code, message, at FROM sync_rejections
      ORDER BY at DESC, mutation_id DESC LIMIT 200`,
  );
  const rejectionCount = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM sync_rejections');
  const setCursor = db.prepare(
    'UPDATE sync_clients SET pull_cursor = ?, last_synced_at = ? WHERE client_id = ?',
  );

  const lastTaken = db.prepare<[string], { id: number }>(
    'SELECT next_mutation_id - 1 AS id FROM sync_clients WHERE user_id = ?',
  );

  function client(userId: string): SyncClient {
    // Read first: asked at every sync and status, it writes only once per user (a write here
    // would wait behind an import's chunk).
    const known = clientRow.get(userId);
    if (known) return known;
    insertClient.run(userId, uuidv7());
    return clientRow.get(userId)!;
  }

  /** Queues the operation; false for a task that lives on this desk alone (nothing queued). */
  function enqueue(taskId: number, build: (mutationId: number) => SyncOperationInput, at: string): boolean {
    if (!db.inTransaction) throw new Error('an outbox row is written in the transaction of its change');
    const hubId = hubIdOf.get(taskId)?.hubId;
    if (!hubId) return false; // a task imported on this desk alone: nothing to sync
    const userId = options.currentUserId();
    if (!userId) throw new Error('a change on a hub task needs the signed-in user');
    const { clientId } = client(userId);
    const mutationId = takeMutationId.get(userId)!.id;
    // Our own operation is checked against the protocol before it is queued: a bug fails here,
    // in the transaction of the change, not later on the hub.
    const operation = SyncOperation.parse(build(mutationId));
    const kind = operation.type === 'fact.record' ? operation.kind : `event.${operation.event.type}`;
    insertRow.run({ clientId, mutationId, taskId, kind, operation: JSON.stringify(operation), at });
    if (options.onEnqueue) setImmediate(options.onEnqueue);
    return true;
  }
  const hubTaskId = (taskId: number) => hubIdOf.get(taskId)!.hubId!;
  /** Queues a `fact.record` of one kind with its body (the kind picks the body's schema). */
  const recordFact = (taskId: number, fact: FactOfKind, factId: string, at: string) =>
    enqueue(
      taskId,
      (mutationId) => ({
        type: 'fact.record',
        opId: uuidv7(),
        mutationId,
        taskId: hubTaskId(taskId),
        factId,
        deviceAt: at,
        ...fact,
      }),
      at,
    );

  const recorder: SyncRecorder = {
    taskEvent(taskId, event, at) {
      // Assignment is the hub's to decide: the desk's own "assign" step is not pushed.
      if (event.type === 'assign') return;
      enqueue(
        taskId,
        (mutationId) => ({
          type: 'task.event',
          opId: uuidv7(),
          mutationId,
          taskId: hubTaskId(taskId),
          event,
          deviceAt: at,
        }),
        at,
      );
    },
    attemptRecorded(taskId, factId, body, at) {
      recordFact(taskId, { kind: 'attempt', body }, factId, at);
    },
    consentRecorded(taskId, factId, body, at) {
      recordFact(taskId, { kind: 'consent', body }, factId, at);
    },
    proofFiled(taskId, factId, body, at) {
      recordFact(taskId, { kind: 'proof', body }, factId, at);
    },
    callEnded(taskId, body, at) {
      recordFact(taskId, { kind: 'call', body }, callRecordId(body.attemptId), at);
    },
    recordingFinalised(taskId, body, file, at) {
      const queued = recordFact(taskId, { kind: 'recording', body }, uuidv7(), at);
      // The fact goes first and on its own; the bytes follow when the line allows.
      if (queued && file) options.blobs?.uploadBlob(body.sha256, file, at);
    },
  };

  return {
    recorder,
    client,
    /** The highest mutation id this user's client has taken so far (0 before any): a send goes after it. */
    lastMutationId(userId: string): number {
      client(userId);
      return lastTaken.get(userId)!.id;
    },
    pending(clientId: string, limit: number): OutboxRow[] {
      return pendingRows.all(clientId, limit).map((row) => ({
        mutationId: row.mutationId,
        taskId: row.taskId,
        kind: row.kind,
        operation: SyncOperation.parse(JSON.parse(row.operation)),
        bytes: row.operation.length,
      }));
    },
    /** Applies the hub's answer: applied and rejected rows leave (rejections are kept), deferred stay. */
    settle: db.transaction((clientId: string, results: readonly OperationResult[], at: string) => {
      let settled = 0;
      for (const result of results) {
        if (result.mutationId === null) continue;
        if (result.status === 'deferred') {
          deferRow.run(result.message ?? 'deferred', clientId, result.mutationId);
          continue;
        }
        if (result.status === 'rejected') {
          keepRejection.run({
            clientId,
            mutationId: result.mutationId,
            code: (result.code ?? 'refused') satisfies RejectionCode,
            message: result.message ?? '',
            at,
          });
        }
        settled += removeRow.run(clientId, result.mutationId).changes;
      }
      return settled;
    }),
    totals: () => totals.get()!,
    pendingForTask: (taskId: number) => forTask.get(taskId)!.n,
    rejections: () => rejections.all(),
    rejectionCount: () => rejectionCount.get()!.n,
    saveCursor: (clientId: string, cursor: string, at: string) => setCursor.run(cursor, at, clientId),
  };
}
export type Outbox = ReturnType<typeof createOutbox>;
