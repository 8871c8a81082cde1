// Test data shared by the intake tests of common/ and main/ (not imported by production code).
import { residentIdCheckDigit } from './idNumber';

/** A valid resident ID for someone born on `birth` (YYYYMMDD), check digit computed. */
export function residentId(birth: string, region = '110105', sequence = '002'): string {
  const first17 = `${region}${birth}${sequence}`;
  return first17 + residentIdCheckDigit(first17);
}

/** A complete, valid task in the JSON intake shape; override parts per test. */
export function validTaskInput() {
  return {
    sourceSystem: 'case-system',
    sourceTaskId: 'T-1',
    case: {
      number: '(2024)内0303民初1234号',
      cause: '民间借贷纠纷',
      court: '乌海市海南区人民法院',
      department: '民事审判庭',
      judge: '王法官',
      clerk: '李书记员',
    },
    party: {
      name: '张三',
      kind: 'person',
      role: '被告',
      idType: '居民身份证',
      idNumber: '11010519491231002X',
      phones: ['13812345678'],
      addresses: ['内蒙古乌海市海南区人民路1号'],
      email: null as string | null,
      representative: null as string | null,
    },
    documents: [{ title: '起诉状副本', kind: 'complaint' }],
    method: 'electronic',
    deadline: '2024-06-30',
    priority: 'normal',
    notes: '',
  };
}
