import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

// Times are shown and entered in the desk's time zone (sessionInfo.timeZone), not the
// browser's, so that "call back at 10:00" means 10:00 at the center.

function safeZone(zone: string | undefined): string | undefined {
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

function inZone(iso: string, zone: string | undefined): dayjs.Dayjs {
  const z = safeZone(zone);
  return z ? dayjs(iso).tz(z) : dayjs(iso);
}

/** 2026-11-23 10:00 */
export function formatDateTime(iso: string, zone: string | undefined): string {
  return inZone(iso, zone).format('YYYY-MM-DD HH:mm');
}

/** 11-23 10:00, or 10:00 when it is today. */
/** 10:00:07 — a moment within a call, to the second. */
export function formatTimeOfDay(iso: string, zone: string | undefined): string {
  return inZone(iso, zone).format('HH:mm:ss');
}

export function formatShortDateTime(
  iso: string,
  zone: string | undefined,
  today: string | undefined,
): string {
  const d = inZone(iso, zone);
  if (today && d.format('YYYY-MM-DD') === today) return d.format('HH:mm');
  return d.format('MM-DD HH:mm');
}

/** A local `YYYY-MM-DDTHH:mm` (datetime-local input) in the desk's zone → ISO with offset. */
export function localInputToIso(value: string, zone: string | undefined): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const z = safeZone(zone);
  const d = z ? dayjs.tz(value, z) : dayjs(value);
  if (!d.isValid()) return null;
  return d.format('YYYY-MM-DDTHH:mm:ssZ');
}

export type DeadlineState = 'overdue' | 'today' | 'later' | 'none';

export function deadlineState(deadline: string | null, today: string | undefined): DeadlineState {
  if (!deadline) return 'none';
  if (!today) return 'later';
  if (deadline < today) return 'overdue';
  if (deadline === today) return 'today';
  return 'later';
}

/** mm:ss since a start time. */
export function elapsed(sinceMs: number, nowMs: number): string {
  const total = Math.max(0, Math.floor((nowMs - sinceMs) / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
