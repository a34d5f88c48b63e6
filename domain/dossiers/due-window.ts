import { and, gte, inArray, lt, type SQL } from 'drizzle-orm';
import { dossiers } from '../../db/schema';
import { addLocalDays, startOfLocalDay } from '../../lib/vn-time';
import { type DossierStatus, OPEN_STATUSES } from '../../vocabulary/dossiers';

/** The counter's two lists of open dossiers by appointment: due later today, or already late. */
export const DUE_WINDOWS = ['today', 'overdue'] as const;
export type DueWindow = (typeof DUE_WINDOWS)[number];

/**
 * Open dossiers whose appointment is later today (Vietnam's day), or already past, at `now`.
 * The home page's counts and the dossier list's filter both use it, so they always agree.
 */
export function dueWithin(window: DueWindow, now: Date): SQL | undefined {
  const open = inArray(dossiers.status, [...OPEN_STATUSES]);
  if (window === 'overdue') return and(open, lt(dossiers.dueAt, now));
  return and(open, gte(dossiers.dueAt, now), lt(dossiers.dueAt, addLocalDays(startOfLocalDay(now), 1)));
}

/** The same test as `dueWithin('overdue', now)`, for a dossier already read. */
export const isOverdue = (dossier: { status: DossierStatus; dueAt: Date }, now: Date): boolean =>
  OPEN_STATUSES.includes(dossier.status) && dossier.dueAt.getTime() < now.getTime();
