import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../common/intake/csvColumns';
import { validTaskInput } from '../../common/intake/intakeFixtures';
import { readRefusal } from '../../common/contract/refusals';
import { badFile } from './intakeFileError';
import {
  IntakeFileError,
  MAX_INTAKE_FILE_BYTES,
  readIntakeFile,
  type IntakeParseResult,
} from './readIntakeFile';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const csvCell = (value: string): string =>
  /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
const csvLine = (cells: readonly string[]): string => cells.map(csvCell).join(',');

const LABELS = CSV_COLUMNS.map((column) => column.label);

/** A valid row keyed by column name; override cells per test. */
function csvRow(overrides: Record<string, string> = {}): string[] {
  const cells: Record<string, string> = {
    sourceSystem: '审判系统',
    sourceTaskId: 'T-1',
    caseNumber: '（2024）内0303民初1234号',
    court: '乌海市海南区人民法院',
    partyName: '张三',
    partyKind: '自然人',
    idType: '居民身份证',
    idNumber: '11010519491231002x',
    phones: '138 1234 5678；0471-1234567转801',
    addresses: '内蒙古乌海市海南区人民路1号',
    documents: '起诉状副本；应诉通知书；传票',
    method: '电子送达',
    deadline: '2024/7/1',
    priority: '加急',
    ...overrides,
  };
  return CSV_COLUMNS.map((column) => cells[column.name] ?? '');
}

const csvText = (header: readonly string[], rows: readonly string[][]): string =>
  [csvLine(header), ...rows.map(csvLine)].join('\r\n') + '\r\n';

function fileError(bytes: Uint8Array, fileName: string): IntakeFileError {
  try {
    readIntakeFile(bytes, fileName);
  } catch (error) {
    if (error instanceof IntakeFileError) return error;
    throw error;
  }
  throw new Error('expected an IntakeFileError');
}

function firstTask(result: IntakeParseResult) {
  const first = result.rows[0];
  if (!first || !('task' in first))
    throw new Error(`expected a valid first row, got ${JSON.stringify(first)}`);
  return first.task;
}

describe('readIntakeFile: CSV encodings', () => {
  const text = csvText(LABELS, [csvRow(), csvRow({ sourceTaskId: 'T-2', partyName: '李四' })]);

  function expectChineseRows(result: IntakeParseResult): void {
    expect(result.format).toBe('csv');
    expect(result.rows.map((row) => row.row)).toEqual([1, 2]);
    const task = firstTask(result);
    expect(task.case.number).toBe('(2024)内0303民初1234号');
    expect(task.case.court).toBe('乌海市海南区人民法院');
    expect(task.party.name).toBe('张三');
    expect(task.party.idNumber).toBe('11010519491231002X');
    expect(task.party.phones.map((phone) => phone.display)).toEqual(['138 1234 5678', '0471-1234567 转801']);
    expect(task.documents.map((document) => document.title)).toEqual(['起诉状副本', '应诉通知书', '传票']);
    expect(task).toMatchObject({ sourceSystem: '审判系统', deadline: '2024-07-01', priority: 'urgent' });
  }

  it('reads UTF-8', () => {
    const result = readIntakeFile(utf8(text), 'tasks.csv');
    expect(result.encoding).toBe('utf-8');
    expectChineseRows(result);
  });

  it('reads UTF-8 with BOM', () => {
    const result = readIntakeFile(utf8(`\uFEFF${text}`), 'tasks.csv');
    expect(result.encoding).toBe('utf-8-bom');
    expectChineseRows(result);
  });

  it('reads GB18030 with Chinese headers', () => {
    const bytes = iconv.encode(text, 'gb18030');
    expect(new TextDecoder().decode(bytes)).not.toContain('案号'); // really not UTF-8
    const result = readIntakeFile(bytes, 'tasks.csv');
    expect(result.encoding).toBe('gb18030');
    expectChineseRows(result);
  });

  it('reads English headers and ignores unknown columns', () => {
    const header = [...CSV_COLUMNS.map((column) => column.name), '内部编号'];
    const result = readIntakeFile(utf8(csvText(header, [[...csvRow(), 'X-1']])), 'tasks.csv');
    expect(firstTask(result).sourceTaskId).toBe('T-1');
  });
});

