// The one place that loads better-sqlite3 (a native addon). npm builds it for Node; `npm run dist`
// rebuilds it for Electron's ABI (see native/README.md). Everything else imports it from here.
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;
export type SqliteStatement<P extends unknown[] | {} = unknown[], R = unknown> = Database.Statement<P, R>;
export { Database };
