import { describe, expect, it } from 'vitest';
import { residentId, validTaskInput } from './intakeFixtures';
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
    expect(errors.find((error) => error.field === 'documents')?.code).toBe('documents_required');
    expect(errors.filter((error) => error.field !== 'documents').map((error) => error.code)).toEqual([
      'required',
      'required',
      'required',
      'required',
    ]);
  });

  it('rejects a task that is not an object', () => {
    expect(errorsOf('hello')).toEqual([
      { field: 'task', code: 'not_object', reason: 'task must be an object' },
    ]);
  });

  it('reports each invalid phone on the phones field', () => {
    const input = validTaskInput();
    input.party.phones = ['13812345678', '12345', 'abc'];
    expect(errorsOf(input)).toEqual([
      {
        field: 'phones',
        code: 'phone_invalid',
        reason: 'phone "12345": not a valid mobile or landline number',
        params: { phone: '12345' },
      },
      {
        field: 'phones',
        code: 'phone_characters',
        reason: 'phone "abc": phone number contains characters that are not digits',
        params: { phone: 'abc' },
      },
    ]);
  });

  it('names the offending phone, shortened, in the params of each phone code', () => {
    const input = validTaskInput();
    const long = `1${'2'.repeat(59)}`;
    input.party.phones = ['13812345678转801', '1234567', '+1 415 555 1234', '-', long];
    expect(errorsOf(input).map(({ code, params }) => ({ code, params }))).toEqual([
      { code: 'mobile_with_extension', params: { phone: '13812345678转801' } },
      { code: 'landline_no_area_code', params: { phone: '1234567' } },
      { code: 'phone_foreign', params: { phone: '+1 415 555 1234' } },
      { code: 'phone_no_digits', params: { phone: '-' } },
      { code: 'phone_invalid', params: { phone: `${long.slice(0, 40)}…` } },
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
      { field: 'phones', code: 'no_contact', reason: 'party needs at least one phone, address or e-mail' },
    ]);
    input.party.email = 'zhang@example.com';
    expect(taskOf(input).party.email).toBe('zhang@example.com');
  });

  it('validates and normalises the e-mail', () => {
    const input = validTaskInput();
    input.party.email = 'Zhang.San＠Example.COM';
    expect(taskOf(input).party.email).toBe('Zhang.San@example.com');
    input.party.email = 'zhang@';
    expect(errorsOf(input)).toEqual([
      { field: 'email', code: 'email_invalid', reason: 'is not a valid e-mail address' },
    ]);
  });

  it('rejects a resident ID with a wrong check digit on idNumber', () => {
    const input = validTaskInput();
    input.party.idNumber = '110105194912310021';
    expect(errorsOf(input)).toEqual([
      { field: 'idNumber', code: 'id_check_digit', reason: 'check digit does not match' },
    ]);
  });

  it('accepts a blank ID number for every ID type, and validates a number that is given', () => {
    for (const [idType, kind] of [
      ['居民身份证', '自然人'],
      ['统一社会信用代码', '法人'],
      ['护照', '自然人'],
      ['', '其他组织'],
    ] as const) {
      const input = validTaskInput();
      Object.assign(input.party, { idType, idNumber: '  ', kind });
      expect(taskOf(input).party, idType).toMatchObject({ idType, idNumber: '' });
    }
    const input = validTaskInput();
    Object.assign(input.party, { idType: '统一社会信用代码', idNumber: '91150300MA0N1234', kind: '法人' });
    expect(errorsOf(input).map((error) => error.code)).toEqual(['credit_code_shape']);
  });

  it('gives each kind of ID problem its own code on idNumber', () => {
    const codeOf = (idType: string, idNumber: string, kind = 'person') => {
      const input = validTaskInput();
      Object.assign(input.party, { idType, idNumber, kind });
      return errorsOf(input).map(({ field, code, params }) => ({ field, code, params }));
    };
    expect(codeOf('身份证', '1101051949123100')).toEqual([{ field: 'idNumber', code: 'id_length' }]);
    expect(codeOf('', '11010519491231X02X')).toEqual([{ field: 'idNumber', code: 'id_shape' }]);
    expect(codeOf('', residentId('20230230'))).toEqual([{ field: 'idNumber', code: 'id_birth_date' }]);
    expect(codeOf('', residentId('20991231'))).toEqual([{ field: 'idNumber', code: 'id_birth_future' }]);
    expect(codeOf('统一社会信用代码', '91150300MA0N1234', 'organization')).toEqual([
      { field: 'idNumber', code: 'credit_code_shape' },
    ]);
  });

  it('rejects bad case numbers, dates and enum values with their field names', () => {
    const input = validTaskInput();
    Object.assign(input, { deadline: '2024-02-30', method: 'pigeon', priority: '很急' });
    input.case.number = '2024民初1234';
    input.party.kind = 'robot';
    expect(errorsOf(input)).toEqual([
      {
        field: 'partyKind',
        code: 'party_kind_unknown',
        reason: 'must be one of person, organization, 自然人, 法人, 其他组织, 非法人组织',
        params: {
          allowed: 'person, organization, 自然人, 法人, 其他组织, 非法人组织',
          labels: '自然人、法人、其他组织、非法人组织',
        },
      },
      {
        field: 'caseNumber',
        code: 'case_number_shape',
        reason: 'case number must look like (2024)内0303民初1234号',
      },
      {
        field: 'method',
        code: 'method_unknown',
        reason:
          'must be one of electronic, postal, in_person, announcement, 电子送达, 邮寄送达, 直接送达, 外出送达, 公告送达',
        params: {
          allowed:
            'electronic, postal, in_person, announcement, 电子送达, 邮寄送达, 直接送达, 外出送达, 公告送达',
          labels: '电子送达、邮寄送达、直接送达、外出送达、公告送达',
        },
      },
      { field: 'deadline', code: 'date_invalid', reason: 'is not a real calendar date' },
      {
        field: 'priority',
        code: 'priority_unknown',
        reason: 'must be one of normal, urgent, 普通, 加急',
        params: { allowed: 'normal, urgent, 普通, 加急', labels: '普通、加急' },
      },
    ]);
    input.deadline = '下周';
    input.case.number = '';
    expect(errorsOf(input).map(({ field, code }) => ({ field, code }))).toEqual([
      { field: 'partyKind', code: 'party_kind_unknown' },
      { field: 'caseNumber', code: 'required' },
      { field: 'method', code: 'method_unknown' },
      { field: 'deadline', code: 'date_format' },
      { field: 'priority', code: 'priority_unknown' },
    ]);
  });

  it('enforces length caps', () => {
    const input = validTaskInput();
    input.party.name = '张'.repeat(201);
    input.notes = 'x'.repeat(2001);
    expect(errorsOf(input)).toEqual([
      {
        field: 'partyName',
        code: 'too_long',
        reason: 'must be at most 200 characters',
        params: { max: 200 },
      },
      { field: 'notes', code: 'too_long', reason: 'must be at most 2000 characters', params: { max: 2000 } },
    ]);
  });

  it('caps list fields', () => {
    const input = validTaskInput();
    input.party.addresses = Array.from({ length: 51 }, (_, i) => `人民路${i + 1}号`);
    expect(errorsOf(input)).toEqual([
      {
        field: 'addresses',
        code: 'too_many_items',
        reason: 'must have at most 50 items',
        params: { max: 50 },
      },
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
      {
        field: 'documents',
        code: 'document_title_required',
        reason: 'document 1: title is required',
        params: { index: 1 },
      },
      {
        field: 'documents',
        code: 'document_sha256',
        reason: 'document 2: sha256 must be 64 hexadecimal characters',
        params: { index: 2 },
      },
      {
        field: 'documents',
        code: 'document_pages',
        reason: 'document 2: pages must be a positive whole number',
        params: { index: 2 },
      },
    ]);
    expect(errorsOf({ ...input, documents: [] })).toEqual([
      { field: 'documents', code: 'documents_required', reason: 'at least one document is required' },
    ]);
  });

  it('accepts numeric ids and rejects non-text values', () => {
    const input = { ...validTaskInput(), sourceTaskId: 42 };
    expect(taskOf(input).sourceTaskId).toBe('42');
    expect(errorsOf({ ...input, notes: { a: 1 } })).toEqual([
      { field: 'notes', code: 'not_text', reason: 'must be text' },
    ]);
  });
});
