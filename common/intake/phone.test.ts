import { describe, expect, it } from 'vitest';
import { normalizePhone, phoneSearchDigits } from './phone';

const mobile = { kind: 'mobile', digits: '13812345678', display: '138 1234 5678' };

describe('normalizePhone', () => {
  it.each([
    '13812345678',
    '138 1234 5678',
    '138-1234-5678',
    '+86 138-1234-5678',
    '+8613812345678',
    '0086 13812345678',
    '86-13812345678',
    '１３８１２３４５６７８',
    '＋８６ １３８－１２３４－５６７８',
  ])('reads the mobile number %s', (raw) => {
    expect(normalizePhone(raw)).toEqual({ ok: true, value: mobile });
  });

  it.each([
    ['0471-1234567', '04711234567', '0471-1234567'],
    ['(010)12345678', '01012345678', '010-12345678'],
    ['（０１０）１２３４５６７８', '01012345678', '010-12345678'],
    ['010 1234 5678', '01012345678', '010-12345678'],
    ['010-1234-5678', '01012345678', '010-12345678'],
    ['021.1234.5678', '02112345678', '021-12345678'],
    ['+86 471 1234567', '04711234567', '0471-1234567'],
    ['+86 10 12345678', '01012345678', '010-12345678'],
    ['+86 (0)471 1234567', '04711234567', '0471-1234567'],
  ])('reads the landline %s', (raw, digits, display) => {
    expect(normalizePhone(raw)).toEqual({ ok: true, value: { kind: 'landline', digits, display } });
  });

  it.each([
    '0471-1234567转801',
    '0471-1234567 转 801',
    '0471-1234567分机801',
    '0471-1234567 ext 801',
    '0471-1234567 EXT.801',
    '0471-1234567x801',
    '0471-1234567#801',
    '0471-1234567-801',
    '04711234567-801',
    '0471－1234567－801',
  ])('reads the extension in %s', (raw) => {
    expect(normalizePhone(raw)).toEqual({
      ok: true,
      value: { kind: 'landline', digits: '04711234567', extension: '801', display: '0471-1234567 转801' },
    });
  });

  // The forms courts send (issue 5), half- and full-width: the number is normalised as without an
  // extension and the extension is kept apart.
  it.each([
    '0471-6661234转801',
    '0471-6661234 分机801',
    '0471-6661234分机号：801',
    '0471-6661234转分机801',
    '0471-6661234（转801）',
    '0471-6661234 ext. 801',
    '0471-6661234 Ext.801',
    '0471-6661234#801',
    '０４７１－６６６１２３４转８０１',
    '０４７１－６６６１２３４ 分机 ８０１',
    '０４７１－６６６１２３４ ｅｘｔ． ８０１',
    '０４７１－６６６１２３４＃８０１',
    '（０４７１）６６６１２３４＃８０１',
    '+86 471 6661234 #801',
  ])('keeps number and extension of %s apart', (raw) => {
    const phone = normalizePhone(raw);
    expect(phone).toEqual({
      ok: true,
      value: { kind: 'landline', digits: '04716661234', extension: '801', display: '0471-6661234 转801' },
    });
    // The number is what search matches, however the extension was written.
    expect(phoneSearchDigits(raw)).toBe('04716661234');
    expect(normalizePhone('0471-6661234')).toMatchObject({ ok: true, value: { digits: '04716661234' } });
  });

  it.each([
    ['', 'phone_empty', 'phone number is empty'],
    ['-', 'phone_no_digits', 'phone number has no digits'],
    ['abc', 'phone_characters', 'phone number contains characters that are not digits'],
    ['=HYPERLINK("x")', 'phone_characters', 'phone number contains characters that are not digits'],
    ['1234567', 'landline_no_area_code', 'landline number needs an area code'],
    ['12812345678', 'phone_invalid', 'not a valid mobile or landline number'],
    ['1381234567', 'phone_invalid', 'not a valid mobile or landline number'],
    ['138123456789', 'phone_invalid', 'not a valid mobile or landline number'],
    ['0471-123456', 'phone_invalid', 'not a valid mobile or landline number'],
    ['0111-1234567', 'phone_invalid', 'not a valid mobile or landline number'],
    ['+1 415 555 1234', 'phone_foreign', 'only Chinese (+86) phone numbers are supported'],
    ['13812345678转801', 'mobile_with_extension', 'a mobile number cannot have an extension'],
    ['13812345678-801', 'phone_invalid', 'not a valid mobile or landline number'],
  ])('rejects %j as %s', (raw, code, reason) => {
    expect(normalizePhone(raw)).toEqual({ ok: false, code, reason });
  });
});

describe('phoneSearchDigits', () => {
  it.each([
    ['+86 138-1234', '1381234'],
    ['１３８１２３４', '1381234'],
    ['138 1234 5678', '13812345678'],
    ['0086 138', '138'],
    ['86-138', '138'],
    ['8613812345678', '13812345678'],
    ['+86 10 1234', '0101234'],
    ['(0471) 12', '047112'],
    ['0471-1234567转801', '04711234567'],
    ['5678', '5678'],
  ])('turns %j into %j', (raw, digits) => {
    expect(phoneSearchDigits(raw)).toBe(digits);
  });

  it('keeps a bare 86 that may be part of a subscriber number', () => {
    expect(phoneSearchDigits('8612')).toBe('8612');
  });

  it.each(['', '   ', '张三', 'abc123', '+86', '+1 415', '(2024)内0303民初1234号'])(
    'returns null for %j',
    (raw) => {
      expect(phoneSearchDigits(raw)).toBeNull();
    },
  );
});
