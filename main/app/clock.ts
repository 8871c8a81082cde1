import { DateTime } from 'luxon';

/** The desk's notion of now. Tests and demos may start it at a fixed instant; it then runs on. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function clockStartingAt(startIso: string): Clock {
  const offset = DateTime.fromISO(startIso, { setZone: true }).toMillis() - Date.now();
  if (Number.isNaN(offset)) throw new RangeError(`not an ISO instant: ${startIso}`);
  return { now: () => new Date(Date.now() + offset) };
}

/** Today, the end of today and now, as the queue filters need them, in the desk's zone. */
export function queueClock(clock: Clock, timeZone: string) {
  const now = DateTime.fromJSDate(clock.now()).setZone(timeZone);
  return {
    now: now.toUTC().toISO()!,
    today: now.toISODate()!,
    endOfToday: now.endOf('day').toUTC().toISO()!,
  };
}
