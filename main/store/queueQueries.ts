import type { SqliteDatabase } from '../../native/sqlite';
import type { QueueCounts, QueueFilter, QueuePage, QueueRow } from '../../common/contract';
import { searchMatchExpression } from '../../common/search/searchText';
import { TASK_STATUSES, METHODS } from '../../common/domain/model';

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
function whereClause(filter: QueueFilter, matchExpr: string | null, clock: QueueClock): Where {
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
  if (filter.due === 'today') {
    parts.push('open = 1 AND deadline = @today');
    params.today = clock.today;
  } else if (filter.due === 'overdue') {
    parts.push('open = 1 AND deadline < @today');
    params.today = clock.today;
  } else if (filter.due === 'callbacks') {
    parts.push('open = 1 AND callback_at IS NOT NULL AND callback_at <= @endOfToday');
    params.endOfToday = clock.endOfToday;
  }
  if (matchExpr) {
    parts.push('id IN (SELECT rowid FROM task_search WHERE task_search MATCH @match)');
    params.match = matchExpr;
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

export function createQueueQueries(db: SqliteDatabase) {
  // Statements are cached per distinct SQL text (a handful of filter shapes).
  const cache = new Map<string, ReturnType<SqliteDatabase['prepare']>>();
  const prepared = (sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
  const count = (where: Where) => (prepared(`SELECT count(*) AS n FROM tasks ${where.sql}`).get(where.params) as { n: number }).n;

  return {
    page(
      args: { filter: QueueFilter; sort: keyof typeof ORDER_BY; search: string; offset: number; limit: number },
      clock: QueueClock,
    ): QueuePage {
      const matchExpr = args.search.trim() ? searchMatchExpression(args.search) : null;
      if (args.search.trim() && !matchExpr) return { total: 0, rows: [] };
      const where = whereClause(args.filter, matchExpr, clock);
      const rows = prepared(
        `SELECT ${ROW_COLUMNS} FROM tasks ${where.sql} ORDER BY ${ORDER_BY[args.sort]} LIMIT @limit OFFSET @offset`,
      ).all({ ...where.params, limit: args.limit, offset: args.offset }) as QueueRow[];
      return { total: count(where), rows };
    },

    counts(search: string, clock: QueueClock): QueueCounts {
      const matchExpr = search.trim() ? searchMatchExpression(search) : null;
      const base = whereClause({}, matchExpr, clock);
      const grouped = (column: 'status' | 'method') =>
        prepared(`SELECT ${column} AS key, count(*) AS n FROM tasks ${base.sql} GROUP BY ${column}`).all(
          base.params,
        ) as { key: string; n: number }[];
      const byStatus: QueueCounts['byStatus'] = {};
      for (const { key, n } of grouped('status')) {
        if ((TASK_STATUSES as readonly string[]).includes(key)) byStatus[key as keyof typeof byStatus] = n;
      }
      const byMethod: QueueCounts['byMethod'] = {};
      for (const { key, n } of grouped('method')) {
        if ((METHODS as readonly string[]).includes(key)) byMethod[key as keyof typeof byMethod] = n;
      }
      return {
        all: Object.values(byStatus).reduce((a, b) => a + b, 0),
        dueToday: count(whereClause({ due: 'today' }, matchExpr, clock)),
        overdue: count(whereClause({ due: 'overdue' }, matchExpr, clock)),
        callbacksDue: count(whereClause({ due: 'callbacks' }, matchExpr, clock)),
        byStatus,
        byMethod,
      };
    },
  };
}
export type QueueQueries = ReturnType<typeof createQueueQueries>;
