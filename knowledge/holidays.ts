import { localIsoDate } from '../lib/vn-time';
import type { Holiday } from '../vocabulary/procedure';

/**
 * The office's next days off from today (local time, today included), soonest first: what the
 * chat names when a citizen asks whether the office works on a given day.
 *
 * @example upcomingHolidays([{ date: '2026-09-02', name: 'Quốc khánh' }], now, 3)
 */
export function upcomingHolidays(holidays: readonly Holiday[], now: Date, limit: number): Holiday[] {
  const today = localIsoDate(now);
  return holidays
    .filter((h) => h.date >= today)
    .sort((a, b) => a.date.localeCompare(b.date))
    .slice(0, limit);
}

/** 2026-09-02 → 02/09/2026, the way Vietnamese paperwork writes dates. */
export const holidayDate = (date: string): string => date.split('-').reverse().join('/');
