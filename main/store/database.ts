import { Database, type SqliteDatabase } from '../../native/sqlite';
import { MIGRATIONS, type Migration } from './migrations';

export interface OpenOptions {
  /** Stop at this version (tests of a single migration). Defaults to the newest. */
  targetVersion?: number;
  migrations?: readonly Migration[];
}

/**
 * Opens (or creates) the desk database: WAL so the UI can read while main writes, foreign keys on,
 * synchronous=NORMAL (durable across app crashes in WAL mode; a power cut loses at most the last
 * transaction, never corrupts), then applies pending migrations.
 */
export function openDatabase(path: string, options: OpenOptions = {}): SqliteDatabase {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // 64 MiB of page cache: a 100,000-task import touches every index without re-reading pages.
  db.pragma('cache_size = -65536');
  migrate(db, options);
  return db;
}

export function schemaVersion(db: SqliteDatabase): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: SqliteDatabase, options: OpenOptions = {}): void {
  const migrations = options.migrations ?? MIGRATIONS;
  const target = options.targetVersion ?? migrations.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > (migrations.at(-1)?.version ?? 0)) {
    throw new Error(`database schema version ${current} is newer than this app knows; update the app`);
  }
  const pending = migrations.filter((m) => m.version > current && m.version <= target);
  if (pending.length === 0) return;
  db.transaction(() => {
    for (const migration of pending) {
      migration.up(db);
      // user_version cannot be bound; the value is our own integer constant.
      db.pragma(`user_version = ${Math.trunc(migration.version)}`);
    }
  })();
}
