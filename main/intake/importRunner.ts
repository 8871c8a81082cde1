import { Worker } from 'node:worker_threads';
import { DeskFailure, type IntakeProgress, type IntakeReport } from '../../common/contract';
import type { Logger } from '../app/logger';
import type { IntakeWriter } from '../store/intakeWriter';
import type { WriteGate } from '../store/writeGate';
import { runChunkedImport, type ChunkSize } from './chunkedImport';
import { resolveImportWorker, type WorkerLaunch } from './importWorkerEntry';
import {
  describeIssues,
  FromImportWorker,
  type ImportWorkerData,
  type ToImportWorker,
} from './importWorkerProtocol';

export interface ImportRequest {
  importId: string;
  fileName: string;
  dataBase64: string;
  startedAt: string;
  actor: string;
}

export interface ImportListeners {
  onProgress(progress: IntakeProgress): void;
  /** A chunk that created tasks was committed. */
  onChunk(accepted: number): void;
}

/**
 * Where imports run: in a worker thread on its own connection to the database file, or — for an
 * in-memory database, which no other connection can open — on main's thread, chunk by chunk.
 */
export type ImportPlace =
  | { kind: 'worker'; dbPath: string; gate: WriteGate; launch?: WorkerLaunch }
  | { kind: 'in-process'; writer: IntakeWriter };

export interface ImportRunner {
  /** Runs the import once those before it have ended; answers with its report. */
  run(request: ImportRequest, listeners: ImportListeners): Promise<IntakeReport>;
  /** Asks a queued or running import to stop after its current chunk; false if there is none. */
  cancel(importId: string): boolean;
  /** Stops every import (the desk is closing); their calls answer with an error. */
  close(): void;
}

interface Running {
  cancel(): void;
  stop(): void;
}

const cancelledBeforeStart = (importId: string): IntakeReport => ({
  importId,
  accepted: 0,
  duplicates: [],
  rejected: [],
  cancelled: true,
  rowsProcessed: 0,
  totalRows: 0,
});

/** Imports one after another, so two never contend for the write lock. */
export function createImportRunner(place: ImportPlace, log: Logger, chunk: ChunkSize = {}): ImportRunner {
  const active = new Map<string, Running>();
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  function inWorker(
    request: ImportRequest,
    listeners: ImportListeners,
    spawnPlace: Extract<ImportPlace, { kind: 'worker' }>,
  ): { promise: Promise<IntakeReport>; running: Running } {
    const launch = spawnPlace.launch ?? resolveImportWorker();
    const workerData: ImportWorkerData = {
      dbPath: spawnPlace.dbPath,
      gate: spawnPlace.gate.shared,
      ...request,
      ...chunk,
    };
    const worker = new Worker(launch.filename, { eval: launch.eval, workerData });
    const send = (message: ToImportWorker) => worker.postMessage(message);
    let settle: { resolve(report: IntakeReport): void; reject(error: Error): void } | null = null;
    const promise = new Promise<IntakeReport>((resolve, reject) => (settle = { resolve, reject }));
    const finish = (outcome: IntakeReport | Error) => {
      const s = settle;
      settle = null;
      if (!s) return;
      if (outcome instanceof Error) s.reject(outcome);
      else s.resolve(outcome);
    };
    worker.on('message', (raw: unknown) => {
      const message = FromImportWorker.safeParse(raw);
      if (!message.success) {
        log.error({ importId: request.importId, issues: message.error.issues }, 'refused a worker message');
        void worker.terminate();
        finish(
          new DeskFailure(
            'internal',
            `the import worker sent a malformed message (${describeIssues(message.error)}); the import was stopped`,
          ),
        );
        return;
      }
      const m = message.data;
      if (m.type === 'progress') listeners.onProgress(m.progress);
      else if (m.type === 'chunk') listeners.onChunk(m.accepted);
      else if (m.type === 'done') finish(m.report);
      else if (m.type === 'failed') finish(new DeskFailure(m.error.code, m.error.message, m.error.details));
      else
        log.warn({ importId: request.importId, message: m.message }, 'the import worker refused a message');
    });
    worker.on('error', (error) => {
      log.error({ err: error, importId: request.importId }, 'import worker crashed');
      finish(new DeskFailure('internal', 'the import stopped unexpectedly; see the desk log'));
    });
    worker.on('exit', (code) => {
      finish(new DeskFailure('internal', `the import worker exited (${code}) before it finished`));
    });
    return {
      promise,
      running: {
        cancel: () => send({ type: 'cancel' }),
        stop: () => void worker.terminate(),
      },
    };
  }

  function inProcess(
    request: ImportRequest,
    listeners: ImportListeners,
    writer: IntakeWriter,
  ): { promise: Promise<IntakeReport>; running: Running } {
    let stop = false;
    const promise = runChunkedImport(writer, Buffer.from(request.dataBase64, 'base64'), request, {
      ...chunk,
      shouldStop: () => stop || closed,
      onProgress: listeners.onProgress,
      onChunk: (written) => listeners.onChunk(written.accepted),
    });
    return { promise, running: { cancel: () => (stop = true), stop: () => (stop = true) } };
  }

  return {
    run(request, listeners) {
      if (active.has(request.importId)) {
        return Promise.reject(
          new DeskFailure('invalid_request', `an import with id ${request.importId} is already running`),
        );
      }
      let cancelledEarly = false;
      let running: Running | null = null;
      active.set(request.importId, {
        cancel: () => (running ? running.cancel() : (cancelledEarly = true)),
        stop: () => running?.stop(),
      });
      const waiting = active.size > 1;
      if (waiting) {
        listeners.onProgress({
          importId: request.importId,
          phase: 'queued',
          rowsRead: 0,
          totalRows: 0,
          accepted: 0,
          duplicates: 0,
          rejected: 0,
          etaMs: null,
        });
      }
      const turn = queue.then(async () => {
        if (closed) throw new DeskFailure('internal', 'the desk is closing');
        if (cancelledEarly) return cancelledBeforeStart(request.importId);
        const started =
          place.kind === 'worker'
            ? inWorker(request, listeners, place)
            : inProcess(request, listeners, place.writer);
        running = started.running;
        return started.promise;
      });
      const result = turn.finally(() => active.delete(request.importId));
      queue = result.catch(() => undefined);
      return result;
    },
    cancel(importId) {
      const entry = active.get(importId);
      if (!entry) return false;
      entry.cancel();
      return true;
    },
    close() {
      closed = true;
      for (const entry of active.values()) entry.stop();
    },
  };
}
