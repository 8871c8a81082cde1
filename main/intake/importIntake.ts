import { createHash } from 'node:crypto';
import type { IntakeReport } from '../../common/contract';
import type { IntakeWriter, IntakeRowInput } from '../store/intakeWriter';
import { IntakeFileError, readIntakeFile } from './readIntakeFile';
import { badFile } from './intakeFileError';

/**
 * A file's bytes → validated rows → one transaction. Valid rows are imported even when others are
 * rejected; a file that cannot be read as a whole imports nothing and answers 'bad_file'.
 */
export function importIntakeBytes(
  writer: IntakeWriter,
  bytes: Uint8Array,
  meta: { fileName: string; at: string; actor: string },
): IntakeReport {
  let parsed: ReturnType<typeof readIntakeFile>;
  try {
    parsed = readIntakeFile(bytes, meta.fileName);
  } catch (error) {
    if (error instanceof IntakeFileError) throw badFile(error);
    throw error;
  }
  const valid: IntakeRowInput[] = [];
  const rejected: IntakeReport['rejected'] = [];
  for (const row of parsed.rows) {
    if ('task' in row) valid.push(row);
    // field, reason, code and params (the UI translates by code; the CLI prints only the reason).
    else for (const error of row.errors) rejected.push({ row: row.row, ...error });
  }
  const rejectedRows = new Set(rejected.map((r) => r.row)).size;
  const written = writer(valid, {
    at: meta.at,
    actor: meta.actor,
    fileName: meta.fileName,
    fileSha256: createHash('sha256').update(bytes).digest('hex'),
    rejected: rejectedRows,
  });
  return { accepted: written.accepted, duplicates: written.duplicates, rejected };
}
