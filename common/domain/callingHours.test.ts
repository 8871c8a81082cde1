import { describe, expect, it } from 'vitest';
import { CallingHoursSchema, DEFAULT_CALLING_HOURS, checkCallAllowed, nextCallableAt } from './callingHours';

const hours = DEFAULT_CALLING_HOURS;
// 2026-11-23 is a Monday; 2026-11-22 a Sunday.

describe('defaults', () => {
  it('are 08:30–12:00 and 14:00–20:00, Monday to Saturday, in Asia/Shanghai', () => {
    expect(hours).toEqual({
      timeZone: 'Asia/Shanghai',
      windows: [
        { start: '08:30', end: '12:00' },
        { start: '14:00', end: '20:00' },
      ],
      days: [1, 2, 3, 4, 5, 6],
      closedDates: [],
    });
  });
});

describe('checkCallAllowed', () => {
  it('allows calls inside a window, start inclusive and end exclusive', () => {
    expect(checkCallAllowed(hours, '2026-11-23T08:30:00+08:00')).toEqual({ ok: true });
    expect(checkCallAllowed(hours, '2026-11-23T19:59:00+08:00')).toEqual({ ok: true });
    expect(checkCallAllowed(hours, '2026-11-23T02:00:00Z')).toEqual({ ok: true }); // 10:00 Shanghai
    expect(checkCallAllowed(hours, '2026-11-23T12:00:00+08:00').ok).toBe(false);
  });

  it('refuses the lunch break with the next window', () => {
    expect(checkCallAllowed(hours, '2026-11-23T12:30:00+08:00')).toEqual({
      ok: false,
      code: 'call_outside_hours',
      params: { windows: '08:30–12:00, 14:00–20:00', nextAllowedAt: '2026-11-23T06:00:00.000Z' },
      reason: 'outside calling hours (08:30–12:00, 14:00–20:00 Asia/Shanghai); next allowed 2026-11-23 14:00',
      nextAllowedAt: '2026-11-23T06:00:00.000Z',
    });
  });

  it('refuses the evening with the next morning', () => {
    expect(checkCallAllowed(hours, '2026-11-23T21:00:00+08:00')).toEqual({
      ok: false,
      code: 'call_outside_hours',
      params: { windows: '08:30–12:00, 14:00–20:00', nextAllowedAt: '2026-11-24T00:30:00.000Z' },
      reason: 'outside calling hours (08:30–12:00, 14:00–20:00 Asia/Shanghai); next allowed 2026-11-24 08:30',
      nextAllowedAt: '2026-11-24T00:30:00.000Z',
    });
  });

  it('refuses Saturday evening with Monday morning, skipping Sunday', () => {
    const result = checkCallAllowed(hours, '2026-11-21T20:30:00+08:00');
    expect(result).toMatchObject({ ok: false, nextAllowedAt: '2026-11-23T00:30:00.000Z' });
  });

  it('refuses Sunday', () => {
    expect(checkCallAllowed(hours, '2026-11-22T10:00:00+08:00')).toEqual({
      ok: false,
      code: 'call_not_calling_day',
      params: { nextAllowedAt: '2026-11-23T00:30:00.000Z' },
      reason: 'no calls on Sunday (calling days Mon–Sat, Asia/Shanghai); next allowed 2026-11-23 08:30',
      nextAllowedAt: '2026-11-23T00:30:00.000Z',
    });
  });

  it('refuses closed dates', () => {
    const holidays = CallingHoursSchema.parse({ closedDates: ['2026-10-01', '2026-10-02'] });
    expect(checkCallAllowed(holidays, '2026-10-01T10:00:00+08:00')).toEqual({
      ok: false,
      code: 'call_closed_date',
      params: { date: '2026-10-01', nextAllowedAt: '2026-10-03T00:30:00.000Z' },
      reason: 'no calls on 2026-10-01 (a closed date in Asia/Shanghai); next allowed 2026-10-03 08:30',
      nextAllowedAt: '2026-10-03T00:30:00.000Z',
    });
  });

  it('judges a party abroad on their own clock', () => {
    // Monday 10:00 in Shanghai is Sunday 21:00 in New York.
    const now = '2026-11-23T10:00:00+08:00';
    expect(checkCallAllowed(hours, now)).toEqual({ ok: true });
    expect(checkCallAllowed(hours, now, 'America/New_York')).toEqual({
      ok: false,
      code: 'call_not_calling_day',
      params: { nextAllowedAt: '2026-11-23T13:30:00.000Z' },
      reason: 'no calls on Sunday (calling days Mon–Sat, America/New_York); next allowed 2026-11-23 08:30',
      nextAllowedAt: '2026-11-23T13:30:00.000Z',
    });
    // Monday 09:00 in New York is Monday 22:00 in Shanghai: fine for the party.
    expect(checkCallAllowed(hours, '2026-11-23T14:00:00Z', 'America/New_York')).toEqual({ ok: true });
  });

  it('allows a call within 30 minutes of the time the party asked for, even outside the windows', () => {
    const callback = { atIso: '2026-11-23T21:30:00+08:00' };
    expect(checkCallAllowed(hours, '2026-11-23T21:00:00+08:00', undefined, callback)).toEqual({ ok: true });
    expect(checkCallAllowed(hours, '2026-11-23T22:00:00+08:00', undefined, callback)).toEqual({ ok: true });
    expect(checkCallAllowed(hours, '2026-11-23T22:01:00+08:00', undefined, callback).ok).toBe(false);
    expect(
      checkCallAllowed(hours, '2026-11-22T10:00:00+08:00', undefined, { atIso: '2026-11-22T10:00:00+08:00' }),
    ).toEqual({
      ok: true,
    });
  });

  it('rejects unknown zones and offset-less instants', () => {
    expect(() => checkCallAllowed(hours, '2026-11-23T10:00:00+08:00', 'Mars/Olympus')).toThrow(
      /unknown time zone/,
    );
    expect(() => checkCallAllowed(hours, '2026-11-23T10:00:00')).toThrow(RangeError);
  });
});

