import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvRecordFromCells, csvRecordToTaskInput, mapCsvHeader, splitList } from './csvColumns';
import { validateTaskInput } from './validateTask';

describe('mapCsvHeader', () => {
  it('maps English names (any case) and Chinese labels, ignoring unknown headers', () => {
    const header = mapCsvHeader([' 来源编号 ', 'CASENUMBER', '法院', '当事人', '送达文书', '内部备注']);
    expect(header).toEqual({
      columns: ['sourceTaskId', 'caseNumber', 'court', 'partyName', 'documents', null],
      missing: [],
      duplicates: [],
    });
  });

  it('lists missing required and duplicated columns', () => {
    expect(mapCsvHeader(['案号', 'caseNumber', '法院'])).toMatchObject({
      missing: ['sourceTaskId', 'partyName', 'documents'],
      duplicates: ['caseNumber'],
    });
  });

  it('has a label for every column', () => {
    expect(new Set(CSV_COLUMNS.map((column) => column.label)).size).toBe(CSV_COLUMNS.length);
  });
});

describe('splitList', () => {
  it('splits on ASCII and full-width semicolons and drops blanks', () => {
    expect(splitList(' 起诉状副本；传票; ;应诉通知书 ')).toEqual(['起诉状副本', '传票', '应诉通知书']);
    expect(splitList(undefined)).toEqual([]);
  });
});

describe('csvRecordToTaskInput', () => {
  const header = mapCsvHeader(CSV_COLUMNS.map((column) => column.label));
  const cells: Record<string, string> = {
    来源编号: 'T-9',
    案号: '(2024)内0303民初9号',
    法院: '海南区人民法院',
    当事人: '=HYPERLINK("http://evil","张三")',
    联系电话: '+8613812345678；0471-1234567转801',
    送达地址: '@人民路1号；人民路2号',
    送达文书: '-起诉状副本；传票',
    备注: '\t+1 请上午联系',
  };
  const record = csvRecordFromCells(
    header.columns,
    CSV_COLUMNS.map((column) => cells[column.label] ?? ''),
  );

  it('produces input that validates, with lists split', () => {
    const result = validateTaskInput(csvRecordToTaskInput(record));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.task.party.phones.map((phone) => phone.digits)).toEqual(['13812345678', '04711234567']);
    expect(result.task.documents.map((document) => document.title)).toEqual(["'-起诉状副本", '传票']);
  });

  it('makes formula-like text inert but leaves phones to phone normalisation', () => {
    const input = csvRecordToTaskInput(record);
    expect(input.party.name).toBe(`'=HYPERLINK("http://evil","张三")`);
    expect(input.party.addresses).toEqual(["'@人民路1号", '人民路2号']);
    expect(input.notes).toBe("'+1 请上午联系");
    expect(input.party.phones).toEqual(['+8613812345678', '0471-1234567转801']);
  });
});
