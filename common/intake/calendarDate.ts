import { accept, reject, type FieldResult } from './result';
import { toHalfWidth } from './halfWidth';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** True when year/month/day name a day that exists in the Gregorian calendar. */
export function isRealDate(year: number, month: number, day: number): boolean {
  const days = DAYS_IN_MONTH[month - 1];
  if (days === undefined || day < 1) return false;
  return day <= (month === 2 && isLeapYear(year) ? 29 : days);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function formatIsoDate(year: number, month: number, day: number): string {
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

// 2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日, each optionally followed by a time of day
// (ISO "T10:00:00Z" or Excel's "2024/5/1 0:00"). The time is dropped: a deadline is a calendar day
// at the court, so the date is taken as written, without converting time zones.
const DATE_FORMS =
  /^(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})[日号]?)(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Accepts the date spellings found in court exports and returns YYYY-MM-DD. */
export function normalizeDate(raw: string): FieldResult<string> {
  const match = DATE_FORMS.exec(toHalfWidth(raw).trim());
  if (!match) return reject('date_format', 'must be a date like 2024-05-01');
  const year = Number(match[1]);
  const month = Number(match[2] ?? match[4]);
  const day = Number(match[3] ?? match[5]);
  if (!isRealDate(year, month, day)) return reject('date_invalid', 'is not a real calendar date');
  return accept(formatIsoDate(year, month, day));
}
