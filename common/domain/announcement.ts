// Service by announcement (公告送达): deemed served 30 days after publication (CPL Art. 95).
import { COURT_TIME_ZONE, parseInstant, toIsoUtc } from './time';

export const ANNOUNCEMENT_PERIOD_DAYS = 30;

/**
 * When an announcement published at `publishedAtIso` counts as served: the start of the day
 * 30 calendar days after the publication date, on the court's calendar. Periods are counted in
 * whole days and the day of publication does not count (CPL Art. 85), so publication on 1 January
 * is deemed served on 31 January. Returns a UTC instant.
 */
export function announcementDeemedServedAt(
  publishedAtIso: string,
  timeZone: string = COURT_TIME_ZONE,
): string {
  const published = parseInstant(publishedAtIso, 'publishedAt').setZone(timeZone);
  return toIsoUtc(published.startOf('day').plus({ days: ANNOUNCEMENT_PERIOD_DAYS }));
}
