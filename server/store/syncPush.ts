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
import { audit, tasksForUser, type TaskRow } from './tasks';

// Applying a desk's pushed operations: per client, in mutation-id order, each at most once, each
// with its own result.
//
// One transaction per push. Its first statement locks the client's row, so two pushes from the
// same client (a retry racing the original, maybe on another hub instance) run one after the
// other and the second sees what the first settled. Every read the batch needs (the tasks, their
// access, the answers of replayed mutations, op ids already used) is made once, up front; each
// operation that writes does so behind its own savepoint, so a database failure undoes that
// operation alone: it and everything after it are deferred, what came before it is kept. The
// results, the client's new position, the facts' sums on their tasks (attempts, callback) and the
// change log are written once, at the end, in the same transaction: an operation is applied
// exactly when its result is stored.
//
// The change log's cursor is the writing transaction's xid (changes.ts), the same for every row
// of the batch, and pulls read only below pg_snapshot_xmin: a long batch cannot be skipped.

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

interface Incoming {
  raw: unknown;
  envelope: z.infer<typeof Envelope> | null;
  op: SyncOperation | null;
}

/** What the batch writes once, at its end. */
interface Settled {
  result: OperationResult;
  /** The op id to reserve in sync_results (null when it is not this operation's to take). */
  opId: string | null;
}

export async function applyPush(
  db: HubDb,
  user: HubUser,
  clientId: string,
  operations: readonly unknown[],
): Promise<PushResponse> {
  return db.transaction(async (tx) => {
    // ON CONFLICT DO UPDATE takes the row lock, on the row's latest committed version.
    const [client] = await tx.query<{ user_id: string; last: number }>(
      `INSERT INTO sync_clients (client_id, user_id) VALUES ($1, $2)
       ON CONFLICT (client_id) DO UPDATE SET updated_at = sync_clients.updated_at
       RETURNING user_id, last_mutation_id AS last`,
      [clientId, user.id],
    );
    if (client?.user_id !== user.id)
      throw new HubError('forbidden', 'this client id belongs to another user');
    return new PushBatch(tx, user, clientId, client.last).run(operations.map(readIncoming));
  });
}

function readIncoming(raw: unknown): Incoming {
  const envelope = Envelope.safeParse(raw);
  if (!envelope.success) return { raw, envelope: null, op: null };
  const op = SyncOperation.safeParse(raw);
  return { raw, envelope: envelope.data, op: op.success ? op.data : null };
}

class PushBatch {
  private readonly results: OperationResult[] = [];
  private readonly settled = new Map<number, Settled>();
  private readonly changed = new Map<string, string[]>();
  private readonly counters = new Map<string, TaskCounters>();
  private tasks = new Map<string, TaskRow | HubError>();
  private stored = new Map<number, OperationResult>();
  private usedOpIds = new Set<string>();
  private blocked = false;

  constructor(
    private readonly tx: Queryable,
    private readonly user: HubUser,
    private readonly clientId: string,
    private last: number,
  ) {}

  async run(incoming: Incoming[]): Promise<PushResponse> {
    await this.readAhead(incoming);
    for (const item of incoming) this.results.push(await this.next(item));
    await this.writeSettled();
    return { results: this.results, lastMutationId: this.last };
  }

  /** The batch's reads, one query each: tasks (locked), earlier answers, op ids already taken. */
  private async readAhead(incoming: Incoming[]): Promise<void> {
    const replays = incoming.flatMap((i) =>
      i.envelope && i.envelope.mutationId <= this.last ? [i.envelope] : [],
    );
    const fresh = incoming.flatMap((i) => (i.op && i.op.mutationId > this.last ? [i.op] : []));
    this.tasks = await tasksForUser(
      this.tx,
      this.user,
      fresh.map((op) => op.taskId),
      true,
    );
    if (replays.length > 0) {
      const rows = await this.tx.query<{ mutation_id: number; result: OperationResult }>(
        'SELECT mutation_id, result FROM sync_results WHERE client_id = $1 AND mutation_id = ANY($2::bigint[])',
        [this.clientId, replays.map((e) => e.mutationId)],
      );
      this.stored = new Map(rows.map((row) => [Number(row.mutation_id), row.result]));
    }
    if (fresh.length > 0) {
      const rows = await this.tx.query<{ op_id: string }>(
        'SELECT op_id FROM sync_results WHERE op_id = ANY($1::uuid[])',
        [fresh.map((op) => op.opId)],
      );
      this.usedOpIds = new Set(rows.map((row) => row.op_id));
    }
  }

