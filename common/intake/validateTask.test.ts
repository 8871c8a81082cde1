import { describe, expect, it } from 'vitest';
import { validTaskInput } from './intakeFixtures';
import { IntakeTask } from './taskSchema';
import { validateTaskInput, type FieldError } from './validateTask';

function errorsOf(input: unknown): FieldError[] {
  const result = validateTaskInput(input);
  if (result.ok) throw new Error('expected the task to be rejected');
  return result.errors;
}

function taskOf(input: unknown): IntakeTask {
  const result = validateTaskInput(input);
  if (!result.ok) throw new Error(`expected a valid task, got ${JSON.stringify(result.errors)}`);
  return result.task;
}

describe('validateTaskInput', () => {
  it('returns a normalised task that the IntakeTask schema accepts', () => {
    const input = validTaskInput();
    input.case.number = '（2024）内0303民初1234号';
    input.party.phones = ['+86 138-1234-5678', '0471-1234567转801'];
    input.party.idNumber = '11010519491231002x';
    input.deadline = '2024年6月30日';
    input.method = '邮寄送达';
    input.priority = '加急';
    const task = taskOf(input);
    expect(IntakeTask.parse(task)).toEqual(task);
    expect(task.case.number).toBe('(2024)内0303民初1234号');
    expect(task.party.idNumber).toBe('11010519491231002X');
    expect(task.party.phones.map((phone) => phone.display)).toEqual(['138 1234 5678', '0471-1234567 转801']);
    expect(task.deadline).toBe('2024-06-30');
    expect(task.method).toBe('postal');
    expect(task.priority).toBe('urgent');
    expect(task.documents).toEqual([
      { title: '起诉状副本', kind: 'complaint', fileName: null, sha256: null, pages: null },
    ]);
  });

  it('applies defaults for empty optional fields', () => {
    const input = validTaskInput();
    Object.assign(input, { sourceSystem: ' ', method: '', priority: undefined, deadline: '' });
    input.party.kind = '';
    const task = taskOf(input);
    expect(task).toMatchObject({
      sourceSystem: 'file',
      method: 'electronic',
      priority: 'normal',
      deadline: null,
      party: { kind: 'person' },
    });
  });

  it('maps Chinese party kinds', () => {
    const input = validTaskInput();
    input.party.kind = '其他组织';
    input.party.idType = '统一社会信用代码';
    input.party.idNumber = '91150300MA0N1234XY';
    expect(taskOf(input).party.kind).toBe('organization');
  });

  it('names every missing required field', () => {
    const errors = errorsOf({ party: { phones: ['13812345678'] } });
    expect(errors.map((error) => error.field).sort()).toEqual(
      ['caseNumber', 'court', 'documents', 'partyName', 'sourceTaskId'].sort(),
    );
  });

  it('rejects a task that is not an object', () => {
    expect(errorsOf('hello')).toEqual([{ field: 'task', reason: 'task must be an object' }]);
  });

  it('reports each invalid phone on the phones field', () => {
    const input = validTaskInput();
    input.party.phones = ['13812345678', '12345', 'abc'];
    expect(errorsOf(input)).toEqual([
      { field: 'phones', reason: 'phone "12345": not a valid mobile or landline number' },
      { field: 'phones', reason: 'phone "abc": phone number contains characters that are not digits' },
    ]);
  });

  it('drops repeats of the same phone and address', () => {
    const input = validTaskInput();
    input.party.phones = ['13812345678', '+86 138 1234 5678'];
    input.party.addresses = ['人民路1号', ' 人民路1号 ', ''];
    const { party } = taskOf(input);
    expect(party.phones).toHaveLength(1);
    expect(party.addresses).toEqual(['人民路1号']);
  });

  it('requires some way to reach the party', () => {
    const input = validTaskInput();
    input.party.phones = [];
    input.party.addresses = [];
    expect(errorsOf(input)).toEqual([
      { field: 'phones', reason: 'party needs at least one phone, address or e-mail' },
    ]);
    input.party.email = 'zhang@example.com';
    expect(taskOf(input).party.email).toBe('zhang@example.com');
  });

  it('validates and normalises the e-mail', () => {
    const input = validTaskInput();
    input.party.email = 'Zhang.San＠Example.COM';
    expect(taskOf(input).party.email).toBe('Zhang.San@example.com');
    input.party.email = 'zhang@';
    expect(errorsOf(input)).toEqual([{ field: 'email', reason: 'is not a valid e-mail address' }]);
  });

  it('rejects a resident ID with a wrong check digit on idNumber', () => {
    const input = validTaskInput();
    input.party.idNumber = '110105194912310021';
    expect(errorsOf(input)).toEqual([{ field: 'idNumber', reason: 'check digit does not match' }]);
  });

  it('rejects bad case numbers, dates and enum values with their field names', () => {
    const input = validTaskInput();
    Object.assign(input, { deadline: '2024-02-30', method: 'pigeon', priority: '很急' });
    input.case.number = '2024民初1234';
    input.party.kind = 'robot';
    expect(errorsOf(input)).toEqual([
      {
        field: 'partyKind',
        reason: 'must be one of person, organization, 自然人, 法人, 其他组织, 非法人组织',
      },
      { field: 'caseNumber', reason: 'case number must look like (2024)内0303民初1234号' },
      {
        field: 'method',
        reason:
          'must be one of electronic, postal, in_person, announcement, 电子送达, 邮寄送达, 直接送达, 外出送达, 公告送达',
      },
      { field: 'deadline', reason: 'is not a real calendar date' },
      { field: 'priority', reason: 'must be one of normal, urgent, 普通, 加急' },
    ]);
  });

  it('enforces length caps', () => {
    const input = validTaskInput();
    input.party.name = '张'.repeat(201);
    input.notes = 'x'.repeat(2001);
    expect(errorsOf(input)).toEqual([
      { field: 'partyName', reason: 'must be at most 200 characters' },
      { field: 'notes', reason: 'must be at most 2000 characters' },
    ]);
  });

  it('checks document details and accepts bare titles', () => {
    const input = validTaskInput();
    const documents: unknown[] = [
      '传票',
      { title: '判决书', kind: 'judgment', sha256: 'A'.repeat(64), pages: 3, fileName: 'p.pdf' },
    ];
    const task = taskOf({ ...input, documents });
    expect(task.documents).toEqual([
      { title: '传票', kind: '', fileName: null, sha256: null, pages: null },
      { title: '判决书', kind: 'judgment', fileName: 'p.pdf', sha256: 'a'.repeat(64), pages: 3 },
    ]);
    expect(
      errorsOf({ ...input, documents: [{ title: '' }, { title: '传票', sha256: 'xyz', pages: 0 }] }),
    ).toEqual([
      { field: 'documents', reason: 'document 1: title is required' },
      { field: 'documents', reason: 'document 2: sha256 must be 64 hexadecimal characters' },
      { field: 'documents', reason: 'document 2: pages must be a positive whole number' },
    ]);
    expect(errorsOf({ ...input, documents: [] })).toEqual([
      { field: 'documents', reason: 'at least one document is required' },
    ]);
  });

  it('accepts numeric ids and rejects non-text values', () => {
    const input = { ...validTaskInput(), sourceTaskId: 42 };
    expect(taskOf(input).sourceTaskId).toBe('42');
    expect(errorsOf({ ...input, notes: { a: 1 } })).toEqual([{ field: 'notes', reason: 'must be text' }]);
  });
});
