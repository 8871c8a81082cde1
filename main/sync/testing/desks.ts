import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validTaskInput } from '../../../common/intake/intakeFixtures';
import type { DeskCallName, DeskParams, DeskValue } from '../../../common/contract';
import type { DeskBackend } from '../../api/dispatcher';
import { openDesk, type OpenDeskOptions } from '../../app/openDesk';
import { Database } from '../../../native/sqlite';

/** A desk back end on a real SQLite file, working with the hub at `hubUrl`. */
export function openTestDesk(
  hubUrl: string,
  dir = mkdtempSync(join(tmpdir(), 'desk-sync-')),
  options: Pick<OpenDeskOptions, 'importChunks'> = {},
) {
  const backend = openDesk({
    dataDir: dir,
    dbPath: join(dir, 'desk.sqlite'),
    hub: { configuredUrl: hubUrl },
    // Quick retries; no periodic poll: the tests sync when they mean to (or the hub nudges).
    sync: { pollMs: 600_000, backoff: { baseMs: 50, maxMs: 300 } },
    ...options,
  });
  return { backend, dir, call: caller(backend) };
}

/** Reads the desk's SQLite file directly (read-only, closed after), as the desk itself left it. */
export function readDeskDb<T>(desk: { dir: string }, read: (db: Database) => T): T {
  const db = new Database(join(desk.dir, 'desk.sqlite'), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export function caller(backend: DeskBackend) {
  return async <K extends DeskCallName>(name: K, params: DeskParams<K>): Promise<DeskValue<K>> => {
    const answer = await backend.dispatch(name, params);
    if (!answer.ok)
      throw Object.assign(new Error(`${name}: ${answer.error.code} ${answer.error.message}`), answer.error);
    return answer.value as DeskValue<K>;
  };
}

let counter = 0;
export function intakeTasks(count: number) {
  return Array.from({ length: count }, () => {
    counter += 1;
    return {
      ...validTaskInput(),
      sourceTaskId: `SYNC-${process.pid}-${Date.now()}-${counter}`,
      deadline: null,
    };
  });
}
