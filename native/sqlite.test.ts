import { describe, expect, it } from 'vitest';
import BetterSqlite3 from 'better-sqlite3';
import Default, { Database, explainAbiMismatch } from './sqlite';

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

  it('explains an addon built for another runtime, and leaves other errors alone', () => {
    // The message Node gives when dlopen meets an addon of another ABI (here: Electron's).
    const abi = new Error(
      "The module '/app/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\n" +
        'was compiled against a different Node.js version using\nNODE_MODULE_VERSION 145. This version of Node.js requires\n' +
        'NODE_MODULE_VERSION 115. Please try re-compiling or re-installing',
    );
    expect(explainAbiMismatch(abi)).toBe(abi);
    expect(abi.message).toMatch(/NODE_MODULE_VERSION 145[\s\S]*npm rebuild better-sqlite3/);
    const other = new Error('SQLITE_CANTOPEN: unable to open database file');
    explainAbiMismatch(other);
    expect(other.message).toBe('SQLITE_CANTOPEN: unable to open database file');
    expect(explainAbiMismatch('not an error')).toBe('not an error');
  });

  it('passes constructor errors through', () => {
    expect(() => new Database('/nonexistent-dir/x/y.sqlite', { fileMustExist: true })).toThrow(
      /unable to open|directory does not exist|no such file/i,
    );
  });
});
