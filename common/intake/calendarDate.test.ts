import { describe, expect, it } from 'vitest';
import { isRealDate, normalizeDate } from './calendarDate';

describe('normalizeDate', () => {
  it.each([
    ['2024-05-01', '2024-05-01'],
    ['2024/5/1', '2024-05-01'],
    ['2024.05.01', '2024-05-01'],
    ['2024年5月1日', '2024-05-01'],
    ['２０２４年５月１日', '2024-05-01'],
    ['2024-05-01T23:30:00Z', '2024-05-01'],
    ['2024-05-01T08:00:00.000+08:00', '2024-05-01'],
    ['2024/5/1 0:00', '2024-05-01'],
  ])('reads %j', (raw, iso) => {
    expect(normalizeDate(raw)).toEqual({ ok: true, value: iso });
  });

  it.each([
    ['2024-02-30', 'date_invalid', 'is not a real calendar date'],
    ['2023-02-29', 'date_invalid', 'is not a real calendar date'],
    ['2024-13-01', 'date_invalid', 'is not a real calendar date'],
    ['01/05/2024', 'date_format', 'must be a date like 2024-05-01'],
    ['next week', 'date_format', 'must be a date like 2024-05-01'],
  ])('rejects %j as %s', (raw, code, reason) => {
    expect(normalizeDate(raw)).toEqual({ ok: false, code, reason });
  });
});

describe('isRealDate', () => {
  it('knows leap years', () => {
    expect(isRealDate(2000, 2, 29)).toBe(true);
    expect(isRealDate(1900, 2, 29)).toBe(false);
  });
});
