import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { csvRecordFromCells, csvRecordToTaskInput, mapCsvHeader } from '../../common/intake/csvColumns';
import { validateTaskInput } from '../../common/intake/validateTask';
import { readIntakeFile } from './readIntakeFile';
const ms = (t0: number) => Math.round(performance.now() - t0);
const text = readFileSync('/tmp/intake100k.csv', 'utf8');
const [header, ...records] = parse(text, { relax_column_count: true }) as string[][];
const columns = mapCsvHeader(header!).columns;
const inputs = records.map((cells) => csvRecordToTaskInput(csvRecordFromCells(columns, cells)));
for (let k = 0; k < 3; k++) {
  const t0 = performance.now();
  let ok = 0;
  for (const input of inputs) if (validateTaskInput(input).ok) ok++;
  console.log(`validateTaskInput x${inputs.length}: ${ms(t0)} ms (${ok} ok)`);
}
for (const file of ['/tmp/intake100k.csv', '/tmp/intake100k-gb.csv']) {
  const bytes = readFileSync(file);
  const t0 = performance.now();
  const result = readIntakeFile(bytes, 'tasks.csv');
  const t1 = performance.now();
  parse(bytes, { relax_column_count: true });
  console.log(`readIntakeFile ${result.encoding} ${(bytes.length / 2 ** 20).toFixed(1)} MiB: ${Math.round(t1 - t0)} ms (${result.rows.length} rows); csv-parse alone ${ms(t1)} ms`);
}
