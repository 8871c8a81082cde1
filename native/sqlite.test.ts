import { describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import Default, { Database } from './sqlite';

describe('native/sqlite', () => {
  it('is better-sqlite3: opens a database whose instances are better-sqlite3 databases', () => {
    expect(Default).toBe(Database);
    const db = new Database(':memory:');
    try {
      expect(db).toBeInstanceOf(BetterSqlite3);
      expect(db.prepare('select 1 + 1 as two').get()).toEqual({ two: 2 });
    } finally {
      db.close();
    }
  });

  it('keeps better-sqlite3’s statics and errors', () => {
    expect(Database.SqliteError).toBe(BetterSqlite3.SqliteError);
    const db = new Database(':memory:');
    try {
      expect(() => db.exec('select * from missing')).toThrow(BetterSqlite3.SqliteError);
    } finally {
      db.close();
    }
  });

  it('adds the rebuild hint when the addon was built for another runtime', () => {
    const err = () => new Database(':memory:', { nativeBinding: { not: 'an addon' } as unknown as string });
    // A foreign binding object is not an ABI error: the message stays as better-sqlite3 wrote it.
    expect(err).toThrow();
    try {
      err();
    } catch (e) {
      expect((e as Error).message).not.toMatch(/npm rebuild/);
    }
  });
});
