// The one place the desk imports better-sqlite3 from. main/store (and anything else that needs
// SQLite) imports from here, never from 'better-sqlite3' directly, so that there is a single seam
// between our code and the compiled addon: under Node (tests, the browser host) it resolves to the
// addon `npm install` built for Node; in the packaged Electron app the same import resolves to the
// copy electron-builder rebuilt for Electron's ABI (see README.md beside this file).
import BetterSqlite3 from 'better-sqlite3';

const ABI_HINT =
  'better-sqlite3 was compiled for another runtime (Node vs Electron). After `npm run dist` the ' +
  'project copy is built for Electron: run `npm rebuild better-sqlite3` to use it from Node again ' +
  '(see native/README.md).';

/** Appends how to fix it to Node's "compiled against a different Node.js version" error. */
export function explainAbiMismatch(err: unknown): unknown {
  if (
    err instanceof Error &&
    /NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(err.message)
  ) {
    err.message = `${err.message}\n${ABI_HINT}`;
  }
  return err;
}

/**
 * The better-sqlite3 constructor: `new Database(file, options)`. Exactly better-sqlite3's, except
 * that an addon built for the wrong runtime fails with a message that says how to fix it.
 */
export const Database: typeof BetterSqlite3 = new Proxy(BetterSqlite3, {
  construct(target, args, newTarget) {
    try {
      return Reflect.construct(target, args, newTarget) as object;
    } catch (err) {
      throw explainAbiMismatch(err);
    }
  },
  apply(target, thisArg, args) {
    try {
      return Reflect.apply(target, thisArg, args) as unknown;
    } catch (err) {
      throw explainAbiMismatch(err);
    }
  },
});
/** An open database (the instance type of `Database`). */
export type Database = BetterSqlite3.Database;
export type SqliteDatabase = BetterSqlite3.Database;
export type SqliteOptions = BetterSqlite3.Options;
export type SqliteStatement<
  BindParameters extends unknown[] | object = unknown[],
  Result = unknown,
> = BetterSqlite3.Statement<BindParameters, Result>;
export type SqliteRunResult = BetterSqlite3.RunResult;

export default Database;
