import { z } from 'zod';
import { DISPOSITION_INFO } from '../../common/domain/dispositions';
import { applyTaskEvent } from '../../common/domain/taskMachine';
import type { HubUser } from '../../common/sync/hubApi';
import {
  SyncOperation,
  type OperationResult,
  type PushResponse,
  type RejectionCode,
} from '../../common/sync/protocol';
import type { HubDb, Queryable } from '../db/driver';
import { HubError } from '../errors';
import { createLogger } from '../logger';
import { recordChanges } from './changes';
import { fileProof, ProofConflict } from './proofs';
import { audit, taskForUser, type TaskRow } from './tasks';

// Applying a desk's pushed operations: per client, in mutation-id order, each at most once, each
// with its own result. One transaction per operation holds the client's row lock, so two pushes
// from the same client (a retry racing the original) cannot both apply a mutation.

const log = createLogger('sync');

/** A permanent "no" for one operation: recorded as its result, the queue goes on. */
class Rejection extends Error {
  constructor(
    readonly code: RejectionCode,
    message: string,
  ) {
    super(message);
  }
}

/** Enough of an operation to place it in the client's sequence, even when the rest is malformed. */
const Envelope = z.object({ mutationId: z.number().int().positive(), opId: z.string().max(100).optional() });

export async function applyPush(
  db: HubDb,
  user: HubUser,
  clientId: string,
  operations: readonly unknown[],
): Promise<PushResponse> {
  const owner = await db.query<{ user_id: string }>(
    `INSERT INTO sync_clients (client_id, user_id) VALUES ($1, $2)
     ON CONFLICT (client_id) DO UPDATE SET updated_at = sync_clients.updated_at RETURNING user_id`,
    [clientId, user.id],
  );
  if (owner[0]?.user_id !== user.id)
    throw new HubError('forbidden', 'this client id belongs to another user');

  const results: OperationResult[] = [];
  let blocked = false;
  for (const raw of operations) {
    const envelope = Envelope.safeParse(raw);
    if (!envelope.success) {
      results.push({
        mutationId: null,
        opId: null,
        status: 'rejected',
        code: 'malformed',
        message: 'an operation needs a positive integer mutationId',
      });
      continue;
    }
    const { mutationId } = envelope.data;
    const opId = envelope.data.opId ?? null;
    if (blocked) {
      results.push({ mutationId, opId, status: 'deferred', message: 'an earlier operation was deferred' });
      continue;
    }
    try {
      const result = await db.transaction((tx) => applyOne(tx, user, clientId, mutationId, raw));
      if (result.status === 'deferred') blocked = true;
      results.push(result);
    } catch (error) {
      // Not the operation's fault (the database failed): it and everything after it wait.
      log.error({ err: error, clientId, mutationId }, 'push operation failed');
      blocked = true;
      results.push({ mutationId, opId, status: 'deferred', message: 'the hub could not apply it now' });
    }
  }
  const [client] = await db.query<{ last: number }>(
    'SELECT last_mutation_id AS last FROM sync_clients WHERE client_id = $1',
    [clientId],
  );
  return { results, lastMutationId: client?.last ?? 0 };
}

async function applyOne(
  tx: Queryable,
  user: HubUser,
  clientId: string,
  mutationId: number,
  raw: unknown,
): Promise<OperationResult> {
  const [client] = await tx.query<{ last: number }>(
    'SELECT last_mutation_id AS last FROM sync_clients WHERE client_id = $1 FOR UPDATE',
    [clientId],
  );
  const last = client?.last ?? 0;
  const opId = Envelope.parse(raw).opId ?? null;
  if (mutationId <= last) {
    const [stored] = await tx.query<{ result: OperationResult }>(
      'SELECT result FROM sync_results WHERE client_id = $1 AND mutation_id = $2',
      [clientId, mutationId],
    );
    return { ...(stored?.result ?? { mutationId, opId, status: 'applied' }), replayed: true };
  }
  if (mutationId > last + 1) {
    return { mutationId, opId, status: 'deferred', message: `waiting for mutation ${last + 1}` };
  }

  const result = await settle(tx, user, clientId, mutationId, raw);
  await tx.query('INSERT INTO sync_results (client_id, mutation_id, op_id, result) VALUES ($1, $2, $3, $4)', [
    clientId,
    mutationId,
    result.opId,
    JSON.stringify(result),
  ]);
  await tx.query('UPDATE sync_clients SET last_mutation_id = $2, updated_at = now() WHERE client_id = $1', [
    clientId,
    mutationId,
  ]);
  return result;
}

