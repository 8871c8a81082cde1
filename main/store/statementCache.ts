import type { SqliteDatabase } from '../../native/sqlite';

/**
 * Prepares each distinct SQL text once. For queries assembled from fixed fragments (queue filters,
 * task patches), whose values are always bound, never spliced into the text.
 */
export function statementCache(db: SqliteDatabase) {
  const statements = new Map<string, ReturnType<SqliteDatabase['prepare']>>();
  return (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
}
