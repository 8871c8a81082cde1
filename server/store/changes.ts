import { z } from 'zod';
import type { HubUser } from '../../common/sync/hubApi';
import { INITIAL_CURSOR } from '../../common/sync/protocol';
import type { Queryable } from '../db/driver';

// The change log behind pulls and notices. Every write that changes what a desk may see calls
// recordChanges in its own transaction; the NOTIFY it sends is delivered only if that commits,
// to every hub instance listening on the same database.

export const CHANGE_CHANNEL = 'hub_changes';
/** NOTIFY payloads are capped at 8000 bytes: a bulk change names its first tasks only. */
const NOTICE_TASK_IDS = 100;
/** …and the users who hold or held the tasks, up to this many (beyond it, the whole team hears). */
const NOTICE_USER_IDS = 60;

export const ChangePayload = z.object({
  teamId: z.string(),
  taskIds: z.array(z.string()),
  /** Who holds or held the changed tasks: the specialists concerned. Absent: all of the team's. */
  userIds: z.array(z.string()).optional(),
});
export type ChangePayload = z.infer<typeof ChangePayload>;

export async function recordChanges(
  tx: Queryable,
  teamId: string,
  taskIds: readonly string[],
): Promise<void> {
  if (taskIds.length === 0) return;
  await tx.query('INSERT INTO changes (team_id, task_id) SELECT $1, unnest($2::uuid[])', [teamId, taskIds]);
  // Read in the writing transaction: a task just assigned has its new holder here already.
  const holders = await tx.query<{ user_id: string }>(
    'SELECT DISTINCT user_id FROM task_holders WHERE task_id = ANY($1::uuid[]) LIMIT $2',
    [taskIds, NOTICE_USER_IDS + 1],
  );
  const payload: ChangePayload = {
    teamId,
    taskIds: taskIds.slice(0, NOTICE_TASK_IDS),
    ...(holders.length <= NOTICE_USER_IDS ? { userIds: holders.map((h) => h.user_id) } : {}),
  };
  await tx.query('SELECT pg_notify($1, $2)', [CHANGE_CHANNEL, JSON.stringify(payload)]);
}

const parseCursor = (cursor: string): [string, string] => {
  const [xid, seq] = cursor.split(':');
  return [xid ?? '0', seq ?? '0'];
};

const compareCursor = (a: { xid: string; seq: number }, b: { xid: string; seq: number }): number => {
  const byXid = BigInt(a.xid) - BigInt(b.xid);
  return byXid !== 0n ? (byXid < 0n ? -1 : 1) : a.seq - b.seq;
};

/**
 * The next task ids changed after `cursor` that `user` may see, in change order, and the cursor
 * after them. Only changes of transactions below the snapshot's xmin are read (see migration 003),
 * so a transaction still running cannot commit a change behind the answered cursor.
 *
 * When the page is not full, the cursor also moves past the team's changes the user may not see
 * (another specialist's tasks), so they are not scanned again at every pull. Both parts read the
 * same statement snapshot, so nothing can commit between them.
 */
export async function changedTasksAfter(
  db: Queryable,
  user: HubUser,
  cursor: string,
  limit: number,
): Promise<{ taskIds: string[]; cursor: string; more: boolean }> {
  const [xid, seq] = parseCursor(cursor === '' ? INITIAL_CURSOR : cursor);
  const params: unknown[] = [xid, seq, limit + 1];
  let team = '';
  if (user.role !== 'admin') {
    params.push(user.teamId);
    team = ` AND c.team_id = $${params.length}`;
  }
  let holder = '';
  if (user.role === 'specialist') {
    params.push(user.id);
    holder = ` AND EXISTS (SELECT 1 FROM task_holders h WHERE h.task_id = c.task_id AND h.user_id = $${params.length})`;
  }
  const after = `(c.xid, c.seq) > ($1::text::xid8, $2::bigint) AND c.xid < (SELECT xmin FROM horizon)`;
  const rows = await db.query<{ part: 'page' | 'top'; xid: string; seq: number; task_id: string | null }>(
    `WITH horizon AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
     page AS (
       SELECT c.xid, c.seq, c.task_id FROM changes c
        WHERE ${after}${team}${holder}
        ORDER BY c.xid, c.seq LIMIT $3
     ), top AS (
       SELECT c.xid, c.seq FROM changes c
        WHERE ${after}${team}
        ORDER BY c.xid DESC, c.seq DESC LIMIT 1
     )
     SELECT 'page' AS part, xid::text AS xid, seq, task_id FROM page
     UNION ALL
     SELECT 'top' AS part, xid::text AS xid, seq, NULL::uuid AS task_id FROM top`,
    params,
  );
  const found = rows.filter((row) => row.part === 'page').sort(compareCursor);
  const more = found.length > limit;
  const page = more ? found.slice(0, limit) : found;
  const top = rows.find((row) => row.part === 'top');
  const last = more ? page.at(-1) : (top ?? page.at(-1));
  const taskIds = [...new Set(page.map((row) => row.task_id!))];
  return { taskIds, cursor: last ? `${last.xid}:${last.seq}` : `${xid}:${seq}`, more };
}