  private async next({ raw, envelope, op }: Incoming): Promise<OperationResult> {
    if (!envelope) {
      return {
        mutationId: null,
        opId: null,
        status: 'rejected',
        code: 'malformed',
        message: 'an operation needs a positive integer mutationId',
      };
    }
    const { mutationId } = envelope;
    const opId = envelope.opId ?? null;
    if (this.blocked)
      return { mutationId, opId, status: 'deferred', message: 'an earlier operation was deferred' };
    if (mutationId <= this.last) {
      const earlier = this.settled.get(mutationId)?.result ?? this.stored.get(mutationId);
      return { ...(earlier ?? { mutationId, opId, status: 'applied' }), replayed: true };
    }
    if (mutationId > this.last + 1) {
      this.blocked = true;
      return { mutationId, opId, status: 'deferred', message: `waiting for mutation ${this.last + 1}` };
    }
    let settled: Settled;
    try {
      settled = await this.settle(mutationId, raw, op);
    } catch (error) {
      // Not the operation's fault (the database failed): it and everything after it wait.
      log.error({ err: error, clientId: this.clientId, mutationId }, 'push operation failed');
      this.blocked = true;
      return { mutationId, opId, status: 'deferred', message: 'the hub could not apply it now' };
    }
    this.settled.set(mutationId, settled);
    if (settled.opId) this.usedOpIds.add(settled.opId);
    this.last = mutationId;
    return settled.result;
  }

  /** The operation's final result; its writes, if any, behind a savepoint. */
  private async settle(mutationId: number, raw: unknown, op: SyncOperation | null): Promise<Settled> {
    if (!op) {
      const issue = SyncOperation.safeParse(raw).error?.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      // opId stays null: a malformed one may not even be a UUID, and must not fail the write.
      const message = `${issue?.message ?? 'invalid operation'}${where}`;
      return {
        result: { mutationId, opId: null, status: 'rejected', code: 'malformed', message },
        opId: null,
      };
    }
    const reject = (code: RejectionCode, message: string, reserve = true): Settled => ({
      result: { mutationId, opId: op.opId, status: 'rejected', code, message },
      opId: reserve ? op.opId : null,
    });
    // The op id is someone else's: its result keeps the id, the reservation does not.
    if (this.usedOpIds.has(op.opId)) return reject('conflict', 'opId was already used', false);
    const task = this.tasks.get(op.taskId);
    if (!task) throw new Error(`task ${op.taskId} was not read ahead`);
    if (task instanceof HubError) {
      return reject(task.code === 'not_found' ? 'not_found' : 'forbidden', task.message);
    }
    await this.tx.query('SAVEPOINT operation');
    try {
      if (op.type === 'fact.record') await this.recordFact(task, op);
      else this.tasks.set(task.id, await this.applyEvent(task, op));
    } catch (error) {
      await this.tx.query('ROLLBACK TO SAVEPOINT operation');
      if (!(error instanceof Rejection)) throw error;
      return reject(error.code, error.message);
    }
    const teamTasks = this.changed.get(task.team_id) ?? [];
    if (!teamTasks.includes(task.id)) teamTasks.push(task.id);
    this.changed.set(task.team_id, teamTasks);
    return { result: { mutationId, opId: op.opId, status: 'applied' }, opId: op.opId };
  }

