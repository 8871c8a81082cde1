import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { csvRecordFromCells, csvRecordToTaskInput, mapCsvHeader } from '../../common/intake/csvColumns';
import { decodeIntakeText } from './decodeIntakeText';
import { validatedRow, type IntakeRow } from './intakeRow';
import { parseCsvIntake } from './parseCsvIntake';
const bytes = readFileSync('/tmp/intake100k.csv');
const mode = process.argv[2];
const t0 = performance.now();
const { text } = decodeIntakeText(bytes);
const t1 = performance.now();
let rows: IntakeRow[] = [];
if (mode === 'current') rows = parseCsvIntake(text);
else {
  const [header, ...records] = parse(text, { relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as string[][];
  const t2 = performance.now();
  const columns = mapCsvHeader(header!).columns;
  records.forEach((cells, i) => rows.push(validatedRow(i + 1, csvRecordToTaskInput(csvRecordFromCells(columns, cells)))));
  console.log('parse', Math.round(t2 - t1), 'rest', Math.round(performance.now() - t2));
}
console.log(mode, 'decode', Math.round(t1 - t0), 'total', Math.round(performance.now() - t0), rows.length);
