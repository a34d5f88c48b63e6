import { and, count, eq, gte, inArray, lt } from 'drizzle-orm';
import { dossiers } from '../../db/schema';
import type { Executor } from '../../db/types';
import { addLocalDays, startOfLocalDay } from '../../lib/vn-time';
import type { Actor } from '../../vocabulary/actors';
import { OPEN_STATUSES } from '../../vocabulary/dossiers';
import { officeScope } from './store';

/**
 * The counter's morning numbers: open dossiers whose appointment is later today, and open
 * dossiers already past their appointment, in the actor's office (all offices for province-wide accounts).
 */
export async function dueCounts(db: Executor, actor: Actor, now: Date): Promise<{ dueToday: number; overdue: number }> {
  const office = officeScope(actor);
  const scope = and(inArray(dossiers.status, [...OPEN_STATUSES]), office !== null ? eq(dossiers.officeId, office) : undefined);
  const endOfToday = addLocalDays(startOfLocalDay(now), 1);
  const [[today], [late]] = await Promise.all([
    db
      .select({ n: count() })
      .from(dossiers)
      .where(and(scope, gte(dossiers.dueAt, now), lt(dossiers.dueAt, endOfToday))),
    db
      .select({ n: count() })
      .from(dossiers)
      .where(and(scope, lt(dossiers.dueAt, now))),
  ]);
  return { dueToday: today?.n ?? 0, overdue: late?.n ?? 0 };
}