  private async recordFact(task: TaskRow, op: FactOperation): Promise<void> {
    const afterReassignment = heldByOther(task, this.user);
    const blob =
      op.kind === 'recording'
        ? op.body.sha256
        : op.kind === 'consent'
          ? op.body.recordingSha256
          : op.kind === 'proof'
            ? op.body.pdfSha256
            : null;
    const inserted = await this.tx.query(
      // clock_timestamp(), not now(): a batch is one transaction, and its facts keep the order the
      // hub applied them in (now() would give the whole batch one time).
      `INSERT INTO facts (id, task_id, kind, author_id, client_id, body, blob_sha256, device_at, after_reassignment, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, clock_timestamp()) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        op.factId,
        task.id,
        op.kind,
        this.user.id,
        this.clientId,
        JSON.stringify(op.body),
        blob,
        op.deviceAt,
        afterReassignment,
      ],
    );
    if (inserted.length === 0) {
      const [existing] = await this.tx.query<{ task_id: string; kind: string }>(
        'SELECT task_id, kind FROM facts WHERE id = $1',
        [op.factId],
      );
      // The same record sent again from another client of the same desk data: already kept.
      if (existing?.task_id === task.id && existing.kind === op.kind) return;
      throw new Rejection('conflict', 'this record id belongs to another record');
    }
    if (op.kind === 'proof') {
      // Filed here, sealed after the push (server/plugins/proofSealer.ts) once its PDF is uploaded.
      try {
        await fileProof(this.tx, task, op.factId, op.body);
      } catch (error) {
        if (error instanceof ProofConflict) throw new Rejection('conflict', error.message);
        throw error;
      }
    }
    // Nothing can fail after this point: the fact's effect on its task is summed for the batch's end.
    const sum = this.counters.get(task.id) ?? {
      id: task.id,
      attempts: 0,
      unanswered: 0,
      callback_at: null,
      flagged: false,
    };
    sum.flagged ||= afterReassignment;
    if (op.kind === 'attempt') {
      sum.attempts += 1;
      if (DISPOSITION_INFO[op.body.disposition].countsTowardRetryLimit) sum.unanswered += 1;
      if (op.body.disposition === 'callback_requested' && op.body.callbackAt)
        sum.callback_at = op.body.callbackAt;
    }
    this.counters.set(task.id, sum);
  }

  /** The task after the event (the batch's later operations see its new status). */
  private async applyEvent(task: TaskRow, op: EventOperation): Promise<TaskRow> {
    if (op.event.type === 'assign') throw new Rejection('hub_decides', 'assignment is decided on the hub');
    const next = applyTaskEvent({ status: task.status, method: task.method }, op.event);
    if (!next.ok) throw new Rejection('refused', next.reason);
    await this.tx.query(
      `UPDATE tasks SET status = $2, method = $3, updated_at = now(),
              completed_after_reassignment = completed_after_reassignment OR $4
        WHERE id = $1`,
      [task.id, next.status, next.method, heldByOther(task, this.user)],
    );
    await audit(this.tx, {
      actorId: this.user.id,
      action: 'task.transition',
      taskId: task.id,
      details: { event: op.event, from: task.status, to: next.status, opId: op.opId },
    });
    return { ...task, status: next.status, method: next.method };
  }

  /** The results, the client's position and the change log of what was applied: once each. */
  private async writeSettled(): Promise<void> {
    if (this.settled.size === 0) return;
    const rows = [...this.settled].map(([mutationId, { result, opId }]) => ({
      mutation_id: mutationId,
      op_id: opId,
      result,
    }));
    await this.tx.query(
      `INSERT INTO sync_results (client_id, mutation_id, op_id, result)
       SELECT $1, r.mutation_id, r.op_id, r.result
         FROM jsonb_to_recordset($2::text::jsonb) AS r(mutation_id bigint, op_id uuid, result jsonb)`,
      [this.clientId, JSON.stringify(rows)],
    );
    await this.tx.query(
      'UPDATE sync_clients SET last_mutation_id = $2, updated_at = now() WHERE client_id = $1',
      [this.clientId, this.last],
    );
    if (this.counters.size > 0) {
      // The hub's clock, not the desk's: attempts are ordered by when the hub learnt of them.
      await this.tx.query(
        `UPDATE tasks t SET attempts = t.attempts + c.attempts, unanswered = t.unanswered + c.unanswered,
                last_attempt_at = CASE WHEN c.attempts > 0 THEN now() ELSE t.last_attempt_at END,
                callback_at = COALESCE(c.callback_at, t.callback_at), updated_at = now(),
                completed_after_reassignment = t.completed_after_reassignment OR c.flagged
           FROM jsonb_to_recordset($1::text::jsonb)
                AS c(id uuid, attempts int, unanswered int, callback_at timestamptz, flagged boolean)
          WHERE t.id = c.id`,
        [JSON.stringify([...this.counters.values()])],
      );
    }
    for (const [teamId, taskIds] of this.changed) await recordChanges(this.tx, teamId, taskIds);
  }
}

/** The author no longer holds the task: their offline work is kept and the lead is told. */
const heldByOther = (task: TaskRow, user: HubUser) =>
  user.role === 'specialist' && task.assignee_id !== user.id;

/** What a batch's facts did to one task: its attempt counters, the last callback asked for, the flag. */
interface TaskCounters {
  id: string;
  attempts: number;
  unanswered: number;
  callback_at: string | null;
  flagged: boolean;
}

type FactOperation = Extract<SyncOperation, { type: 'fact.record' }>;
type EventOperation = Extract<SyncOperation, { type: 'task.event' }>;
