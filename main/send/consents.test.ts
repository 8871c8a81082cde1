import { describe, expect, it } from 'vitest';
import { DeskFailure } from '../../common/contract';
import { maskEmail } from '../../common/domain/masking';
import { confirmedAddresses } from './consents';

const phones: Record<number, { digits: string; kind: 'mobile' | 'landline'; invalid: string | null }> = {
  1: { digits: '13812345678', kind: 'mobile', invalid: null },
  2: { digits: '04731234567', kind: 'landline', invalid: null },
  3: { digits: '13900000000', kind: 'mobile', invalid: 'wrong_number' },
};
const phoneOf = (id: number) => phones[id] ?? null;

describe('the addresses a consented outcome confirms', () => {
  it('defaults to the mobile called, and adds the e-mail given', () => {
    expect(confirmedAddresses(undefined, 1, phoneOf)).toEqual([{ channel: 'sms', address: '13812345678' }]);
    expect(confirmedAddresses({ email: ' party@example.test ' }, 1, phoneOf)).toEqual([
      { channel: 'sms', address: '13812345678' },
      { channel: 'email', address: 'party@example.test' },
    ]);
  });

  it('takes no SMS from a landline called or an invalid number, and none when the party said so', () => {
    expect(confirmedAddresses(undefined, 2, phoneOf)).toEqual([]);
    expect(confirmedAddresses(undefined, 3, phoneOf)).toEqual([]);
    expect(confirmedAddresses({ phoneId: null, email: 'a@b.cn' }, 1, phoneOf)).toEqual([
      { channel: 'email', address: 'a@b.cn' },
    ]);
  });

  it('refuses a chosen number that is not a mobile, with its code', () => {
    expect(() => confirmedAddresses({ phoneId: 2 }, 1, phoneOf)).toThrow(DeskFailure);
    try {
      confirmedAddresses({ phoneId: 2 }, 1, phoneOf);
    } catch (error) {
      expect((error as DeskFailure).details).toMatchObject({ code: 'consent_phone_not_mobile' });
    }
  });

  it('masks e-mail addresses for the UI: first and last letters of the name, the domain', () => {
    expect(maskEmail('zhangsan@example.test')).toBe('z***n@example.test');
    expect(maskEmail('ab@example.test')).toBe('a*@example.test');
    expect(maskEmail('nobody')).toBe('******');
  });
});