describe('readIntakeFile: CSV rows', () => {
  it('reports row and field of each invalid row, counting rows after the header', () => {
    const text = csvText(LABELS, [
      csvRow(),
      csvRow({ sourceTaskId: 'T-2', idNumber: '110105194912310021', phones: '12345' }),
      csvRow({ sourceTaskId: 'T-3', caseNumber: '' }),
    ]);
    const { rows } = readIntakeFile(utf8(text), 'tasks.csv');
    expect(rows[0]).toHaveProperty('task');
    expect(rows.slice(1)).toEqual([
      {
        row: 2,
        errors: [
          { field: 'idNumber', code: 'id_check_digit', reason: 'check digit does not match' },
          {
            field: 'phones',
            code: 'phone_invalid',
            reason: 'phone "12345": not a valid mobile or landline number',
            params: { phone: '12345' },
          },
        ],
      },
      { row: 3, errors: [{ field: 'caseNumber', code: 'required', reason: 'case number is required' }] },
    ]);
  });

  it('makes a row with the wrong number of cells a row error', () => {
    const text = `${csvLine(LABELS)}\n${csvLine(csvRow())}\n${csvLine(['T-2', '(2024)内0303民初1号'])}\n${csvLine(
      csvRow({ sourceTaskId: 'T-3' }),
    )}\n`;
    const { rows } = readIntakeFile(utf8(text), 'tasks.csv');
    expect(rows.map((row) => row.row)).toEqual([1, 2, 3]);
    expect(rows[1]).toEqual({
      row: 2,
      errors: [
        {
          field: 'row',
          code: 'column_count',
          reason: `row has 2 cells but the header has ${LABELS.length}`,
          params: { cells: 2, expected: LABELS.length },
        },
      ],
    });
    expect(rows[2]).toHaveProperty('task.sourceTaskId', 'T-3');
  });

  it('skips empty lines and blank rows, keeping spreadsheet row numbers', () => {
    const blank = LABELS.map(() => '');
    const text = `${csvLine(LABELS)}\n\n${csvLine(csvRow())}\n${csvLine(blank)}\n${csvLine(
      csvRow({ sourceTaskId: 'T-3' }),
    )}\n\n`;
    const { rows } = readIntakeFile(utf8(text), 'tasks.csv');
    expect(rows.map((row) => row.row)).toEqual([1, 3]);
  });

  it('keeps each row, repeats included (duplicates are the store’s concern)', () => {
    const text = csvText(LABELS, [csvRow(), csvRow()]);
    const { rows } = readIntakeFile(utf8(text), 'tasks.csv');
    expect(rows.map((row) => ('task' in row ? row.task.sourceTaskId : null))).toEqual(['T-1', 'T-1']);
  });

  it('stores formula cells as inert text and reads phone cells as phones', () => {
    const text = csvText(LABELS, [
      csvRow({
        partyName: '=HYPERLINK("http://x.example","点击")',
        addresses: '+人民路1号；@cmd',
        documents: '-2+3；传票',
        notes: '=1+1',
        phones: '+8613812345678',
      }),
    ]);
    const task = firstTask(readIntakeFile(utf8(text), 'tasks.csv'));
    expect(task.party.name).toBe(`'=HYPERLINK("http://x.example","点击")`);
    expect(task.party.addresses).toEqual(["'+人民路1号", "'@cmd"]);
    expect(task.documents.map((document) => document.title)).toEqual(["'-2+3", '传票']);
    expect(task.notes).toBe("'=1+1");
    expect(task.party.phones).toEqual([{ kind: 'mobile', digits: '13812345678', display: '138 1234 5678' }]);
  });

  it('accepts a blank or placeholder ID number for every ID type, and keeps phone extensions apart', () => {
    const text = csvText(LABELS, [
      csvRow({ idType: '居民身份证', idNumber: '' }),
      csvRow({ sourceTaskId: 'T-2', partyKind: '法人', idType: '统一社会信用代码', idNumber: '-' }),
      csvRow({ sourceTaskId: 'T-3', idType: '护照', idNumber: '无', phones: '0471-6661234 ext. 801' }),
      csvRow({ sourceTaskId: 'T-4', idNumber: '110105194912310021' }),
    ]);
    const { rows } = readIntakeFile(utf8(text), 'tasks.csv');
    const parties = rows.map((row) => ('task' in row ? row.task.party : row.errors.map((e) => e.code)));
    expect(parties[0]).toMatchObject({ idType: '居民身份证', idNumber: '' });
    expect(parties[1]).toMatchObject({ idType: '统一社会信用代码', idNumber: '' });
    expect(parties[2]).toMatchObject({
      idType: '护照',
      idNumber: '',
      phones: [{ kind: 'landline', digits: '04716661234', extension: '801', display: '0471-6661234 转801' }],
    });
    // A number that is given is still validated.
    expect(parties[3]).toEqual(['id_check_digit']);
  });

  it('rejects a formula in a phone cell as an invalid phone', () => {
    const text = csvText(LABELS, [csvRow({ phones: '=cmd|"/c calc"!A1', addresses: '' })]);
    const { rows } = readIntakeFile(utf8(text), 'tasks.csv');
    expect(rows[0]).toEqual({
      row: 1,
      errors: [
        {
          field: 'phones',
          code: 'phone_characters',
          reason: 'phone "=cmd|"/c calc"!A1": phone number contains characters that are not digits',
          params: { phone: '=cmd|"/c calc"!A1' },
        },
      ],
    });
  });
});