/** Applies the operation behind a savepoint; a rejection undoes its writes and is its result. */
async function settle(
  tx: Queryable,
  user: HubUser,
  clientId: string,
  mutationId: number,
  raw: unknown,
): Promise<OperationResult> {
  const parsed = SyncOperation.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? ` at ${first.path.join('.')}` : '';
    // opId stays null: a malformed one may not even be a UUID, and must not fail the write below.
    return {
      mutationId,
      opId: null,
      status: 'rejected',
      code: 'malformed',
      message: `${first?.message ?? 'invalid operation'}${where}`,
    };
  }
  const op = parsed.data;
  const used = await tx.query('SELECT 1 FROM sync_results WHERE op_id = $1', [op.opId]);
  if (used.length > 0) {
    return {
      mutationId,
      opId: op.opId,
      status: 'rejected',
      code: 'conflict',
      message: 'opId was already used',
    };
  }
  await tx.query('SAVEPOINT operation');
  try {
    const task = await accessibleTask(tx, user, op.taskId);
    if (op.type === 'fact.record') await recordFact(tx, user, clientId, task, op);
    else await applyEvent(tx, user, task, op);
    await recordChanges(tx, task.team_id, [task.id]);
    return { mutationId, opId: op.opId, status: 'applied' };
  } catch (error) {
    if (!(error instanceof Rejection)) throw error;
    await tx.query('ROLLBACK TO SAVEPOINT operation');
    return { mutationId, opId: op.opId, status: 'rejected', code: error.code, message: error.message };
  }
}

async function accessibleTask(tx: Queryable, user: HubUser, taskId: string): Promise<TaskRow> {
  try {
    return await taskForUser(tx, user, taskId, true);
  } catch (error) {
    if (error instanceof HubError && (error.code === 'not_found' || error.code === 'forbidden')) {
      throw new Rejection(error.code, error.message);
    }
    throw error;
  }
}

/** The author no longer holds the task: their offline work is kept and the lead is told. */
const heldByOther = (task: TaskRow, user: HubUser) =>
  user.role === 'specialist' && task.assignee_id !== user.id;

async function markAfterReassignment(tx: Queryable, task: TaskRow, user: HubUser): Promise<boolean> {
  if (!heldByOther(task, user)) return false;
  await tx.query('UPDATE tasks SET completed_after_reassignment = true WHERE id = $1', [task.id]);
  return true;
}

type FactOperation = Extract<SyncOperation, { type: 'fact.record' }>;

async function recordFact(
  tx: Queryable,
  user: HubUser,
  clientId: string,
  task: TaskRow,
  op: FactOperation,
): Promise<void> {
  const existing = await tx.query<{ task_id: string; kind: string }>(
    'SELECT task_id, kind FROM facts WHERE id = $1',
    [op.factId],
  );
  if (existing[0]) {
    // The same record sent again from another client of the same desk data: already kept.
    if (existing[0].task_id === task.id && existing[0].kind === op.kind) return;
    throw new Rejection('conflict', 'this record id belongs to another record');
  }
  const afterReassignment = await markAfterReassignment(tx, task, user);
  const blob =
    op.kind === 'recording'
      ? op.body.sha256
      : op.kind === 'consent'
        ? op.body.recordingSha256
        : op.kind === 'proof'
          ? op.body.pdfSha256
          : null;
  await tx.query(
    `INSERT INTO facts (id, task_id, kind, author_id, client_id, body, blob_sha256, device_at, after_reassignment)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      op.factId,
      task.id,
      op.kind,
      user.id,
      clientId,
      JSON.stringify(op.body),
      blob,
      op.deviceAt,
      afterReassignment,
    ],
  );
  if (op.kind === 'proof') {
    // Filed here, sealed after the push (server/plugins/proofSealer.ts) once its PDF is uploaded.
    try {
      await fileProof(tx, task, op.factId, op.body);
    } catch (error) {
      if (error instanceof ProofConflict) throw new Rejection('conflict', error.message);
      throw error;
    }
  }
  if (op.kind === 'attempt') {
    // The hub's clock, not the desk's: attempts are ordered by when the hub learnt of them.
    const unanswered = DISPOSITION_INFO[op.body.disposition].countsTowardRetryLimit ? 1 : 0;
    const callbackAt = op.body.disposition === 'callback_requested' ? op.body.callbackAt : null;
    await tx.query(
      `UPDATE tasks SET attempts = attempts + 1, unanswered = unanswered + $2, last_attempt_at = now(),
              callback_at = COALESCE($3::timestamptz, callback_at), updated_at = now()
        WHERE id = $1`,
      [task.id, unanswered, callbackAt],
    );
  } else {
    await tx.query('UPDATE tasks SET updated_at = now() WHERE id = $1', [task.id]);
  }
}

type EventOperation = Extract<SyncOperation, { type: 'task.event' }>;

async function applyEvent(tx: Queryable, user: HubUser, task: TaskRow, op: EventOperation): Promise<void> {
  if (op.event.type === 'assign') throw new Rejection('hub_decides', 'assignment is decided on the hub');
  const next = applyTaskEvent({ status: task.status, method: task.method }, op.event);
  if (!next.ok) throw new Rejection('refused', next.reason);
  await markAfterReassignment(tx, task, user);
  await tx.query('UPDATE tasks SET status = $2, method = $3, updated_at = now() WHERE id = $1', [
    task.id,
    next.status,
    next.method,
  ]);
  await audit(tx, {
    actorId: user.id,
    action: 'task.transition',
    taskId: task.id,
    details: { event: op.event, from: task.status, to: next.status, opId: op.opId },
  });
}
