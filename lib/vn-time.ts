/**
 * Calendar arithmetic in Asia/Ho_Chi_Minh. Vietnam has kept UTC+7 without daylight saving since
 * 1975, so a fixed offset is exact and avoids pulling a time-zone database into the bundle.
 */
const OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface LocalParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday ... 6 = Saturday, as Date.getUTCDay(). */
  weekday: number;
}

export function localParts(at: Date): LocalParts {
  const shifted = new Date(at.getTime() + OFFSET_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    weekday: shifted.getUTCDay(),
  };
}

/** The instant of a local wall-clock time in Vietnam. */
export function localTime(year: number, month: number, day: number, hour = 0, minute = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute) - OFFSET_MS);
}

/** Midnight (local) of the day that contains `at`. */
export function startOfLocalDay(at: Date): Date {
  const p = localParts(at);
  return localTime(p.year, p.month, p.day);
}

export function addLocalDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

/** dd/MM/yyyy, the way Vietnamese paperwork writes dates. */
export function formatLocalDate(at: Date): string {
  const p = localParts(at);
  return `${pad(p.day)}/${pad(p.month)}/${p.year}`;
}

/** HH:mm, local time. */
export function formatLocalClock(at: Date): string {
  const p = localParts(at);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** HH:mm dd/MM/yyyy */
export function formatLocalDateTime(at: Date): string {
  return `${formatLocalClock(at)} ${formatLocalDate(at)}`;
}

/** yyyy-MM-dd of the local day, for grouping and for SQL date boundaries. */
export function localIsoDate(at: Date): string {
  const p = localParts(at);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Quiet hours, local time: no proactive message between 21:00 and 07:00. */
export const QUIET_HOURS = { startHour: 21, endHour: 7 } as const;

/**
 * The earliest moment at or after `at` outside quiet hours: a reminder due at 22:30 waits for
 * 07:00 the next morning; one due at 05:00 waits for 07:00 the same day.
 */
export function outsideQuietHours(at: Date): Date {
  const p = localParts(at);
  if (p.hour >= QUIET_HOURS.startHour) {
    const next = localParts(addLocalDays(at, 1));
    return localTime(next.year, next.month, next.day, QUIET_HOURS.endHour);
  }
  if (p.hour < QUIET_HOURS.endHour) return localTime(p.year, p.month, p.day, QUIET_HOURS.endHour);
  return at;
}
