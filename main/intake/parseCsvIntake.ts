import { parse } from 'csv-parse/sync';
import {
  csvRecordFromCells,
  csvRecordToTaskInput,
  mapCsvHeader,
  type CsvColumnName,
} from '../../common/intake/csvColumns';
import { IntakeFileError } from './intakeFileError';
import { validatedRows, type IntakeRows, type RawIntakeRow } from './intakeRow';

function parseRecords(text: string): string[][] {
  try {
    return parse(text, {
      // Column counts are checked per row, so one short row is that row's error, not the file's.
      relax_column_count: true,
      // Hand-edited cells such as 他说"同意" carry quotes inside unquoted text.
      relax_quotes: true,
      skip_empty_lines: true,
    });
  } catch (error) {
    throw new IntakeFileError('not_csv', `The file is not valid CSV: ${(error as Error).message}`);
  }
}

function readHeader(header: readonly string[]): (CsvColumnName | null)[] {
  const { columns, missing, duplicates } = mapCsvHeader(header);
  if (missing.length > 0) {
    throw new IntakeFileError('missing_columns', `Required columns are missing: ${missing.join(', ')}.`, {
      columns: missing.join(', '),
    });
  }
  if (duplicates.length > 0) {
    throw new IntakeFileError(
      'duplicate_columns',
      `Columns appear more than once: ${duplicates.join(', ')}.`,
      { columns: duplicates.join(', ') },
    );
  }
  return columns;
}

const isBlank = (cells: readonly string[]): boolean => cells.every((cell) => cell.trim() === '');

/**
 * One row per CSV record after the header. A record of empty cells (a blank spreadsheet row,
 * exported as ",,,,") is skipped but still counted, so row numbers match the spreadsheet's.
 * The file and its header are checked now; each row is validated when it is taken.
 */
export function parseCsvIntake(text: string): IntakeRows {
  const [header, ...records] = parseRecords(text);
  if (header === undefined || records.every(isBlank)) {
    throw new IntakeFileError('empty', 'The file has no task rows.');
  }
  const columns = readHeader(header);
  const width = header.length;
  function* inputs(): Generator<RawIntakeRow> {
    for (const [index, cells] of records.entries()) {
      const row = index + 1;
      if (isBlank(cells)) continue;
      if (cells.length !== width) {
        const reason = `row has ${cells.length} cells but the header has ${width}`;
        const params = { cells: cells.length, expected: width };
        yield { row, errors: [{ field: 'row', reason, code: 'column_count', params }] };
        continue;
      }
      yield { row, input: csvRecordToTaskInput(csvRecordFromCells(columns, cells)) };
    }
  }
  return {
    count: records.reduce((n, cells) => (isBlank(cells) ? n : n + 1), 0),
    inputs,
    rows: () => validatedRows(inputs()),
  };
}
