import type { LegalEffect } from '../../common/domain/legalEffect';
import type { Method, Priority, TaskStatus } from '../../common/domain/model';
import type { IntakeTask } from '../../common/intake/taskSchema';
import type { HubUser } from '../../common/sync/hubApi';
import type { FactKind, FactView, TaskSnapshot } from '../../common/sync/protocol';
import type { Queryable } from '../db/driver';
import { HubError } from '../errors';
import { messageViewsByTask } from './messages';
import { proofViewsByTask } from './proofs';

// Reading tasks as a user may see them. The team check lives here, once: every route and every
// sync operation that touches a task goes through taskForUser or a query filtered the same way.

export interface TaskRow {
  id: string;
  team_id: string;
  assignee_id: string | null;
  status: TaskStatus;
  method: Method;
  priority: Priority;
}

/**
 * The task if `user` may work on it: admins any, leads their team's, specialists the tasks they
 * hold or held (a former holder still reports facts made offline). `lock` takes a row lock.
 */
export async function taskForUser(
  tx: Queryable,
  user: HubUser,
  taskId: string,
  lock = false,
): Promise<TaskRow> {
  const rows = await tx.query<TaskRow & { held: boolean }>(
    `SELECT t.id, t.team_id, t.assignee_id, t.status, t.method, t.priority,
            EXISTS (SELECT 1 FROM task_holders h WHERE h.task_id = t.id AND h.user_id = $2) AS held
       FROM tasks t WHERE t.id = $1${lock ? ' FOR UPDATE OF t' : ''}`,
    [taskId, user.id],
  );
  const row = rows[0];
  if (!row) throw new HubError('not_found', 'no such task');
  return allowed(user, row);
}

function allowed(user: HubUser, row: TaskRow & { held: boolean }): TaskRow {
  const sameTeam = user.role === 'admin' || row.team_id === user.teamId;
  if (!sameTeam || (user.role === 'specialist' && !row.held)) {
    throw new HubError('forbidden', 'this task is not yours to see');
  }
  const { id, team_id, assignee_id, status, method, priority } = row;
  return { id, team_id, assignee_id, status, method, priority };
}

/**
 * taskForUser for many tasks in one query: each id answers its row or the HubError taskForUser
 * would throw. `lock` takes the row locks in id order (two batches never wait on each other crosswise).
 */
export async function tasksForUser(
  tx: Queryable,
  user: HubUser,
  taskIds: readonly string[],
  lock = false,
): Promise<Map<string, TaskRow | HubError>> {
  const answers = new Map<string, TaskRow | HubError>();
  if (taskIds.length === 0) return answers;
  const rows = await tx.query<TaskRow & { held: boolean }>(
    `SELECT t.id, t.team_id, t.assignee_id, t.status, t.method, t.priority,
            EXISTS (SELECT 1 FROM task_holders h WHERE h.task_id = t.id AND h.user_id = $2) AS held
       FROM tasks t WHERE t.id = ANY($1::uuid[]) ORDER BY t.id${lock ? ' FOR UPDATE OF t' : ''}`,
    [[...new Set(taskIds)], user.id],
  );
  for (const row of rows) {
    try {
      answers.set(row.id, allowed(user, row));
    } catch (error) {
      answers.set(row.id, error as HubError);
    }
  }
  for (const id of taskIds) if (!answers.has(id)) answers.set(id, new HubError('not_found', 'no such task'));
  return answers;
}

interface SnapshotRow extends TaskRow {
  intake: IntakeTask;
  deadline: string | null;
  attempts: number;
  last_attempt_at: Date | null;
  callback_at: Date | null;
  completed_after_reassignment: boolean;
  updated_at: Date;
  assignee_name: string | null;
}

interface FactRow {
  id: string;
  task_id: string;
  kind: FactKind;
  author_id: string;
  author_name: string;
  body: Record<string, unknown>;
  blob_sha256: string | null;
  blob_present: boolean;
  device_at: string | null;
  received_at: Date;
  after_reassignment: boolean;
}

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

/** Full snapshots (with every fact) of the given tasks, in the order of `taskIds`. */
export async function taskSnapshots(db: Queryable, taskIds: readonly string[]): Promise<TaskSnapshot[]> {
  if (taskIds.length === 0) return [];
  const ids = [...taskIds];
  const rows = await db.query<SnapshotRow>(
    `SELECT t.id, t.team_id, t.assignee_id, t.status, t.method, t.priority, t.intake,
            t.deadline::text AS deadline, t.attempts, t.last_attempt_at, t.callback_at,
            t.completed_after_reassignment, t.updated_at, u.display_name AS assignee_name
       FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id
      WHERE t.id = ANY($1::uuid[])`,
    [ids],
  );
  const facts = await db.query<FactRow>(
    `SELECT f.id, f.task_id, f.kind, f.author_id, a.display_name AS author_name, f.body,
            f.blob_sha256, (b.sha256 IS NOT NULL) AS blob_present, f.device_at, f.received_at,
            f.after_reassignment
       FROM facts f JOIN users a ON a.id = f.author_id LEFT JOIN blobs b ON b.sha256 = f.blob_sha256
      WHERE f.task_id = ANY($1::uuid[])
      ORDER BY f.received_at, f.id`,
    [ids],
  );
  const factsByTask = new Map<string, FactView[]>();
  for (const fact of facts) {
    const list = factsByTask.get(fact.task_id) ?? [];
    list.push({
      id: fact.id,
      kind: fact.kind,
      authorId: fact.author_id,
      authorName: fact.author_name,
      body: fact.body,
      blobSha256: fact.blob_sha256,
      blobPresent: fact.blob_present,
      deviceAt: fact.device_at,
      receivedAt: fact.received_at.toISOString(),
      afterReassignment: fact.after_reassignment,
    });
    factsByTask.set(fact.task_id, list);
  }
  const messagesByTask = await messageViewsByTask(db, ids);
  const effects = await db.query<{ task_id: string; effect: LegalEffect }>(
    'SELECT task_id, effect FROM delivery_effects WHERE task_id = ANY($1::uuid[])',
    [ids],
  );
  const effectByTask = new Map(effects.map((row) => [row.task_id, row.effect]));
  const proofsByTask = await proofViewsByTask(db, ids);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [
      {
        id: row.id,
        teamId: row.team_id,
        assignee:
          row.assignee_id && row.assignee_name ? { id: row.assignee_id, name: row.assignee_name } : null,
        status: row.status,
        method: row.method,
        priority: row.priority,
        deadline: row.deadline,
        intake: row.intake,
        attempts: row.attempts,
        lastAttemptAt: iso(row.last_attempt_at),
        callbackAt: iso(row.callback_at),
        completedAfterReassignment: row.completed_after_reassignment,
        updatedAt: row.updated_at.toISOString(),
        facts: factsByTask.get(id) ?? [],
        messages: messagesByTask.get(id) ?? [],
        legalEffect: effectByTask.get(id) ?? null,
        proof: proofsByTask.get(id) ?? null,
      },
    ];
  });
}

export async function audit(
  tx: Queryable,
  entry: { actorId: string | null; action: string; taskId?: string | null; details?: unknown },
): Promise<void> {
  await tx.query('INSERT INTO hub_audit (actor_id, action, task_id, details) VALUES ($1, $2, $3, $4)', [
    entry.actorId,
    entry.action,
    entry.taskId ?? null,
    JSON.stringify(entry.details ?? {}),
  ]);
}