describe('nextCallableAt', () => {
  it('returns the same instant when calls are allowed', () => {
    expect(nextCallableAt(hours, '2026-11-23T10:15:00+08:00')).toBe('2026-11-23T02:15:00.000Z');
  });

  it('finds the next window in the given zone', () => {
    expect(nextCallableAt(hours, '2026-11-23T07:00:00+08:00')).toBe('2026-11-23T00:30:00.000Z');
    expect(nextCallableAt(hours, '2026-11-23T10:00:00+08:00', 'America/New_York')).toBe(
      '2026-11-23T13:30:00.000Z',
    );
  });

  it('follows daylight saving time in the party’s zone', () => {
    // New York switches to EDT on 2026-03-08: 08:30 local is 12:30 UTC afterwards.
    expect(nextCallableAt(hours, '2026-03-09T03:00:00Z', 'America/New_York')).toBe(
      '2026-03-09T12:30:00.000Z',
    );
  });
});

describe('CallingHoursSchema', () => {
  it('rejects bad windows, days and zones', () => {
    expect(CallingHoursSchema.safeParse({ windows: [{ start: '20:00', end: '08:00' }] }).success).toBe(false);
    expect(CallingHoursSchema.safeParse({ windows: [{ start: '8:30', end: '12:00' }] }).success).toBe(false);
    expect(CallingHoursSchema.safeParse({ days: [0] }).success).toBe(false);
    expect(CallingHoursSchema.safeParse({ days: [] }).success).toBe(false);
    expect(CallingHoursSchema.safeParse({ timeZone: 'Mars/Olympus' }).success).toBe(false);
    expect(CallingHoursSchema.safeParse({ closedDates: ['1 Oct'] }).success).toBe(false);
  });

  it('describes custom days compactly', () => {
    const weekdays = CallingHoursSchema.parse({ days: [1, 3, 5] });
    expect(checkCallAllowed(weekdays, '2026-11-24T10:00:00+08:00')).toMatchObject({
      ok: false,
      reason:
        'no calls on Tuesday (calling days Mon, Wed, Fri, Asia/Shanghai); next allowed 2026-11-25 08:30',
    });
  });
});