describe('readIntakeFile: JSON', () => {
  it('reads {"tasks": [...]} with row = index + 1', () => {
    const bad = { ...validTaskInput(), sourceTaskId: '' };
    const result = readIntakeFile(utf8(JSON.stringify({ tasks: [validTaskInput(), bad] })), 'tasks.json');
    expect(result).toMatchObject({ format: 'json', encoding: 'utf-8' });
    expect(firstTask(result).party.phones[0]?.digits).toBe('13812345678');
    expect(result.rows[1]).toEqual({
      row: 2,
      errors: [{ field: 'sourceTaskId', code: 'required', reason: 'is required' }],
    });
  });

  it('accepts a bare array and sniffs JSON without an extension', () => {
    const result = readIntakeFile(utf8(`  \n[${JSON.stringify(validTaskInput())}]`), 'upload');
    expect(result.format).toBe('json');
    expect(result.rows).toHaveLength(1);
  });

  it('rejects malformed JSON and the wrong shape', () => {
    expect(fileError(utf8('{"tasks": [ {'), 'tasks.json').code).toBe('not_json');
    expect(fileError(utf8('{"items": []}'), 'tasks.json').code).toBe('bad_shape');
    expect(fileError(utf8('"tasks"'), 'tasks.json').code).toBe('bad_shape');
    expect(fileError(utf8('{"tasks": []}'), 'tasks.json').code).toBe('empty');
  });
});

describe('readIntakeFile: whole-file problems', () => {
  it('rejects a file just over the size cap before reading it', () => {
    const error = fileError(new Uint8Array(MAX_INTAKE_FILE_BYTES + 1), 'big.csv');
    expect(error.code).toBe('too_large');
    expect(error.message).toBe('The file is larger than 50 MiB.');
  });

  it('rejects bytes that are neither UTF-8 nor GB18030', () => {
    expect(fileError(Uint8Array.from([0x80, 0xff, 0x81, 0x30, 0xfe]), 'tasks.csv').code).toBe('undecodable');
  });

  it('rejects binary files and UTF-16', () => {
    expect(
      fileError(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), 'tasks.xlsx').code,
    ).toBe('undecodable');
    expect(fileError(Uint8Array.from([0xff, 0xfe, 0x61, 0x00]), 'tasks.csv').code).toBe('undecodable');
  });

  it('rejects empty files and header-only CSV', () => {
    expect(fileError(new Uint8Array(0), 'tasks.csv').code).toBe('empty');
    expect(fileError(utf8(' \r\n '), 'tasks.json').code).toBe('empty');
    expect(fileError(utf8(`${csvLine(LABELS)}\r\n`), 'tasks.csv').code).toBe('empty');
  });

  it('names missing and duplicated required columns', () => {
    const missing = fileError(utf8('来源编号,当事人\nT-1,张三\n'), 'tasks.csv');
    expect(missing.code).toBe('missing_columns');
    expect(missing.message).toBe('Required columns are missing: caseNumber, court, documents.');
    const duplicated = fileError(utf8(csvText([...LABELS, 'caseNumber'], [[...csvRow(), 'x']])), 'tasks.csv');
    expect(duplicated.code).toBe('duplicate_columns');
  });

  it('treats garbage text as CSV without the required columns', () => {
    expect(fileError(utf8('hello world\nfoo'), 'notes.txt').code).toBe('missing_columns');
  });

  it('answers each whole-file problem with its registered refusal code and params', () => {
    const cases: [IntakeFileError, object][] = [
      [
        fileError(new Uint8Array(MAX_INTAKE_FILE_BYTES + 1), 'big.csv'),
        { code: 'file_too_large', params: { maxMiB: 50 } },
      ],
      [fileError(new Uint8Array(0), 'tasks.csv'), { code: 'file_empty', params: {} }],
      [
        fileError(Uint8Array.from([0xff, 0xfe, 0x61, 0x00]), 'tasks.csv'),
        { code: 'file_undecodable', params: {} },
      ],
      [fileError(utf8('{"tasks": [ {'), 'tasks.json'), { code: 'file_not_json', params: {} }],
      [fileError(utf8('{"items": []}'), 'tasks.json'), { code: 'file_bad_shape', params: {} }],
      [
        fileError(utf8('来源编号,当事人\nT-1,张三\n'), 'tasks.csv'),
        { code: 'file_missing_columns', params: { columns: 'caseNumber, court, documents' } },
      ],
      [
        fileError(utf8(csvText([...LABELS, 'caseNumber'], [[...csvRow(), 'x']])), 'tasks.csv'),
        { code: 'file_duplicate_columns', params: { columns: 'caseNumber' } },
      ],
      [fileError(utf8(`${csvLine(LABELS)}\n"T-1,x\n`), 'tasks.csv'), { code: 'file_not_csv', params: {} }],
    ];
    for (const [error, refusal] of cases) {
      const failure = badFile(error);
      expect(failure.code).toBe('bad_file');
      expect(failure.message).toBe(error.message);
      expect(failure.details).toEqual(refusal);
      expect(readRefusal(failure.details)).toEqual(refusal);
    }
  });

  it('rejects CSV with an unterminated quote', () => {
    const text = `${csvLine(LABELS)}\n"T-1,${'x,'.repeat(LABELS.length - 1)}\n`;
    expect(fileError(utf8(text), 'tasks.csv').code).toBe('not_csv');
  });
});
