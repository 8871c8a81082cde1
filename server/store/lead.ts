import { DateTime } from 'luxon';
import { DEFAULT_RETRY_POLICY } from '../../common/domain/retryPolicy';
import { applyTaskEvent, isOpen } from '../../common/domain/taskMachine';
import { COURT_TIME_ZONE } from '../../common/domain/time';
import { DISPOSITION_INFO } from '../../common/domain/dispositions';
import { DISPOSITIONS, TASK_STATUSES, type Priority } from '../../common/domain/model';
import type { BulkResult, HubUser, LeadQueueFilter } from '../../common/sync/hubApi';
import type { HubDb, Queryable } from '../db/driver';
import { HubError } from '../errors';
import { teamMembers } from './accounts';
import { recordChanges } from './changes';
import type { TaskRow } from './tasks';

// The lead console's queries and moves. Every move is audited with its reason and recorded as a
// change, so the desks involved (old and new holder) pull it at their next nudge.

const OPEN_STATUSES = TASK_STATUSES.filter(isOpen);
/**
 * The open statuses as a literal list (our own constants, never input): the same predicate as the
 * partial index tasks_team_open_queue (migration 006), which the planner uses only when it can
 * prove it, and a bound parameter cannot be proven.
 */
const IS_OPEN = `t.status IN (${OPEN_STATUSES.map((status) => `'${status}'`).join(', ')})`;
const CONNECTED_DISPOSITIONS = DISPOSITIONS.filter((disposition) => DISPOSITION_INFO[disposition].connected);

/** The team a lead works on: their own; an admin must name an existing one. */
export async function leadTeam(db: Queryable, user: HubUser, teamId?: string): Promise<string> {
  if (user.role === 'admin') {
    if (!teamId) throw new HubError('invalid_request', 'an admin names the team (teamId)');
    const teams = await db.query('SELECT 1 FROM teams WHERE id = $1', [teamId]);
    if (teams.length === 0) throw new HubError('not_found', 'no such team');
    return teamId;
  }
  if (teamId && teamId !== user.teamId) throw new HubError('forbidden', 'this is not your team');
  return user.teamId!;
}

export interface QueueOptions {
  filter: LeadQueueFilter;
  assigneeId?: string;
  search: string;
  stuckDays: number;
  offset: number;
  limit: number;
}

type Bind = (value: unknown) => string;

/** Each filter's condition; `bind` adds a parameter and answers its placeholder. */
const FILTERS: Readonly<Record<LeadQueueFilter, (bind: Bind, options: QueueOptions) => string>> = {
  all: () => 'true',
  unassigned: () => `t.assignee_id IS NULL AND ${IS_OPEN}`,
  escalation_due: (bind) =>
    `${IS_OPEN} AND t.method = 'electronic' AND t.unanswered >= ${bind(DEFAULT_RETRY_POLICY.maxAttempts)}`,
  stuck: (bind, options) =>
    `${IS_OPEN} AND COALESCE(t.last_attempt_at, t.created_at) < now() - make_interval(days => ${bind(options.stuckDays)})`,
  overdue: (bind) =>
    `${IS_OPEN} AND t.deadline < ${bind(DateTime.now().setZone(COURT_TIME_ZONE).toISODate())}::date`,
  callback_missed: () =>
    `${IS_OPEN} AND t.callback_at < now() AND (t.last_attempt_at IS NULL OR t.last_attempt_at < t.callback_at)`,
  completed_after_reassignment: () => 't.completed_after_reassignment',
};

