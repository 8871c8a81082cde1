import type { SqliteDatabase } from '../../native/sqlite';

// Two connections write the desk database while an import runs: main (a specialist's actions) and
// the import worker (chunks). SQLite serialises them, but its busy handler polls at up to 100 ms
// intervals, while the worker takes the lock again a moment after each commit: main would starve
// until busy_timeout. The gate is a counter in shared memory: main raises it around each write
// transaction, and the worker ends its chunk early and waits while it is raised. So a
// specialist's action waits at most for one row and one poll, never for a whole import.

const WAITING = 0;

/** Main's side: runs write transactions ahead of any import's next chunk. */
export interface WriteGate {
  /** Handed to an import worker (workerData), which waits on it. */
  readonly shared: SharedArrayBuffer;
  /** `fn` in a BEGIN IMMEDIATE transaction, with importers held back meanwhile. */
  write<T>(fn: () => T): T;
}

export function createWriteGate(db: SqliteDatabase): WriteGate {
  const shared = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const waiting = new Int32Array(shared);
  return {
    shared,
    write<T>(fn: () => T): T {
      Atomics.add(waiting, WAITING, 1);
      try {
        return db.transaction(fn).immediate();
      } finally {
        Atomics.sub(waiting, WAITING, 1);
        Atomics.notify(waiting, WAITING);
      }
    },
  };
}

/** The importer's side of a gate. */
export interface ImporterGate {
  /** True while main wants to write: end the chunk now. */
  mainWaiting(): boolean;
  /** Blocks (a worker thread may) until main has no write pending. */
  waitForMain(): void;
}

export function importerGate(shared: SharedArrayBuffer): ImporterGate {
  const waiting = new Int32Array(shared);
  return {
    mainWaiting: () => Atomics.load(waiting, WAITING) > 0,
    waitForMain() {
      for (let n = Atomics.load(waiting, WAITING); n > 0; n = Atomics.load(waiting, WAITING)) {
        // Woken by main's notify; the timeout only bounds a missed wake-up.
        Atomics.wait(waiting, WAITING, n, 50);
      }
    },
  };
}

/** For an importer that shares main's thread (in-memory database, CLI): nothing to wait for. */
export const NO_GATE: ImporterGate = { mainWaiting: () => false, waitForMain: () => undefined };
