import { decodeIntakeText, type IntakeEncoding } from './decodeIntakeText';
import { IntakeFileError } from './intakeFileError';
import type { IntakeRow, IntakeRows } from './intakeRow';
import { parseCsvIntake } from './parseCsvIntake';
import { parseJsonIntake } from './parseJsonIntake';

export { IntakeFileError, type IntakeFileErrorCode } from './intakeFileError';
export type { IntakeEncoding } from './decodeIntakeText';
export type { IntakeRow, IntakeRows, RawIntakeRow } from './intakeRow';

/** 50 MiB: several hundred thousand CSV rows, far beyond one submission; bounds memory use. */
export const MAX_INTAKE_FILE_BYTES = 50 * 1024 * 1024;

export type IntakeFormat = 'json' | 'csv';

export interface IntakeParseResult {
  format: IntakeFormat;
  encoding: IntakeEncoding;
  rows: IntakeRow[];
}

const FIRST_NON_SPACE = /\S/;

/** By extension; otherwise a JSON document starts with { or [, and anything else is taken as CSV. */
function detectFormat(fileName: string, text: string): IntakeFormat {
  const name = fileName.toLowerCase();
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.csv')) return 'csv';
  const first = FIRST_NON_SPACE.exec(text)?.[0];
  return first === '{' || first === '[' ? 'json' : 'csv';
}

/** An intake file checked as a whole, its rows still to be validated (see IntakeRows). */
export interface OpenedIntakeFile extends IntakeRows {
  format: IntakeFormat;
  encoding: IntakeEncoding;
}

/**
 * Opens an intake file (JSON or CSV, UTF-8 / UTF-8 with BOM / GB18030): decodes and parses it and
 * checks it as a whole, throwing IntakeFileError when it cannot be used. Rows are validated as
 * `rows()` yields them; row problems are rows with `errors`.
 */
export function openIntakeFile(bytes: Uint8Array, fileName: string): OpenedIntakeFile {
  if (bytes.byteLength > MAX_INTAKE_FILE_BYTES) {
    throw new IntakeFileError(
      'too_large',
      `The file is larger than ${MAX_INTAKE_FILE_BYTES / 1024 / 1024} MiB.`,
      { maxMiB: MAX_INTAKE_FILE_BYTES / 1024 / 1024 },
    );
  }
  const { text, encoding } = decodeIntakeText(bytes);
  if (!FIRST_NON_SPACE.test(text)) throw new IntakeFileError('empty', 'The file is empty.');
  const format = detectFormat(fileName, text);
  const rows = format === 'json' ? parseJsonIntake(text) : parseCsvIntake(text);
  return { format, encoding, count: rows.count, rows: () => rows.rows(), inputs: () => rows.inputs() };
}

/** Reads an intake file into validated rows at once (see openIntakeFile). */
export function readIntakeFile(bytes: Uint8Array, fileName: string): IntakeParseResult {
  const { format, encoding, rows } = openIntakeFile(bytes, fileName);
  return { format, encoding, rows: [...rows()] };
}
