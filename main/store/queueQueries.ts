import type { SqliteDatabase } from '../../native/sqlite';
import type { QueueCounts, QueueFilter, QueuePage, QueueRow } from '../../common/contract';
import { statementCache } from './statementCache';
import { searchQuery, type SearchQuery } from '../../common/search/searchText';
import { TASK_STATUSES, METHODS, isOneOf } from '../../common/domain/model';

export interface QueueClock {
  /** Today in the desk's time zone, YYYY-MM-DD. */
  today: string;
  /** Now, ISO UTC. */
  now: string;
  /** The end of today in the desk's time zone, ISO UTC (callbacks due today). */
  endOfToday: string;
}

// Must match the index expressions in migration 002 exactly, or SQLite sorts instead of walking.
const DEADLINE_KEY = "coalesce(deadline, '9999-12-31')";
const ORDER_BY = {
  deadline: `${DEADLINE_KEY}, priority_rank, id`,
  priority: `priority_rank, ${DEADLINE_KEY}, id`,
} as const;

const ROW_COLUMNS = `id, case_number AS caseNumber, court, party_name AS partyName, party_role AS partyRole, status,
  method, priority, deadline, callback_at AS callbackAt, attempts, phone_masked AS phoneMasked`;

interface Where {
  sql: string;
  params: Record<string, string>;
}

/** Builds the WHERE clause from fixed fragments; every value is bound, none is spliced in. */
function whereClause(
  filter: QueueFilter,
  search: SearchQuery | null,
  clock: QueueClock,
  sort: keyof typeof ORDER_BY = 'deadline',
): Where {
  const parts: string[] = [];
  const params: Record<string, string> = {};
  if (filter.status) {
    parts.push('status = @status');
    params.status = filter.status;
  }
  if (filter.method) {
    parts.push('method = @method');
    params.method = filter.method;
  }
  // Deadline conditions use the index expression so one index both filters and orders.
  if (filter.due === 'today') {
    parts.push(`open = 1 AND ${DEADLINE_KEY} = @today`);
    params.today = clock.today;
  } else if (filter.due === 'overdue') {
    // Sorted by priority, walking the (open, priority, deadline) index finds the overdue tasks first
    // in each priority; `+` keeps the planner from collecting all of them and sorting instead.
    parts.push(
      sort === 'priority'
        ? `open = 1 AND +${DEADLINE_KEY} < @today`
        : `open = 1 AND ${DEADLINE_KEY} < @today`,
    );
    params.today = clock.today;
  } else if (filter.due === 'callbacks') {
    // Few tasks have a callback: `+open` keeps the planner on the callback index.
    parts.push('callback_at IS NOT NULL AND callback_at <= @endOfToday AND +open = 1');
    params.endOfToday = clock.endOfToday;
  }
  if (search?.kind === 'trigram') {
    parts.push('id IN (SELECT rowid FROM task_search WHERE task_search MATCH @match)');
    params.match = search.match;
  } else if (search?.kind === 'name_bigram') {
    parts.push('id IN (SELECT task_id FROM name_bigrams WHERE gram = @gram)');
    params.gram = search.gram;
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

export function createQueueQueries(db: SqliteDatabase) {
  // A handful of filter shapes, each prepared once.
  const prepared = statementCache(db);
  const countRows = (where: Where) =>
    (prepared(`SELECT count(*) AS n FROM tasks ${where.sql}`).get(where.params) as { n: number }).n;
  // Without a search text, every filter but callbacks is answered from the trigger-kept counts.
  const countByKind = db.prepare<[Record<string, string | null>], { n: number | null }>(
    `SELECT sum(n) AS n FROM task_counts
      WHERE (@status IS NULL OR status = @status) AND (@method IS NULL OR method = @method)
        AND (@due IS NULL OR (open = 1 AND (CASE @due WHEN 'today' THEN deadline = @today ELSE deadline < @today END)))`,
  );
  const count = (filter: QueueFilter, search: SearchQuery | null, where: Where, clock: QueueClock) =>
    !search && filter.due !== 'callbacks'
      ? (countByKind.get({
          status: filter.status ?? null,
          method: filter.method ?? null,
          due: filter.due ?? null,
          today: clock.today,
        })?.n ?? 0)
      : countRows(where);
  const kindCounts = db.prepare<[], { status: string; method: string; n: number }>(
    'SELECT status, method, sum(n) AS n FROM task_counts GROUP BY status, method HAVING sum(n) > 0',
  );

  return {
    /** Every task on the desk, from the trigger-kept counts. */
    total: () => countByKind.get({ status: null, method: null, due: null, today: '' })?.n ?? 0,

    page(
      args: {
        filter: QueueFilter;
        sort: keyof typeof ORDER_BY;
        search: string;
        offset: number;
        limit: number;
      },
      clock: QueueClock,
    ): QueuePage {
      const search = searchQuery(args.search);
      const where = whereClause(args.filter, search, clock, args.sort);
      const rows = prepared(
        `SELECT ${ROW_COLUMNS} FROM tasks ${where.sql} ORDER BY ${ORDER_BY[args.sort]} LIMIT @limit OFFSET @offset`,
      ).all({ ...where.params, limit: args.limit, offset: args.offset }) as QueueRow[];
      // Counted without the sort hint: for a direct count the index range is what makes it fast.
      return { total: count(args.filter, search, whereClause(args.filter, search, clock), clock), rows };
    },

    counts(search: string, clock: QueueClock): QueueCounts {
      const query = searchQuery(search);
      const base = whereClause({}, query, clock);
      const kinds = query
        ? (prepared(
            `SELECT status, method, count(*) AS n FROM tasks ${base.sql} GROUP BY status, method`,
          ).all(base.params) as { status: string; method: string; n: number }[])
        : kindCounts.all();
      const byStatus: QueueCounts['byStatus'] = {};
      const byMethod: QueueCounts['byMethod'] = {};
      for (const { status, method, n } of kinds) {
        if (isOneOf(TASK_STATUSES, status)) byStatus[status] = (byStatus[status] ?? 0) + n;
        if (isOneOf(METHODS, method)) byMethod[method] = (byMethod[method] ?? 0) + n;
      }
      return {
        all: Object.values(byStatus).reduce((a, b) => a + b, 0),
        dueToday: count({ due: 'today' }, query, whereClause({ due: 'today' }, query, clock), clock),
        overdue: count({ due: 'overdue' }, query, whereClause({ due: 'overdue' }, query, clock), clock),
        callbacksDue: countRows(whereClause({ due: 'callbacks' }, query, clock)),
        byStatus,
        byMethod,
      };
    },
  };
}
export type QueueQueries = ReturnType<typeof createQueueQueries>;
