// When a party may be called: configurable windows and days, judged on the party's own clock.
import { DateTime } from 'luxon';
import { z } from 'zod';
import { COURT_TIME_ZONE, TimeZoneSchema, isValidTimeZone, parseInstant, toIsoUtc } from './time';
import { ruleRefusal, type RuleRefusal } from '../contract/refusals';

const HhMmSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:mm (00:00–23:59)');

/** A window within one day; `end` is exclusive and after `start` (no windows across midnight). */
export const CallingWindowSchema = z
  .object({ start: HhMmSchema, end: HhMmSchema })
  .refine((window) => window.start < window.end, { message: 'a window must end after it starts' });
export type CallingWindow = z.infer<typeof CallingWindowSchema>;

/**
 * Defaults: morning office hours, no calls over the customary lunch rest (12:00–14:00), and the
 * afternoon extended to 20:00 and Saturdays included, as courts practising off-hours service
 * (错时送达) do, because many parties can only be reached after work. Sunday is left alone.
 */
export const DEFAULT_CALLING_WINDOWS: CallingWindow[] = [
  { start: '08:30', end: '12:00' },
  { start: '14:00', end: '20:00' },
];
export const DEFAULT_CALLING_DAYS = [1, 2, 3, 4, 5, 6];

export const CallingHoursSchema = z.object({
  /** The zone the windows are read in when the party's own zone is unknown. */
  timeZone: TimeZoneSchema.default(COURT_TIME_ZONE),
  windows: z.array(CallingWindowSchema).min(1).default(DEFAULT_CALLING_WINDOWS),
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: z.array(z.number().int().min(1).max(7)).min(1).default(DEFAULT_CALLING_DAYS),
  /** Dates (yyyy-MM-dd, on the party's calendar) with no calls at all, e.g. public holidays. */
  closedDates: z.array(z.iso.date()).default([]),
});
export type CallingHours = z.infer<typeof CallingHoursSchema>;
export type CallingHoursInput = z.input<typeof CallingHoursSchema>;

export const DEFAULT_CALLING_HOURS: CallingHours = CallingHoursSchema.parse({});

/** A call at the time the party asked for is fine within this margin, even outside the windows. */
export const CALLBACK_TOLERANCE_MINUTES = 30;

/** A refused call says why (code, params, reason) and when the next call is allowed. */
export type CallCheck = { ok: true } | (RuleRefusal & { nextAllowedAt: string });

export function checkCallAllowed(
  hours: CallingHours,
  nowIso: string,
  partyTimeZone?: string,
  callback?: { atIso: string },
): CallCheck {
  const zone = zoneFor(hours, partyTimeZone);
  const now = inZone(parseInstant(nowIso, 'now'), zone);
  if (callback) {
    const askedFor = parseInstant(callback.atIso, 'callback time');
    if (Math.abs(now.diff(askedFor, 'minutes').minutes) <= CALLBACK_TOLERANCE_MINUTES) return { ok: true };
  }
  const problem = whyNotCallable(hours, now, zone);
  if (problem === null) return { ok: true };
  const next = firstCallableFrom(hours, now);
  const nextAllowedAt = toIsoUtc(next);
  const reason = `${problem.text}; next allowed ${next.toFormat('yyyy-MM-dd HH:mm')}`;
  const refusal =
    problem.code === 'call_closed_date'
      ? ruleRefusal(problem.code, { date: now.toISODate() ?? '', nextAllowedAt }, reason)
      : problem.code === 'call_not_calling_day'
        ? ruleRefusal(problem.code, { nextAllowedAt }, reason)
        : ruleRefusal(problem.code, { windows: describeWindows(hours.windows), nextAllowedAt }, reason);
  return { ...refusal, nextAllowedAt };
}

/** The first instant at or after `fromIso` when calls are allowed in `timeZone` (UTC ISO). */
export function nextCallableAt(hours: CallingHours, fromIso: string, timeZone?: string): string {
  const zone = zoneFor(hours, timeZone);
  return toIsoUtc(firstCallableFrom(hours, inZone(parseInstant(fromIso, 'from'), zone)));
}

/** Local time in `zone`; the English locale keeps weekday names and digits the same on every machine. */
function inZone(instant: DateTime, zone: string): DateTime {
  return instant.setZone(zone).setLocale('en-US');
}

function zoneFor(hours: CallingHours, partyTimeZone: string | undefined): string {
  const zone = partyTimeZone ?? hours.timeZone;
  if (!isValidTimeZone(zone)) throw new RangeError(`unknown time zone "${zone}"`);
  return zone;
}

function isCallingDay(hours: CallingHours, local: DateTime): boolean {
  return hours.days.includes(local.weekday) && !hours.closedDates.includes(local.toISODate() ?? '');
}

function atTime(day: DateTime, hhmm: string): DateTime {
  const [hour = 0, minute = 0] = hhmm.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

type CallProblem = {
  code: 'call_closed_date' | 'call_not_calling_day' | 'call_outside_hours';
  text: string;
};

/** Null when a call is allowed at `local`; otherwise why not, for the specialist to read. */
function whyNotCallable(hours: CallingHours, local: DateTime, zone: string): CallProblem | null {
  if (hours.closedDates.includes(local.toISODate() ?? '')) {
    return { code: 'call_closed_date', text: `no calls on ${local.toISODate()} (a closed date in ${zone})` };
  }
  if (!hours.days.includes(local.weekday)) {
    return {
      code: 'call_not_calling_day',
      text: `no calls on ${local.weekdayLong} (calling days ${describeDays(hours.days)}, ${zone})`,
    };
  }
  const open = hours.windows.some(
    (window) => local >= atTime(local, window.start) && local < atTime(local, window.end),
  );
  if (open) return null;
  return {
    code: 'call_outside_hours',
    text: `outside calling hours (${describeWindows(hours.windows)} ${zone})`,
  };
}

function firstCallableFrom(hours: CallingHours, from: DateTime): DateTime {
  const windows = [...hours.windows].sort((a, b) => a.start.localeCompare(b.start));
  // Days are non-empty, so a callable day comes within a week plus however many dates are closed.
  const horizonDays = 8 + hours.closedDates.length;
  for (let offset = 0; offset <= horizonDays; offset++) {
    const day = from.startOf('day').plus({ days: offset });
    if (!isCallingDay(hours, day)) continue;
    for (const window of windows) {
      const start = atTime(day, window.start);
      const candidate = from > start ? from : start;
      if (candidate < atTime(day, window.end)) return candidate;
    }
  }
  throw new RangeError('calling hours allow no call in the coming days');
}

function describeWindows(windows: CallingWindow[]): string {
  return [...windows]
    .sort((a, b) => a.start.localeCompare(b.start))
    .map((window) => `${window.start}–${window.end}`)
    .join(', ');
}

const WEEKDAY_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** [1,2,3,4,5,6] → "Mon–Sat"; [1,3,5] → "Mon, Wed, Fri". */
function describeDays(days: number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    const first = WEEKDAY_SHORT[(sorted[i] ?? 1) - 1];
    const last = WEEKDAY_SHORT[(sorted[j] ?? 1) - 1];
    runs.push(
      j - i >= 2
        ? `${first}–${last}`
        : sorted
            .slice(i, j + 1)
            .map((d) => WEEKDAY_SHORT[d - 1])
            .join(', '),
    );
    i = j + 1;
  }
  return runs.join(', ');
}
