// Instants and time zones for the domain rules. Rules never read the clock: callers pass `now`.
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { ruleRefusal, type RuleRefusal } from '../contract/refusals';

/** The courts' own zone: announcement periods are counted on its calendar. */
export const COURT_TIME_ZONE = 'Asia/Shanghai';

/**
 * An instant as ISO 8601 with an explicit offset or `Z`. A local time without an offset would be
 * read in the machine's zone, so the same input could mean different instants on different desks.
 */
export const IsoInstantSchema = z.iso.datetime({ offset: true });

export const TimeZoneSchema = z
  .string()
  .refine((zone) => isValidTimeZone(zone), { message: 'not a known IANA time zone' });

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** Parses an instant, keeping the offset it was written with; null when invalid or offset-less. */
export function tryParseInstant(iso: string): DateTime | null {
  if (!IsoInstantSchema.safeParse(iso).success) return null;
  const parsed = DateTime.fromISO(iso, { setZone: true });
  return parsed.isValid ? parsed : null;
}

/** Like tryParseInstant, for inputs that schemas have already checked: a bad one is a programming error. */
export function parseInstant(iso: string, what = 'instant'): DateTime {
  const parsed = tryParseInstant(iso);
  if (!parsed) throw new RangeError(`${what} is not an ISO date-time with an offset: "${iso}"`);
  return parsed;
}

/** Every instant the domain returns is UTC (`…Z`), so stored strings sort in time order. */
export function toIsoUtc(instant: DateTime): string {
  const iso = instant.toUTC().toISO();
  if (iso === null) throw new RangeError('invalid instant');
  return iso;
}

/** The refusal of a rule given something that is not an instant (`field` names the input). */
export function notAnInstant(field: string): RuleRefusal {
  return ruleRefusal('instant_invalid', { field }, `${field} is not an ISO date-time with an offset`);
}

/** Whether two ISO instants (either may be missing) name the same moment, whatever their offsets. */
export const sameInstant = (a: string | null | undefined, b: string | null | undefined): boolean =>
  a != null && b != null && Date.parse(a) === Date.parse(b);
