import type { SqliteDatabase } from '../../../native/sqlite';

export interface Migration {
  version: number;
  name: string;
  /** Runs inside one transaction with the other pending migrations' steps. SQL never interpolates values. */
  up(db: SqliteDatabase): void;
}
