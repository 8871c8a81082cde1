import { parse } from 'csv-parse/sync';
import {
  csvRecordFromCells,
  csvRecordToTaskInput,
  mapCsvHeader,
  type CsvColumnName,
} from '../../common/intake/csvColumns';
import { IntakeFileError } from './intakeFileError';
import { validatedRow, type IntakeRow } from './intakeRow';

/**
 * Hands each record to `onRecord` as it is parsed, so that the raw cells of a 100,000-row file
 * die young instead of being held until the end (which made garbage collection the main cost).
 */
function forEachRecord(text: string, onRecord: (cells: string[]) => void): void {
  try {
    parse(text, {
      // Column counts are checked per row, so one short row is that row's error, not the file's.
      relax_column_count: true,
      // Hand-edited cells such as 他说"同意" carry quotes inside unquoted text.
      relax_quotes: true,
      skip_empty_lines: true,
      on_record: (cells: string[]) => {
        onRecord(cells);
        return null;
      },
    });
  } catch (error) {
    if (error instanceof IntakeFileError) throw error;
    throw new IntakeFileError('not_csv', `The file is not valid CSV: ${(error as Error).message}`);
  }
}

function readHeader(header: readonly string[]): (CsvColumnName | null)[] {
  const { columns, missing, duplicates } = mapCsvHeader(header);
  if (missing.length > 0) {
    throw new IntakeFileError('missing_columns', `Required columns are missing: ${missing.join(', ')}.`);
  }
  if (duplicates.length > 0) {
    throw new IntakeFileError(
      'duplicate_columns',
      `Columns appear more than once: ${duplicates.join(', ')}.`,
    );
  }
  return columns;
}

const isBlank = (cells: readonly string[]): boolean => cells.every((cell) => cell.trim() === '');

/**
 * One row per CSV record after the header. A record of empty cells (a blank spreadsheet row,
 * exported as ",,,,") is skipped but still counted, so row numbers match the spreadsheet's.
 */
export function parseCsvIntake(text: string): IntakeRow[] {
  let columns: (CsvColumnName | null)[] | null = null;
  let row = 0;
  const rows: IntakeRow[] = [];
  forEachRecord(text, (cells) => {
    if (columns === null) {
      columns = readHeader(cells);
      return;
    }
    row += 1;
    if (isBlank(cells)) return;
    if (cells.length !== columns.length) {
      const reason = `row has ${cells.length} cells but the header has ${columns.length}`;
      rows.push({ row, errors: [{ field: 'row', reason }] });
      return;
    }
    rows.push(validatedRow(row, csvRecordToTaskInput(csvRecordFromCells(columns, cells))));
  });
  if (rows.length === 0) throw new IntakeFileError('empty', 'The file has no task rows.');
  return rows;
}
