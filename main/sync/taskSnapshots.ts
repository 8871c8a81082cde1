import type { SqliteDatabase } from '../../native/sqlite';
import { DISPOSITION_INFO } from '../../common/domain/dispositions';
import { DISPOSITIONS, type Disposition } from '../../common/domain/model';
import { isOpen } from '../../common/domain/taskMachine';
import type { TaskSnapshot } from '../../common/sync/protocol';
import type { AuditLog } from '../store/auditLog';
import type { IntakeWriter } from '../store/intakeWriter';
import type { TaskStore } from '../store/taskStore';

// Pulled task snapshots into the local store. The hub decides assignment, priority and deadline;
// status follows the hub unless this desk still has the task's changes queued (then the desk is
// ahead and its own status stands until the hub has them). Facts are only ever added: another
// desk's attempts arrive as attempts; the desk's own never change or vanish.

const COUNTING = DISPOSITIONS.filter((d) => DISPOSITION_INFO[d].countsTowardRetryLimit);
const isDisposition = (value: unknown): value is Disposition =>
  typeof value === 'string' && (DISPOSITIONS as readonly string[]).includes(value);

/**
 * The callback the task waits for: the one its latest attempt asked for. (As on the desk, any
 * later outcome settles an earlier callback; the hub keeps the last one asked for.)
 */
function pendingCallback(s: TaskSnapshot): string | null {
  const last = s.facts.filter((f) => f.kind === 'attempt').at(-1);
  if (!last || last.body.disposition !== 'callback_requested') return null;
  return typeof last.body.callbackAt === 'string' ? last.body.callbackAt : s.callbackAt;
}

export function createSnapshotWriter(
  db: SqliteDatabase,
  deps: {
    tasks: TaskStore;
    audit: AuditLog;
    intake: IntakeWriter;
    /** Each pulled snapshot of a local task, in the same transaction (the messages and effect, main/send). */
    onSnapshot?: (taskId: number, snapshot: TaskSnapshot, at: string) => void;
  },
) {
  const byHubId = db.prepare<
    [string],
    { id: number; status: string; assigneeId: string | null; pending: number }
  >(
    `SELECT t.id, t.status, t.hub_assignee_id AS assigneeId,
            (SELECT count(*) FROM sync_outbox o WHERE o.task_id = t.id) AS pending
       FROM tasks t WHERE t.hub_id = ?`,
  );
  const bySource = db.prepare<[string, string], { id: number; hubId: string | null }>(
    'SELECT id, hub_id AS hubId FROM tasks WHERE source_system = ? AND source_task_id = ?',
  );
  const adopt = db.prepare('UPDATE tasks SET hub_id = ? WHERE id = ?');
  const setHubFields = db.prepare(
    `UPDATE tasks SET priority = @priority, priority_rank = @priorityRank, deadline = @deadline,
            assignee = @assigneeName, hub_assignee_id = @assigneeId,
            completed_after_reassignment = @flagged WHERE id = @id`,
  );
  const knownAttempt = db.prepare<[string], { id: number }>('SELECT id FROM attempts WHERE record_id = ?');
  const insertAttempt = db.prepare(
    `INSERT INTO attempts (task_id, kind, disposition, notes, callback_at, started_at, ended_at, actor, record_id)
     VALUES (@taskId, 'call', @disposition, @notes, @callbackAt, @at, @at, @actor, @recordId)`,
  );
  const countAttempts = db.prepare<unknown[], { n: number }>(
    `SELECT count(*) AS n FROM attempts WHERE task_id = ? AND disposition IN (${COUNTING.map(() => '?').join(', ')})`,
  );

  /** Inserts the tasks this desk has not seen; answers their hub ids. */
  function insertNew(snapshots: readonly TaskSnapshot[], at: string): Set<string> {
    const fresh = snapshots.filter((s) => {
      if (byHubId.get(s.id)) return false;
      const local = bySource.get(s.intake.sourceSystem, s.intake.sourceTaskId);
      if (local && !local.hubId) {
        // The same task imported here before the desk met the hub: it becomes the hub's task.
        adopt.run(s.id, local.id);
        return false;
      }
      return !local;
    });
    if (fresh.length === 0) return new Set();
    deps.intake.writeRows(
      fresh.map((s, index) => ({ row: index + 1, task: s.intake })),
      { importId: 'hub-pull', at, actor: 'hub', fileName: 'hub:pull', fileSha256: null },
    );
    for (const s of fresh) {
      const local = bySource.get(s.intake.sourceSystem, s.intake.sourceTaskId)!;
      adopt.run(s.id, local.id);
    }
    return new Set(fresh.map((s) => s.id));
  }

  function applyOne(s: TaskSnapshot, fresh: boolean, at: string): boolean {
    const local = byHubId.get(s.id);
    if (!local) return false;
    const core = deps.tasks.core(local.id)!;
    const assigneeId = s.assignee?.id ?? null;
    setHubFields.run({
      id: local.id,
      priority: s.priority,
      priorityRank: s.priority === 'urgent' ? 0 : 1,
      deadline: s.deadline,
      assigneeName: s.assignee?.name ?? null,
      assigneeId,
      flagged: s.completedAfterReassignment ? 1 : 0,
    });
    deps.onSnapshot?.(local.id, s, at);
    // A task seen for the first time arrives with its holder; later changes of holder are audited.
    if (!fresh && local.assigneeId !== assigneeId) {
      deps.audit.append({
        at,
        actor: 'hub',
        type: 'task.reassigned',
        taskId: local.id,
        data: { fromUserId: local.assigneeId, toUserId: assigneeId, holder: s.assignee?.name ?? null },
      });
    }
    let addedFacts = 0;
    for (const fact of s.facts) {
      if (fact.kind !== 'attempt' || knownAttempt.get(fact.id)) continue;
      const body = fact.body;
      insertAttempt.run({
        taskId: local.id,
        disposition: isDisposition(body.disposition) ? body.disposition : null,
        notes: typeof body.notes === 'string' ? body.notes : '',
        callbackAt: typeof body.callbackAt === 'string' ? body.callbackAt : null,
        at: fact.deviceAt ?? fact.receivedAt,
        actor: fact.authorName,
        recordId: fact.id,
      });
      addedFacts += 1;
    }
    if (addedFacts > 0) {
      deps.audit.append({
        at,
        actor: 'hub',
        type: 'attempts.synced',
        taskId: local.id,
        data: { count: addedFacts },
      });
    }
    if (local.pending === 0) {
      // Nothing of ours is waiting: the hub's picture is the whole truth for status and counters.
      deps.tasks.update(
        local.id,
        {
          status: s.status,
          method: s.method,
          attempts: countAttempts.get(local.id, ...COUNTING)!.n,
          callbackAt: isOpen(s.status) ? pendingCallback(s) : null,
        },
        at,
      );
      if (core.status !== s.status) {
        deps.audit.append({
          at,
          actor: 'hub',
          type: 'task.synced',
          taskId: local.id,
          data: { from: core.status, to: s.status, method: s.method },
        });
      }
    }
    return true;
  }

  /** Upserts one pulled page in one transaction; answers how many tasks it touched. */
  return db.transaction((snapshots: readonly TaskSnapshot[], at: string): number => {
    const fresh = insertNew(snapshots, at);
    let applied = 0;
    for (const s of snapshots) if (applyOne(s, fresh.has(s.id), at)) applied += 1;
    return applied;
  });
}
export type SnapshotWriter = ReturnType<typeof createSnapshotWriter>;
