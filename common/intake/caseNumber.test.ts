import { describe, expect, it } from 'vitest';
import { normalizeCaseNumber } from './caseNumber';

describe('normalizeCaseNumber', () => {
  it.each([
    ['(2024)内0303民初1234号', '(2024)内0303民初1234号'],
    ['（2024）内0303民初1234号', '(2024)内0303民初1234号'],
    ['〔2024〕内0303民初1234号', '(2024)内0303民初1234号'],
    [' (２０２４) 内0303 民初1234号 ', '(2024)内0303民初1234号'],
    ['(2023)京民终12号', '(2023)京民终12号'],
    ['(2024)最高法民申1号', '(2024)最高法民申1号'],
    ['(2024)内03执恢5号之一', '(2024)内03执恢5号之一'],
  ])('accepts %j', (raw, value) => {
    expect(normalizeCaseNumber(raw)).toEqual({ ok: true, value });
  });

  it.each(['2024内0303民初1234号', '(2024)内0303民初1234', '(24)内0303民初1234号', 'ABC-123', "'=1+1"])(
    'rejects %j',
    (raw) => {
      expect(normalizeCaseNumber(raw)).toEqual({
        ok: false,
        code: 'case_number_shape',
        reason: 'case number must look like (2024)内0303民初1234号',
      });
    },
  );

  it('rejects an empty case number as required', () => {
    expect(normalizeCaseNumber(' 　')).toEqual({
      ok: false,
      code: 'required',
      reason: 'case number is required',
    });
  });
});
