import { parentPort, workerData } from 'node:worker_threads';
import { DeskFailure } from '../../common/contract';
import { createLogger } from '../app/logger';
import { createAuditLog } from '../store/auditLog';
import { openDatabase } from '../store/database';
import { createIntakeWriter } from '../store/intakeWriter';
import { importerGate } from '../store/writeGate';
import { runChunkedImport } from './chunkedImport';
import {
  describeIssues,
  ImportWorkerData,
  ToImportWorker,
  type FromImportWorker,
} from './importWorkerProtocol';

// The import worker: one import on its own connection (WAL lets main's readers go on), chunk by
// chunk. It reports progress and committed chunks to main and stops at a cancel. Spawned by
// main/intake/importRunner.ts; located by main/intake/importWorkerEntry.ts.

const log = createLogger('import-worker');
const port = parentPort;
if (!port) throw new Error('importWorker runs as a worker thread');
const post = (message: FromImportWorker) => port.postMessage(message);

async function run(data: ImportWorkerData): Promise<void> {
  let cancelled = false;
  port!.on('message', (raw: unknown) => {
    const message = ToImportWorker.safeParse(raw);
    if (!message.success) {
      log.warn({ issues: message.error.issues }, 'refused a malformed message from main');
      post({ type: 'refused', message: `malformed message: ${describeIssues(message.error)}` });
      return;
    }
    if (message.data.type === 'cancel') cancelled = true;
  });
  const db = openDatabase(data.dbPath);
  try {
    const writer = createIntakeWriter(db, createAuditLog(db));
    const report = await runChunkedImport(writer, Buffer.from(data.dataBase64, 'base64'), data, {
      chunkRows: data.chunkRows,
      maxChunkMs: data.maxChunkMs,
      gate: importerGate(data.gate),
      shouldStop: () => cancelled,
      onProgress: (progress) => post({ type: 'progress', progress }),
      onChunk: (written) => post({ type: 'chunk', accepted: written.accepted }),
    });
    post({ type: 'done', report });
  } finally {
    db.close();
  }
}

const data = ImportWorkerData.safeParse(workerData);
if (!data.success) {
  post({
    type: 'failed',
    error: { code: 'invalid_request', message: `invalid import worker data: ${describeIssues(data.error)}` },
  });
} else {
  run(data.data)
    .catch((error: unknown) => {
      if (error instanceof DeskFailure) {
        post({ type: 'failed', error: { code: error.code, message: error.message, details: error.details } });
        return;
      }
      log.error({ err: error }, 'import failed');
      post({ type: 'failed', error: { code: 'internal', message: 'the import failed; see the desk log' } });
    })
    // Nothing keeps the thread alive once the import is over.
    .finally(() => port.unref());
}
