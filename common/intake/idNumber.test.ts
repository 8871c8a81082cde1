import { describe, expect, it } from 'vitest';
import {
  lastDigits,
  normalizeIdType,
  normalizePartyId,
  residentIdCheckDigit,
  validateCreditCode,
  validateResidentId,
} from './idNumber';
import { residentId } from './intakeFixtures';

describe('residentIdCheckDigit', () => {
  it('computes the ISO 7064 MOD 11-2 check character', () => {
    expect(residentIdCheckDigit('11010519491231002')).toBe('X');
    // Weighted sum 180, 180 mod 11 = 4 → '8'.
    expect(residentIdCheckDigit('44030019900101123')).toBe('8');
  });

  it('refuses anything but 17 digits', () => {
    expect(() => residentIdCheckDigit('1101051949123100')).toThrow();
    expect(() => residentIdCheckDigit('1101051949123100A')).toThrow();
  });
});

describe('validateResidentId', () => {
  const today = new Date(2024, 5, 15);

  it('accepts a valid ID', () => {
    expect(validateResidentId('11010519491231002X', today)).toEqual({
      ok: true,
      value: '11010519491231002X',
    });
    const generated = residentId('19900101', '440300', '123');
    expect(validateResidentId(generated, today)).toEqual({ ok: true, value: '440300199001011238' });
  });

  it('normalises lowercase x, full-width characters and spaces', () => {
    expect(validateResidentId('11010519491231002x', today)).toEqual({
      ok: true,
      value: '11010519491231002X',
    });
    expect(validateResidentId('１１０１０５１９４９１２３１００２Ｘ', today)).toEqual({
      ok: true,
      value: '11010519491231002X',
    });
    expect(validateResidentId(' 110105 19491231 002ｘ ', today)).toEqual({
      ok: true,
      value: '11010519491231002X',
    });
  });

  it('rejects a wrong check digit', () => {
    expect(validateResidentId('110105194912310021', today)).toEqual({
      ok: false,
      code: 'id_check_digit',
      reason: 'check digit does not match',
    });
  });

  it('rejects impossible and future birth dates', () => {
    expect(validateResidentId(residentId('20230230'), today)).toEqual({
      ok: false,
      code: 'id_birth_date',
      reason: 'birth date in resident ID is not a real date',
    });
    expect(validateResidentId(residentId('18991231'), today)).toMatchObject({
      ok: false,
      code: 'id_birth_date',
    });
    expect(validateResidentId(residentId('20240616'), today)).toEqual({
      ok: false,
      code: 'id_birth_future',
      reason: 'birth date in resident ID is in the future',
    });
    expect(validateResidentId(residentId('20240615'), today).ok).toBe(true);
    expect(validateResidentId(residentId('20000229'), today).ok).toBe(true);
  });

  it('rejects wrong length and non-digits', () => {
    expect(validateResidentId('', today)).toEqual({
      ok: false,
      code: 'id_empty',
      reason: 'ID number is empty',
    });
    expect(validateResidentId('1101051949123100', today)).toEqual({
      ok: false,
      code: 'id_length',
      reason: 'resident ID must have 18 characters',
    });
    expect(validateResidentId('11010519491231X02X', today)).toEqual({
      ok: false,
      code: 'id_shape',
      reason: 'resident ID must be 17 digits followed by a digit or X',
    });
  });
});

describe('validateCreditCode', () => {
  it('accepts 18 letters or digits, upper-cased', () => {
    expect(validateCreditCode('91150300ma0n1234xy')).toEqual({ ok: true, value: '91150300MA0N1234XY' });
    expect(validateCreditCode('91150300MA0N1234')).toEqual({
      ok: false,
      code: 'credit_code_shape',
      reason: 'unified social credit code must be 18 letters or digits',
    });
    expect(validateCreditCode(' ')).toMatchObject({ ok: false, code: 'id_empty' });
  });
});

describe('normalizePartyId', () => {
  it('validates resident IDs and maps the 身份证 alias', () => {
    expect(normalizePartyId('身份证', '11010519491231002x', 'person')).toEqual({
      ok: true,
      value: { idType: '居民身份证', idNumber: '11010519491231002X' },
    });
    expect(normalizePartyId('居民身份证', '110105194912310021', 'person')).toEqual({
      ok: false,
      code: 'id_check_digit',
      reason: 'check digit does not match',
    });
  });

  it('accepts a blank number for every ID type, keeping the type', () => {
    for (const idType of ['居民身份证', '身份证', '统一社会信用代码', '护照', '港澳居民来往内地通行证', '']) {
      for (const kind of ['person', 'organization'] as const) {
        expect(normalizePartyId(idType, '', kind)).toEqual({
          ok: true,
          value: { idType: normalizeIdType(idType), idNumber: '' },
        });
      }
    }
    expect(normalizePartyId('统一社会信用代码', ' \u3000 ', 'organization')).toEqual({
      ok: true,
      value: { idType: '统一社会信用代码', idNumber: '' },
    });
  });

  it('reads the placeholders case systems write for "no number" as unknown', () => {
    for (const text of ['无', '暂无', '不详', '未知', '-', "'-", '—', '／', '--', ' / ']) {
      expect(normalizePartyId('居民身份证', text, 'person'), text).toEqual({
        ok: true,
        value: { idType: '居民身份证', idNumber: '' },
      });
    }
    // Anything else is a number and is validated as before.
    expect(normalizePartyId('居民身份证', '无1234', 'person')).toMatchObject({
      ok: false,
      code: 'id_length',
    });
  });

  it('infers the type of an untyped 18-character number from the party kind', () => {
    expect(normalizePartyId('', '11010519491231002X', 'person')).toEqual({
      ok: true,
      value: { idType: '居民身份证', idNumber: '11010519491231002X' },
    });
    expect(normalizePartyId('', '110105194912310021', 'person')).toMatchObject({
      ok: false,
      code: 'id_check_digit',
    });
    expect(normalizePartyId('', '91150300MA0N1234XY', 'organization')).toEqual({
      ok: true,
      value: { idType: '统一社会信用代码', idNumber: '91150300MA0N1234XY' },
    });
  });

  it('only trims other ID types', () => {
    expect(normalizePartyId('护照', ' E12345678 ', 'person')).toEqual({
      ok: true,
      value: { idType: '护照', idNumber: 'E12345678' },
    });
  });
});

describe('lastDigits', () => {
  it('returns the last n characters', () => {
    expect(lastDigits('11010519491231002X', 4)).toBe('002X');
    expect(lastDigits('11010519491231002X', 0)).toBe('');
  });
});
