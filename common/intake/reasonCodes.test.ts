import { describe, expect, it } from 'vitest';
import { validateResidentId } from './idNumber';
import { residentId, validTaskInput } from './intakeFixtures';
import { normalizePhone } from './phone';
import { INTAKE_REASON_CODES, isIntakeReasonCode, type IntakeReasonCode } from './reasonCodes';
import type { FieldResult } from './result';
import { validateTaskInput } from './validateTask';

type Produced = { field: string; code: string }[];
type TaskInput = ReturnType<typeof validTaskInput>;

function produced(raw: unknown): Produced {
  const result = validateTaskInput(raw);
  return result.ok ? [] : result.errors.map(({ field, code }) => ({ field, code }));
}

const withTask = (edit: (input: TaskInput) => void): Produced => {
  const input = validTaskInput();
  edit(input);
  return produced(input);
};
const withParty = (party: object) => withTask((input) => Object.assign(input.party, party));
const refusal = (field: string, result: FieldResult<unknown>): Produced =>
  result.ok ? [] : [{ field, code: result.code }];

// 'column_count' is a CSV row error: main/intake/readIntakeFile.test.ts checks it.
type TaskCode = Exclude<IntakeReasonCode, 'column_count'>;

/** For every code, the field it is reported on and an input that produces it. */
const PRODUCERS: Record<TaskCode, [field: string, produce: () => Produced]> = {
  not_object: ['task', () => produced('hello')],
  not_text: ['notes', () => withTask((input) => Object.assign(input, { notes: { a: 1 } }))],
  required: ['sourceTaskId', () => withTask((input) => Object.assign(input, { sourceTaskId: ' ' }))],
  too_long: ['notes', () => withTask((input) => Object.assign(input, { notes: 'x'.repeat(2001) }))],
  too_many_items: ['phones', () => withParty({ phones: Array.from({ length: 51 }, () => '13812345678') })],
  // Unreachable through validateTaskInput (an empty number is "required" or absent), but still coded.
  id_empty: ['idNumber', () => refusal('idNumber', validateResidentId(''))],
  id_length: ['idNumber', () => withParty({ idNumber: '1101051949123100' })],
  id_shape: ['idNumber', () => withParty({ idNumber: '11010519491231X02X' })],
  id_birth_date: ['idNumber', () => withParty({ idNumber: residentId('20230230') })],
  id_birth_future: ['idNumber', () => withParty({ idNumber: residentId('20991231') })],
  id_check_digit: ['idNumber', () => withParty({ idNumber: '110105194912310021' })],
  credit_code_shape: [
    'idNumber',
    () => withParty({ kind: 'organization', idType: '统一社会信用代码', idNumber: '91150300MA0N1234' }),
  ],
  // Empty phone cells are skipped by validateTaskInput.
  phone_empty: ['phones', () => refusal('phones', normalizePhone(' '))],
  phone_characters: ['phones', () => withParty({ phones: ['abc'] })],
  phone_foreign: ['phones', () => withParty({ phones: ['+1 415 555 1234'] })],
  phone_no_digits: ['phones', () => withParty({ phones: ['-'] })],
  mobile_with_extension: ['phones', () => withParty({ phones: ['13812345678转801'] })],
  landline_no_area_code: ['phones', () => withParty({ phones: ['1234567'] })],
  phone_invalid: ['phones', () => withParty({ phones: ['12345'] })],
  email_invalid: ['email', () => withParty({ email: 'zhang@' })],
  no_contact: ['phones', () => withParty({ phones: [], addresses: [] })],
  case_number_shape: ['caseNumber', () => withTask((input) => (input.case.number = '2024民初1234'))],
  documents_required: ['documents', () => withTask((input) => (input.documents = []))],
  document_title_required: [
    'documents',
    () => withTask((input) => (input.documents = [{ title: '', kind: '' }])),
  ],
  document_sha256: [
    'documents',
    () => withTask((input) => Object.assign(input, { documents: [{ title: '传票', sha256: 'xyz' }] })),
  ],
  document_pages: [
    'documents',
    () => withTask((input) => Object.assign(input, { documents: [{ title: '传票', pages: 0 }] })),
  ],
  date_format: ['deadline', () => withTask((input) => (input.deadline = 'next week'))],
  date_invalid: ['deadline', () => withTask((input) => (input.deadline = '2024-02-30'))],
  method_unknown: ['method', () => withTask((input) => (input.method = 'pigeon'))],
  priority_unknown: ['priority', () => withTask((input) => (input.priority = '很急'))],
  party_kind_unknown: ['partyKind', () => withParty({ kind: 'robot' })],
};

describe('intake reason codes', () => {
  it.each(Object.entries(PRODUCERS))('%s is produced on its field', (code, [field, produce]) => {
    expect(produce()).toContainEqual({ field, code });
  });

  it('has a producing input for every code but the CSV row error', () => {
    expect(Object.keys(PRODUCERS).sort()).toEqual(
      INTAKE_REASON_CODES.filter((code) => code !== 'column_count').sort(),
    );
  });

  it('lists each code once, as snake_case', () => {
    expect(new Set(INTAKE_REASON_CODES).size).toBe(INTAKE_REASON_CODES.length);
    for (const code of INTAKE_REASON_CODES) expect(code).toMatch(/^[a-z]+(?:_[a-z0-9]+)*$/);
  });

  it('recognises known codes only', () => {
    expect(isIntakeReasonCode('id_check_digit')).toBe(true);
    expect(isIntakeReasonCode('no_such_code')).toBe(false);
    expect(isIntakeReasonCode(undefined)).toBe(false);
  });
});