export async function teamQueue(db: Queryable, teamId: string, options: QueueOptions) {
  const params: unknown[] = [];
  const bind: Bind = (value) => {
    params.push(value);
    return `$${params.length}`;
  };
  let where = `t.team_id = ${bind(teamId)} AND ${FILTERS[options.filter](bind, options)}`;
  if (options.assigneeId) where += ` AND t.assignee_id = ${bind(options.assigneeId)}`;
  const search = options.search.trim();
  if (search !== '') {
    const pattern = bind(`%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where += ` AND (t.party_name ILIKE ${pattern} OR t.case_number ILIKE ${pattern})`;
  }
  // "all" without a search: the kept totals (migration 006), not a count of the team's history.
  const [count] =
    options.filter === 'all' && search === ''
      ? await db.query<{ total: number }>(
          `SELECT COALESCE(sum(tasks), 0)::int AS total FROM team_task_counts
            WHERE team_id = $1${options.assigneeId ? ' AND assignee_id = $2' : ''}`,
          options.assigneeId ? [teamId, options.assigneeId] : [teamId],
        )
      : await db.query<{ total: number }>(
          `SELECT count(*)::int AS total FROM tasks t WHERE ${where}`,
          params,
        );
  const page = `LIMIT ${bind(options.limit)} OFFSET ${bind(options.offset)}`;
  const rows = await db.query<{
    id: string;
    case_number: string;
    court: string;
    party_name: string;
    status: TaskRow['status'];
    method: TaskRow['method'];
    priority: Priority;
    deadline: string | null;
    assignee_id: string | null;
    assignee_name: string | null;
    attempts: number;
    last_attempt_at: Date | null;
    callback_at: Date | null;
    completed_after_reassignment: boolean;
  }>(
    `SELECT t.id, t.case_number, t.court, t.party_name, t.status, t.method, t.priority,
            t.deadline::text AS deadline, t.assignee_id, u.display_name AS assignee_name, t.attempts,
            t.last_attempt_at, t.callback_at, t.completed_after_reassignment
       FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id
      WHERE ${where}
      ORDER BY (t.priority = 'urgent') DESC, t.deadline ASC NULLS LAST, t.created_at, t.id
      ${page}`,
    params,
  );
  return {
    total: count?.total ?? 0,
    rows: rows.map((row) => ({
      id: row.id,
      caseNumber: row.case_number,
      court: row.court,
      partyName: row.party_name,
      status: row.status,
      method: row.method,
      priority: row.priority,
      deadline: row.deadline,
      assignee:
        row.assignee_id && row.assignee_name ? { id: row.assignee_id, name: row.assignee_name } : null,
      attempts: row.attempts,
      lastAttemptAt: row.last_attempt_at?.toISOString() ?? null,
      callbackAt: row.callback_at?.toISOString() ?? null,
      completedAfterReassignment: row.completed_after_reassignment,
    })),
  };
}

/** The tasks of `taskIds` in `teamId`, locked; the others are answered as skipped. */
async function lockTeamTasks(tx: Queryable, teamId: string, taskIds: readonly string[]) {
  const rows = await tx.query<TaskRow>(
    `SELECT id, team_id, assignee_id, status, method, priority FROM tasks
      WHERE id = ANY($1::uuid[]) AND team_id = $2 ORDER BY id FOR UPDATE`,
    [[...new Set(taskIds)], teamId],
  );
  const found = new Map(rows.map((row) => [row.id, row]));
  const skipped: BulkResult['skipped'] = [...new Set(taskIds)]
    .filter((id) => !found.has(id))
    .map((taskId) => ({ taskId, reason: 'not a task of this team' }));
  return { tasks: rows, skipped };
}

/** Why `task` cannot go to `assigneeId`, or its status once it has (null: refused, see reason). */
function planAssignment(task: TaskRow, assigneeId: string | null): { status: TaskRow['status'] } | string {
  if (!isOpen(task.status)) return `the task is ${task.status.replaceAll('_', ' ')}`;
  if (task.assignee_id === assigneeId) return 'already so';
  if (assigneeId === null) return { status: task.status };
  const next = applyTaskEvent({ status: task.status, method: task.method }, { type: 'assign' });
  return next.ok ? { status: next.status } : next.reason;
}

interface Assignment {
  task: TaskRow;
  assigneeId: string | null;
  status: TaskRow['status'];
}

/** Writes many assignments in a few set-based statements (a bulk move of 1,000 is one round). */
async function writeAssignments(
  tx: Queryable,
  moves: readonly Assignment[],
  actor: HubUser,
  reason: string,
): Promise<void> {
  if (moves.length === 0) return;
  const ids = moves.map((move) => move.task.id);
  const assignees = moves.map((move) => move.assigneeId);
  await tx.query(
    `UPDATE tasks t SET assignee_id = m.assignee_id, status = m.status, updated_at = now()
       FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS m(id, assignee_id, status)
      WHERE t.id = m.id`,
    [ids, assignees, moves.map((move) => move.status)],
  );
  await tx.query(
    `INSERT INTO task_holders (task_id, user_id)
     SELECT m.id, m.assignee_id FROM unnest($1::uuid[], $2::uuid[]) AS m(id, assignee_id)
      WHERE m.assignee_id IS NOT NULL
     ON CONFLICT DO NOTHING`,
    [ids, assignees],
  );
  await tx.query(
    `INSERT INTO hub_audit (actor_id, action, task_id, details)
     SELECT $1, CASE WHEN m.assignee_id IS NULL THEN 'task.return_to_pool' ELSE 'task.assign' END, m.id,
            jsonb_build_object('from', m.previous, 'to', m.assignee_id, 'reason', $5::text)
       FROM unnest($2::uuid[], $3::uuid[], $4::uuid[]) AS m(id, assignee_id, previous)`,
    [actor.id, ids, assignees, moves.map((move) => move.task.assignee_id), reason],
  );
}

async function checkAssignee(tx: Queryable, teamId: string, assigneeId: string): Promise<void> {
  const members = await tx.query(
    `SELECT 1 FROM users WHERE id = $1 AND team_id = $2 AND NOT disabled AND role IN ('specialist', 'lead')`,
    [assigneeId, teamId],
  );
  if (members.length === 0)
    throw new HubError('invalid_request', 'the assignee is not a member of this team');
}

/** Gives tasks to one member (or back to the pool with null), each with the reason, audited. */
export async function reassign(
  db: HubDb,
  actor: HubUser,
  teamId: string,
  input: { taskIds: readonly string[]; assigneeId: string | null; reason: string },
): Promise<BulkResult> {
  return db.transaction(async (tx) => {
    if (input.assigneeId !== null) await checkAssignee(tx, teamId, input.assigneeId);
    const { tasks, skipped } = await lockTeamTasks(tx, teamId, input.taskIds);
    const moves: Assignment[] = [];
    for (const task of tasks) {
      const plan = planAssignment(task, input.assigneeId);
      if (typeof plan === 'string') skipped.push({ taskId: task.id, reason: plan });
      else moves.push({ task, assigneeId: input.assigneeId, status: plan.status });
    }
    await writeAssignments(tx, moves, actor, input.reason);
    const changed = moves.map((move) => move.task.id);
    await recordChanges(tx, teamId, changed);
    return { updated: changed.length, skipped };
  });
}

/**
 * Hands unassigned open tasks out one at a time to the member with the fewest open tasks (ties:
 * by name), so the team's load evens out. Only specialists receive tasks this way.
 */
export async function autoAssign(
  db: HubDb,
  actor: HubUser,
  teamId: string,
  input: { taskIds?: readonly string[]; reason: string },
): Promise<BulkResult> {
  return db.transaction(async (tx) => {
    const specialists = await tx.query<{ id: string; display_name: string; open: number }>(
      `SELECT u.id, u.display_name,
              (SELECT count(*)::int FROM tasks t WHERE t.assignee_id = u.id AND t.status = ANY($2)) AS open
         FROM users u
        WHERE u.team_id = $1 AND u.role = 'specialist' AND NOT u.disabled
        ORDER BY u.display_name, u.id`,
      [teamId, OPEN_STATUSES],
    );
    if (specialists.length === 0) throw new HubError('conflict', 'the team has no specialists');
    const candidates = input.taskIds
      ? await lockTeamTasks(tx, teamId, input.taskIds)
      : {
          tasks: await tx.query<TaskRow>(
            `SELECT id, team_id, assignee_id, status, method, priority FROM tasks
              WHERE team_id = $1 AND assignee_id IS NULL AND status = ANY($2)
              ORDER BY created_at, id FOR UPDATE`,
            [teamId, OPEN_STATUSES],
          ),
          skipped: [] as BulkResult['skipped'],
        };
    const moves: Assignment[] = [];
    const skipped = candidates.skipped;
    for (const task of candidates.tasks) {
      if (task.assignee_id !== null) {
        skipped.push({ taskId: task.id, reason: 'already assigned' });
        continue;
      }
      const target = specialists.reduce((least, member) => (member.open < least.open ? member : least));
      const plan = planAssignment(task, target.id);
      if (typeof plan === 'string') {
        skipped.push({ taskId: task.id, reason: plan });
        continue;
      }
      target.open += 1;
      moves.push({ task, assigneeId: target.id, status: plan.status });
    }
    await writeAssignments(tx, moves, actor, input.reason);
    const changed = moves.map((move) => move.task.id);
    const assignments = moves.map((move) => ({ taskId: move.task.id, assigneeId: move.assigneeId }));
    await recordChanges(tx, teamId, changed);
    return { updated: changed.length, skipped, assignments };
  });
}

export async function changePriority(
  db: HubDb,
  actor: HubUser,
  teamId: string,
  input: { taskIds: readonly string[]; priority: Priority; reason: string },
): Promise<BulkResult> {
  return db.transaction(async (tx) => {
    const { tasks, skipped } = await lockTeamTasks(tx, teamId, input.taskIds);
    const moving = tasks.filter((task) => task.priority !== input.priority);
    for (const task of tasks) {
      if (task.priority === input.priority) skipped.push({ taskId: task.id, reason: 'already so' });
    }
    const changed = moving.map((task) => task.id);
    if (changed.length > 0) {
      await tx.query('UPDATE tasks SET priority = $2, updated_at = now() WHERE id = ANY($1::uuid[])', [
        changed,
        input.priority,
      ]);
      await tx.query(
        `INSERT INTO hub_audit (actor_id, action, task_id, details)
         SELECT $1, 'task.priority', m.id, jsonb_build_object('from', m.previous, 'to', $4::text, 'reason', $5::text)
           FROM unnest($2::uuid[], $3::text[]) AS m(id, previous)`,
        [actor.id, changed, moving.map((task) => task.priority), input.priority, input.reason],
      );
    }
    await recordChanges(tx, teamId, changed);
    return { updated: changed.length, skipped };
  });
}

/** Each member's day: open tasks, and attempts, connects and consents the hub received today. */
export async function teamLoad(db: Queryable, teamId: string, onlineWindowSeconds: number) {
  const now = DateTime.now().setZone(COURT_TIME_ZONE);
  const dayStart = now.startOf('day').toUTC().toISO()!;
  const members = await teamMembers(db, teamId);
  const stats = await db.query<{
    user_id: string;
    open: number;
    attempts: number;
    connects: number;
    consents: number;
    online: boolean;
  }>(
    `SELECT u.id AS user_id,
            (SELECT count(*)::int FROM tasks t WHERE t.assignee_id = u.id AND t.status = ANY($2)) AS open,
            (SELECT count(*)::int FROM facts f WHERE f.author_id = u.id AND f.kind = 'attempt'
                AND f.received_at >= $3::timestamptz) AS attempts,
            (SELECT count(*)::int FROM facts f WHERE f.author_id = u.id AND f.kind = 'attempt'
                AND f.received_at >= $3::timestamptz AND f.body->>'disposition' = ANY($4)) AS connects,
            (SELECT count(*)::int FROM facts f WHERE f.author_id = u.id AND f.kind = 'consent'
                AND f.received_at >= $3::timestamptz) AS consents,
            EXISTS (SELECT 1 FROM sessions s WHERE s.user_id = u.id AND s.revoked_at IS NULL
                AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => $5)) AS online
       FROM users u WHERE u.team_id = $1 AND NOT u.disabled AND u.role IN ('specialist', 'lead')`,
    [teamId, OPEN_STATUSES, dayStart, CONNECTED_DISPOSITIONS, onlineWindowSeconds],
  );
  const byUser = new Map(stats.map((row) => [row.user_id, row]));
  return {
    today: now.toISODate()!,
    specialists: members.map((member) => {
      const row = byUser.get(member.id);
      return {
        user: { id: member.id, name: member.display_name },
        openTasks: row?.open ?? 0,
        attemptsToday: row?.attempts ?? 0,
        connectsToday: row?.connects ?? 0,
        consentsToday: row?.consents ?? 0,
        online: row?.online ?? false,
      };
    }),
  };
}
