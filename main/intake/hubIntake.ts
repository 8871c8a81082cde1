import type { IntakeReport } from '../../common/contract';
import type { IntakeResponse } from '../../common/sync/hubApi';
import { openIntakeFile, type RawIntakeRow } from './readIntakeFile';

/** Tasks per intake request: well under the hub's MAX_INTAKE_TASKS and its body limit. */
export const HUB_INTAKE_BATCH = 500;

export type HubIntakeReport = Omit<IntakeReport, 'importId'> & { taskIds: string[] };

export interface HubIntakeOptions {
  /** One intake request (the hub's POST /intake/tasks). */
  send(batch: { tasks: unknown[]; rows: number[] }): Promise<IntakeResponse>;
  batchSize?: number;
  /** After each batch, with the report so far. */
  onBatch?(soFar: Readonly<HubIntakeReport>): void;
  /** Checked before each batch: a cancelled import keeps what the hub took (sending again adds the rest). */
  isCancelled?(): boolean;
}

/**
 * A file sent to a hub's intake instead of a desk's database: read and decoded by the desk's own
 * code (a bad file throws IntakeFileError and sends nothing), its raw tasks sent in batches with
 * their file row numbers — the hub validates them with the same rules — and the reports summed.
 * A row that is not even a task (a CSV row with the wrong number of cells) is rejected here, as
 * the desk would. Sending the same file again is safe: the hub reports its tasks as duplicates.
 */
export async function sendFileToHub(
  bytes: Uint8Array,
  fileName: string,
  options: HubIntakeOptions,
): Promise<HubIntakeReport> {
  const file = openIntakeFile(bytes, fileName);
  const batchSize = options.batchSize ?? HUB_INTAKE_BATCH;
  const report: HubIntakeReport = {
    accepted: 0,
    duplicates: [],
    rejected: [],
    cancelled: false,
    rowsProcessed: 0,
    totalRows: file.count,
    taskIds: [],
  };
  let batch: Extract<RawIntakeRow, { input: unknown }>[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    if (options.isCancelled?.()) {
      report.cancelled = true;
      return;
    }
    const answer = await options.send({ tasks: batch.map((r) => r.input), rows: batch.map((r) => r.row) });
    report.accepted += answer.accepted;
    report.duplicates.push(...answer.duplicates);
    report.rejected.push(...answer.rejected);
    report.taskIds.push(...answer.taskIds);
    report.rowsProcessed += batch.length;
    batch = [];
    options.onBatch?.(report);
  };
  for (const raw of file.inputs()) {
    if (report.cancelled) break;
    if ('errors' in raw) {
      for (const error of raw.errors) report.rejected.push({ row: raw.row, ...error });
      report.rowsProcessed += 1;
      continue;
    }
    batch.push(raw);
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  // Rows in file order whichever way they were rejected.
  report.rejected.sort((a, b) => a.row - b.row);
  report.duplicates.sort((a, b) => a - b);
  return report;
}
