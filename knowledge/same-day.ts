import { addLocalDays, localParts, startOfLocalDay } from '../lib/vn-time';
import type { Procedure, SameDayRule } from '../vocabulary/procedure';
import { resultWithinADay } from './facts';

export interface SameDay {
  label: string;
  /** Local midnight of the day (Asia/Ho_Chi_Minh). */
  date: Date;
  /** True when that day is today and the cut-off has not passed. */
  today: boolean;
  cutoff: string;
}

/**
 * The next same-day day for a procedure group: today if it is that weekday and before the
 * cut-off (local time in Vietnam), otherwise the next such weekday. Null when no rule covers
 * the group.
 *
 * @example nextSameDay([{ weekday: 1, label: 'Ngày không hẹn', groups: ['Hộ tịch'], cutoff: '16:00' }], 'Hộ tịch', now)
 */
export function nextSameDay(rules: readonly SameDayRule[], group: string, now: Date): SameDay | null {
  const local = localParts(now);
  const minutes = local.hour * 60 + local.minute;
  let best: SameDay | null = null;
  let bestIn = Number.POSITIVE_INFINITY;
  for (const rule of rules) {
    if (!rule.groups.includes(group)) continue;
    const [h = 0, m = 0] = rule.cutoff.split(':').map(Number);
    let daysAhead = (rule.weekday - local.weekday + 7) % 7;
    if (daysAhead === 0 && minutes >= h * 60 + m) daysAhead = 7;
    if (daysAhead < bestIn) {
      bestIn = daysAhead;
      best = { label: rule.label, date: addLocalDays(startOfLocalDay(now), daysAhead), today: daysAhead === 0, cutoff: rule.cutoff };
    }
  }
  return best;
}

/**
 * The next same-day day for a procedure, only where a same-day result is possible at all: its
 * processing time (or the time its steps state) is at most one working day. A procedure that takes
 * 15 working days is not done on "Ngày không hẹn" just because its group is listed.
 *
 * @example sameDayFor(office.sameDay, procedure, now)?.label // 'Ngày không hẹn'
 */
export function sameDayFor(rules: readonly SameDayRule[], p: Procedure, now: Date): SameDay | null {
  return resultWithinADay(p) ? nextSameDay(rules, p.group, now) : null;
}
