import { z } from 'zod';
import { DeskError, ImportId, IntakeProgress, IntakeReport } from '../../common/contract';

// Messages between main and an import worker. Each side parses what it receives: a malformed
// message is refused with a clear error and changes nothing.

/** What the worker starts with (its workerData). */
export const ImportWorkerData = z.strictObject({
  dbPath: z.string().min(1),
  importId: ImportId,
  fileName: z.string().min(1).max(260),
  startedAt: z.iso.datetime({ offset: true }),
  actor: z.string().min(1).max(200),
  dataBase64: z.string().max(70 * 1024 * 1024),
  /** Main's write gate (main/store/writeGate.ts). */
  gate: z.instanceof(SharedArrayBuffer),
  chunkRows: z.number().int().positive().max(100_000).optional(),
  maxChunkMs: z.number().positive().optional(),
});
export type ImportWorkerData = z.infer<typeof ImportWorkerData>;

/** Main → worker. */
export const ToImportWorker = z.discriminatedUnion('type', [z.strictObject({ type: z.literal('cancel') })]);
export type ToImportWorker = z.infer<typeof ToImportWorker>;

/** Worker → main. */
export const FromImportWorker = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('progress'), progress: IntakeProgress }),
  /** A chunk that created tasks was committed: the queue has changed. */
  z.strictObject({ type: z.literal('chunk'), accepted: z.number().int().positive() }),
  z.strictObject({ type: z.literal('done'), report: IntakeReport }),
  z.strictObject({ type: z.literal('failed'), error: DeskError }),
  /** The worker refused a message from main (it goes on). */
  z.strictObject({ type: z.literal('refused'), message: z.string() }),
]);
export type FromImportWorker = z.infer<typeof FromImportWorker>;

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`).join('; ');
}
