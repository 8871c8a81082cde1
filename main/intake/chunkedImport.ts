import { createHash } from 'node:crypto';
import { type IntakeProgress, type IntakeReport } from '../../common/contract';
import type { IntakeChunkRows, IntakeWriter, IntakeWriteResult } from '../store/intakeWriter';
import { NO_GATE, type ImporterGate } from '../store/writeGate';
import { IntakeFileError, openIntakeFile, type OpenedIntakeFile } from './readIntakeFile';
import { badFile } from './intakeFileError';

/**
 * Rows per chunk: big enough that commits (each rewrites the hot index pages into the WAL) cost
 * little next to the rows, small enough that the queue fills in and a cancel takes effect soon.
 */
export const DEFAULT_CHUNK_ROWS = 5000;
/** A chunk also ends after this long (a slow machine), so a cancel waits about a second at most. */
export const DEFAULT_MAX_CHUNK_MS = 1000;
/** Progress is reported at most this often (and at each phase change). */
export const PROGRESS_EVERY_MS = 250;

export interface ImportMeta {
  importId: string;
  fileName: string;
  /** When the import started, in the desk's clock; later events add the time elapsed since. */
  startedAt: string;
  actor: string;
}

/** How big a chunk may grow: whichever limit comes first. */
export interface ChunkSize {
  chunkRows?: number;
  maxChunkMs?: number;
}

export interface ChunkOptions extends ChunkSize {
  /** Main's write gate, when the import runs beside main on another connection. */
  gate?: ImporterGate;
}

export type ProgressCounts = Omit<IntakeProgress, 'importId' | 'phase' | 'etaMs'>;

function openFile(bytes: Uint8Array, fileName: string): OpenedIntakeFile {
  try {
    return openIntakeFile(bytes, fileName);
  } catch (error) {
    if (error instanceof IntakeFileError) throw badFile(error);
    throw error;
  }
}

/**
 * One import, chunk by chunk: the file is checked as a whole when the session opens (a bad file
 * throws DeskFailure('bad_file') and writes nothing); each `nextChunk()` validates the next rows
 * and commits them in their own transaction; `finish()` writes the closing audit event.
 */
export function openImportSession(
  writer: IntakeWriter,
  bytes: Uint8Array,
  meta: ImportMeta,
  options: ChunkOptions = {},
) {
  const file = openFile(bytes, meta.fileName);
  const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;
  const maxChunkMs = options.maxChunkMs ?? DEFAULT_MAX_CHUNK_MS;
  const gate = options.gate ?? NO_GATE;
  const fileSha256 = createHash('sha256').update(bytes).digest('hex');
  const t0 = performance.now();
  const startMs = Date.parse(meta.startedAt);
  const at = () => new Date(startMs + (performance.now() - t0)).toISOString();
  const common = () => ({ importId: meta.importId, actor: meta.actor, fileName: meta.fileName, fileSha256 });

  const rows = file.rows();
  const counts: ProgressCounts = {
    rowsRead: 0,
    totalRows: file.count,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
  };
  const duplicates: number[] = [];
  const rejected: IntakeReport['rejected'] = [];
  const chunkSeqs: number[] = [];
  let done = file.count === 0;
  let rejectedRows = 0;

  return {
    totalRows: file.count,
    counts: (): ProgressCounts => ({ ...counts }),
    /** Takes and commits the next chunk; null when every row has been taken. */
    nextChunk(): IntakeWriteResult | null {
      if (done) return null;
      gate.waitForMain();
      const started = performance.now();
      let taken = 0;
      const written = writer.writeChunk({ ...common(), at: at(), chunk: chunkSeqs.length + 1 }, (write) => {
        const covered: IntakeChunkRows = { firstRow: 0, lastRow: 0, rejected: 0 };
        // Rows are validated inside the transaction, so the gate is seen after every row: main
        // waits for one row, not for a chunk.
        while (taken < chunkRows) {
          const next = rows.next();
          if (next.done) {
            done = true;
            break;
          }
          const row = next.value;
          taken += 1;
          covered.firstRow ||= row.row;
          covered.lastRow = row.row;
          if ('task' in row) write(row);
          else {
            covered.rejected += 1;
            // field, reason, code and params (the UI translates by code; the CLI prints only the reason).
            for (const error of row.errors) rejected.push({ row: row.row, ...error });
          }
          if (gate.mainWaiting() || performance.now() - started > maxChunkMs) break;
        }
        rejectedRows = covered.rejected;
        return covered;
      });
      if (taken === 0) return null;
      // Counted only once committed: a cancelled import's report says exactly what it kept.
      if (written.eventSeq !== null) chunkSeqs.push(written.eventSeq);
      duplicates.push(...written.duplicates);
      counts.rowsRead += taken;
      counts.accepted += written.accepted;
      counts.duplicates += written.duplicates.length;
      counts.rejected += rejectedRows;
      return written;
    },
    /** The closing audit event and the report; `cancelled` when rows were left untaken. */
    finish(cancelled: boolean): IntakeReport {
      const wasCancelled = cancelled && counts.rowsRead < counts.totalRows;
      writer.finish({
        ...common(),
        at: at(),
        cancelled: wasCancelled,
        totalRows: counts.totalRows,
        rowsProcessed: counts.rowsRead,
        accepted: counts.accepted,
        duplicates: counts.duplicates,
        rejected: counts.rejected,
        chunkSeqs,
      });
      return {
        importId: meta.importId,
        accepted: counts.accepted,
        duplicates,
        rejected,
        cancelled: wasCancelled,
        rowsProcessed: counts.rowsRead,
        totalRows: counts.totalRows,
      };
    },
  };
}
export type ImportSession = ReturnType<typeof openImportSession>;

