import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import type { IntakeProgress, IntakeReport, Result } from '../../common/contract';
import { openDesk } from '../app/openDesk';
import { clockStartingAt } from '../app/clock';
import type { DeskBackend } from '../api/dispatcher';
import { generateDemoTasks } from '../demo/demoTasks';
import { openDatabase } from '../store/database';
import { createAuditLog } from '../store/auditLog';
import { createWriteGate } from '../store/writeGate';
import { resolveImportWorker } from './importWorkerEntry';
import type { FromImportWorker, ImportWorkerData } from './importWorkerProtocol';

// Imports in the worker thread, on real SQLite files: chunks, cancel, re-import, main writing
// beside the worker, progress, and messages that break the protocol.

const MONDAY_10AM = '2026-11-23T10:00:00+08:00';
const ROWS = 6000;
const CHUNK = { chunkRows: 500, maxChunkMs: 60_000 };
const dir = mkdtempSync(join(tmpdir(), 'desk-import-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fileOf = (count: number, idPrefix: string) =>
  Buffer.from(
    JSON.stringify({ tasks: generateDemoTasks({ count, today: '2026-11-23', idPrefix }) }),
  ).toString('base64');
const BIG_FILE = fileOf(ROWS, 'BIG-');

let dbCount = 0;
function deskOnFile(): { desk: DeskBackend; dbPath: string } {
  const dbPath = join(dir, `desk-${++dbCount}.sqlite`);
  const desk = openDesk({
    dataDir: '',
    dbPath,
    clock: clockStartingAt(MONDAY_10AM),
    importChunks: CHUNK,
  });
  return { desk, dbPath };
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

function progressOf(desk: DeskBackend, importId: string): IntakeProgress[] {
  const seen: IntakeProgress[] = [];
  desk.onEvent((name, payload) => {
    const p = payload as IntakeProgress;
    if (name === 'intakeProgress' && p.importId === importId) seen.push(p);
  });
  return seen;
}

function readDb<T>(dbPath: string, read: (db: ReturnType<typeof openDatabase>) => T): T {
  const db = openDatabase(dbPath);
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const importOf = (desk: DeskBackend, importId: string, dataBase64 = BIG_FILE) =>
  desk.dispatch('intakeImport', { fileName: 'big.json', dataBase64, importId }) as Promise<
    Result<IntakeReport>
  >;

describe('imports in the worker thread', () => {
  it('writes every row in chunks, each with its audit event, and the chain verifies', async () => {
    const { desk, dbPath } = deskOnFile();
    const report = value(await importOf(desk, 'chunked-0001'));
    expect(report).toMatchObject({ accepted: ROWS, cancelled: false, rowsProcessed: ROWS, totalRows: ROWS });
    desk.close();
    readDb(dbPath, (db) => {
      expect(db.prepare('SELECT count(*) AS n FROM tasks').get()).toEqual({ n: ROWS });
      const chunks = db
        .prepare<[], { seq: number; data: string }>(
          "SELECT seq, data FROM audit_events WHERE type = 'intake.chunk' ORDER BY seq",
        )
        .all();
      expect(chunks).toHaveLength(ROWS / CHUNK.chunkRows);
      // Every task points at the chunk event that created it, and the chunk's range holds it.
      const misfiled = db
        .prepare(
          `SELECT count(*) AS n FROM tasks t JOIN audit_events e ON e.seq = t.intake_event
            WHERE e.type != 'intake.chunk'
               OR t.id NOT BETWEEN json_extract(e.data, '$.firstTaskId') AND json_extract(e.data, '$.lastTaskId')`,
        )
        .get();
      expect(misfiled).toEqual({ n: 0 });
      const closing = db
        .prepare<[], { type: string; data: string }>(
          'SELECT type, data FROM audit_events ORDER BY seq DESC LIMIT 1',
        )
        .get()!;
      expect(closing.type).toBe('intake.imported');
      expect(JSON.parse(closing.data)).toMatchObject({
        importId: 'chunked-0001',
        cancelled: false,
        accepted: ROWS,
        rowsProcessed: ROWS,
        totalRows: ROWS,
        chunkSeqs: chunks.map((c) => c.seq),
      });
      expect(createAuditLog(db).verify()).toMatchObject({ ok: true, count: chunks.length + 1 });
    });
  });

  it('keeps the chunks of a cancelled import, says how far it got, and a re-import adds only the rest', async () => {
    const { desk, dbPath } = deskOnFile();
    const progress = progressOf(desk, 'cancel-0001');
    let cancel: Promise<Result<unknown>> | null = null;
    desk.onEvent((name) => {
      // Cancel as soon as the first chunk is in the queue.
      if (name === 'queueChanged' && !cancel)
        cancel = desk.dispatch('intakeCancel', { importId: 'cancel-0001' });
    });
    const first = value(await importOf(desk, 'cancel-0001'));
    expect(await cancel).toEqual({ ok: true, value: { cancelling: true } });
    expect(first.cancelled).toBe(true);
    expect(first.totalRows).toBe(ROWS);
    expect(first.rowsProcessed).toBeGreaterThan(0);
    expect(first.rowsProcessed).toBeLessThan(ROWS);
    expect(first.rowsProcessed % CHUNK.chunkRows).toBe(0);
    expect(first.accepted).toBe(first.rowsProcessed);
    expect(progress.at(-1)).toMatchObject({ phase: 'cancelled', rowsRead: first.rowsProcessed });
    expect(readDb(dbPath, (db) => db.prepare('SELECT count(*) AS n FROM tasks').get())).toEqual({
      n: first.accepted,
    });
    // The import is over: there is nothing left to cancel.
    expect(value(await desk.dispatch('intakeCancel', { importId: 'cancel-0001' }))).toEqual({
      cancelling: false,
    });

    const again = value(await importOf(desk, 'cancel-0002'));
    expect(again).toMatchObject({ cancelled: false, accepted: ROWS - first.accepted, rowsProcessed: ROWS });
    expect(again.duplicates).toEqual(Array.from({ length: first.accepted }, (_, i) => i + 1));
    desk.close();
    readDb(dbPath, (db) => {
      expect(db.prepare('SELECT count(*) AS n FROM tasks').get()).toEqual({ n: ROWS });
      const closings = db
        .prepare<[], { type: string; data: string }>(
          "SELECT type, data FROM audit_events WHERE type IN ('intake.imported', 'intake.cancelled') ORDER BY seq",
        )
        .all()
        .map((e) => ({ type: e.type, ...(JSON.parse(e.data) as object) }));
      expect(closings).toMatchObject([
        { type: 'intake.cancelled', cancelled: true, rowsProcessed: first.rowsProcessed, totalRows: ROWS },
        { type: 'intake.imported', cancelled: false, rowsProcessed: ROWS, duplicates: first.accepted },
      ]);
      expect(createAuditLog(db).verify()).toMatchObject({ ok: true });
    });
  });

  it('lets main reveal and record outcomes while the worker writes, and the chain stays whole', async () => {
    const { desk, dbPath } = deskOnFile();
    value(await importOf(desk, 'seed-00001', fileOf(40, 'SEED-')));
    let running = true;
    const importing = importOf(desk, 'beside-0001').finally(() => (running = false));
    const answers: Result<unknown>[] = [];
    let duringImport = 0;
    for (let taskId = 1; taskId <= 40; taskId++) {
      answers.push(await desk.dispatch('taskReveal', { taskId, field: 'idNumber' }));
      const detail = value(await desk.dispatch('taskGet', { taskId })) as {
        party: { phones: { id: number }[] };
      };
      const phoneId = detail.party.phones[0]?.id;
      answers.push(
        await desk.dispatch('callOutcome', {
          taskId,
          disposition: 'no_answer',
          ...(phoneId ? { phoneId } : {}),
        }),
      );
      if (running) duringImport += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const report = value(await importing);
    expect(report.accepted).toBe(ROWS);
    expect(answers.filter((a) => !a.ok)).toEqual([]);
    expect(duringImport).toBeGreaterThan(0);
    desk.close();
    readDb(dbPath, (db) => {
      expect(db.prepare("SELECT count(*) AS n FROM audit_events WHERE type = 'call.outcome'").get()).toEqual({
        n: 40,
      });
      expect(createAuditLog(db).verify()).toMatchObject({ ok: true });
    });
  });

  it('reports progress a few times a second at most, in order, counts never going down', async () => {
    const { desk } = deskOnFile();
    const progress = progressOf(desk, 'progress-01');
    const report = value(await importOf(desk, 'progress-01'));
    desk.close();
    const phases = progress.map((p) => p.phase);
    expect(phases[0]).toBe('reading');
    expect(phases.at(-1)).toBe('done');
    expect(phases.filter((p) => p === 'importing').length).toBeGreaterThan(1);
    for (const [i, p] of progress.entries()) {
      if (i === 0) continue;
      const before = progress[i - 1]!;
      for (const key of ['rowsRead', 'accepted', 'duplicates', 'rejected'] as const)
        expect(p[key]).toBeGreaterThanOrEqual(before[key]);
    }
    expect(progress.at(-1)).toMatchObject({
      rowsRead: ROWS,
      totalRows: ROWS,
      accepted: report.accepted,
      etaMs: 0,
    });
  });

  it('refuses a malformed message from the worker and stops the import', async () => {
    const dbPath = join(dir, 'bad-worker.sqlite');
    const desk = openDesk({
      dataDir: '',
      dbPath,
      importWorker: {
        eval: true,
        filename: `require('node:worker_threads').parentPort.postMessage({ type: 'done', report: { accepted: 'all of them' } });`,
      },
    });
    const result = await importOf(desk, 'badmsg-0001', fileOf(3, 'X-'));
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(!result.ok && result.error.message).toContain('malformed message');
    // The desk goes on: the queue answers.
    expect(value(await desk.dispatch('queuePage', {}))).toMatchObject({ total: 0 });
    desk.close();
  });

  it('the worker refuses bad start data and bad messages from main', async () => {
    const dbPath = join(dir, 'direct.sqlite');
    readDb(dbPath, () => undefined); // migrated, empty
    const launch = resolveImportWorker();
    const talk = (workerData: unknown, send?: unknown) =>
      new Promise<FromImportWorker[]>((resolve, reject) => {
        const worker = new Worker(launch.filename, { eval: launch.eval, workerData });
        const seen: FromImportWorker[] = [];
        worker.on('message', (m: FromImportWorker) => {
          seen.push(m);
          if (m.type === 'progress' && m.progress.phase === 'reading' && send) worker.postMessage(send);
          if (m.type === 'done' || m.type === 'failed') void worker.terminate().then(() => resolve(seen));
        });
        worker.on('error', reject);
      });
    const failed = await talk({ dbPath, importId: 'x' });
    expect(failed).toEqual([
      { type: 'failed', error: { code: 'invalid_request', message: expect.stringContaining('importId') } },
    ]);
    const data: ImportWorkerData = {
      dbPath,
      importId: 'direct-0001',
      fileName: 'three.json',
      startedAt: new Date().toISOString(),
      actor: 'test',
      dataBase64: fileOf(3, 'DIRECT-'),
      gate: createWriteGate(openDatabase(':memory:')).shared,
    };
    const seen = await talk(data, { type: 'cancel', now: 'please' });
    expect(seen).toContainEqual({ type: 'refused', message: expect.stringContaining('malformed message') });
    // A refused message changes nothing: the import ran to its end.
    expect(seen.at(-1)).toMatchObject({ type: 'done', report: { accepted: 3, cancelled: false } });
  });
});
