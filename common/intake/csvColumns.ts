import { neutralizeFormula } from './formulaCells';

/** CSV columns of DOMAIN.md "Intake format": the English name and the Chinese label. */
export const CSV_COLUMNS = [
  { name: 'sourceSystem', label: '来源系统' },
  { name: 'sourceTaskId', label: '来源编号' },
  { name: 'caseNumber', label: '案号' },
  { name: 'cause', label: '案由' },
  { name: 'court', label: '法院' },
  { name: 'department', label: '承办部门' },
  { name: 'judge', label: '承办法官' },
  { name: 'clerk', label: '书记员' },
  { name: 'partyName', label: '当事人' },
  { name: 'partyKind', label: '当事人类型' },
  { name: 'partyRole', label: '诉讼地位' },
  { name: 'idType', label: '证件类型' },
  { name: 'idNumber', label: '证件号码' },
  { name: 'phones', label: '联系电话' },
  { name: 'addresses', label: '送达地址' },
  { name: 'email', label: '电子邮箱' },
  { name: 'documents', label: '送达文书' },
  { name: 'method', label: '送达方式' },
  { name: 'deadline', label: '送达期限' },
  { name: 'priority', label: '优先级' },
  { name: 'notes', label: '备注' },
] as const;

export type CsvColumnName = (typeof CSV_COLUMNS)[number]['name'];
/** One CSV row keyed by column name; absent columns are undefined. */
export type CsvRecord = Partial<Record<CsvColumnName, string>>;

export const REQUIRED_CSV_COLUMNS: readonly CsvColumnName[] = [
  'sourceTaskId',
  'caseNumber',
  'court',
  'partyName',
  'documents',
];

// English names match in any case; Chinese labels as written. Both after trimming.
const COLUMN_BY_HEADER = new Map<string, CsvColumnName>(
  CSV_COLUMNS.flatMap(({ name, label }) => [
    [name.toLowerCase(), name],
    [label, name],
  ]),
);

export interface CsvHeader {
  /** For each header cell, the column it names, or null for a column intake ignores. */
  columns: (CsvColumnName | null)[];
  missing: CsvColumnName[];
  /** Columns named twice (e.g. both 案号 and caseNumber): which one to believe is unknowable. */
  duplicates: CsvColumnName[];
}

export function mapCsvHeader(header: readonly string[]): CsvHeader {
  const columns = header.map((cell) => {
    const trimmed = cell.trim();
    return COLUMN_BY_HEADER.get(trimmed) ?? COLUMN_BY_HEADER.get(trimmed.toLowerCase()) ?? null;
  });
  const seen = new Set<CsvColumnName>();
  const duplicates = new Set<CsvColumnName>();
  for (const column of columns) {
    if (column === null) continue;
    if (seen.has(column)) duplicates.add(column);
    seen.add(column);
  }
  return {
    columns,
    missing: REQUIRED_CSV_COLUMNS.filter((column) => !seen.has(column)),
    duplicates: [...duplicates],
  };
}

// Every record starts as a copy of this, so all rows share one object shape: adding 21 keys one by
// one to an empty object per row was a measurable share of reading a 100,000-row file.
const EMPTY_RECORD: CsvRecord = { ...Object.fromEntries(CSV_COLUMNS.map(({ name }) => [name, undefined])) };

/** Pairs a row's cells with the header's columns, dropping ignored ones. */
export function csvRecordFromCells(
  columns: readonly (CsvColumnName | null)[],
  cells: readonly string[],
): CsvRecord {
  const record: CsvRecord = { ...EMPTY_RECORD };
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i];
    if (column != null) record[column] = cells[i];
  }
  return record;
}

const LIST_SEPARATOR = /[;；]/;

/** Splits a list cell on ; or ； (the full-width form typed by Chinese input methods). */
export function splitList(cell: string | undefined): string[] {
  if (cell === undefined) return [];
  if (!LIST_SEPARATOR.test(cell)) {
    const item = cell.trim();
    return item === '' ? [] : [item];
  }
  return cell
    .split(LIST_SEPARATOR)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * The JSON-shaped input `validateTaskInput` expects, from one CSV row. Every text cell is made
 * formula-inert (see formulaCells.ts). Phone cells are not: "+86…" or "-" there is phone text,
 * which normalisation either turns into digits or rejects, so the cell itself is never stored.
 */
export function csvRecordToTaskInput(record: CsvRecord) {
  return {
    sourceSystem: textCell(record, 'sourceSystem'),
    sourceTaskId: textCell(record, 'sourceTaskId'),
    case: {
      number: textCell(record, 'caseNumber'),
      cause: textCell(record, 'cause'),
      court: textCell(record, 'court'),
      department: textCell(record, 'department'),
      judge: textCell(record, 'judge'),
      clerk: textCell(record, 'clerk'),
    },
    party: {
      name: textCell(record, 'partyName'),
      kind: textCell(record, 'partyKind'),
      role: textCell(record, 'partyRole'),
      idType: textCell(record, 'idType'),
      idNumber: textCell(record, 'idNumber'),
      phones: splitList(record.phones),
      addresses: textListCell(record, 'addresses'),
      email: textCell(record, 'email'),
    },
    documents: textListCell(record, 'documents').map((title) => ({ title })),
    method: textCell(record, 'method'),
    deadline: textCell(record, 'deadline'),
    priority: textCell(record, 'priority'),
    notes: textCell(record, 'notes'),
  };
}

const textCell = (record: CsvRecord, column: CsvColumnName): string =>
  neutralizeFormula(record[column] ?? '');

const textListCell = (record: CsvRecord, column: CsvColumnName): string[] =>
  splitList(record[column]).map(neutralizeFormula);