export interface ImportHooks {
  /** Asked before each chunk; true stops the import there (a cancel). */
  shouldStop?: () => boolean;
  /** Throttled to PROGRESS_EVERY_MS, plus every phase change; counts never go down. */
  onProgress?: (progress: IntakeProgress) => void;
  /** After each committed chunk that created tasks. */
  onChunk?: (written: IntakeWriteResult) => void;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs an import to its end or to a cancel, yielding to the event loop between chunks so that
 * messages (a cancel) and, when it shares main's thread, the desk's own calls get their turn.
 */
export async function runChunkedImport(
  writer: IntakeWriter,
  bytes: Uint8Array,
  meta: ImportMeta,
  options: ChunkOptions & ImportHooks = {},
): Promise<IntakeReport> {
  const zero = { rowsRead: 0, totalRows: 0, accepted: 0, duplicates: 0, rejected: 0 };
  const report = (phase: IntakeProgress['phase'], counts: ProgressCounts, etaMs: number | null) =>
    options.onProgress?.({ importId: meta.importId, phase, ...counts, etaMs });
  report('reading', zero, null);
  await nextTurn();
  const session = openImportSession(writer, bytes, meta, options);
  const started = performance.now();
  let lastReport = -Infinity;
  report('importing', session.counts(), null);
  await nextTurn(); // a cancel sent while the file was parsed is seen before the first chunk
  let stopped = false;
  for (;;) {
    if (options.shouldStop?.()) {
      stopped = true;
      break;
    }
    const written = session.nextChunk();
    if (!written) break;
    if (written.accepted > 0) options.onChunk?.(written);
    const now = performance.now();
    if (now - lastReport >= PROGRESS_EVERY_MS) {
      lastReport = now;
      const counts = session.counts();
      const rate = counts.rowsRead / Math.max(now - started, 1);
      report('importing', counts, Math.round((counts.totalRows - counts.rowsRead) / rate));
    }
    await nextTurn();
  }
  const final = session.finish(stopped);
  report(final.cancelled ? 'cancelled' : 'done', session.counts(), 0);
  return final;
}

/** A whole import at once, inside the caller's transaction if there is one (the demo loader). */
export function importIntakeBytes(writer: IntakeWriter, bytes: Uint8Array, meta: ImportMeta): IntakeReport {
  const session = openImportSession(writer, bytes, meta);
  while (session.nextChunk());
  return session.finish(false);
}
