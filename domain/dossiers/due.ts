import { and, count, eq } from 'drizzle-orm';
import { dossiers } from '../../db/schema';
import type { Executor } from '../../db/types';
import type { Actor } from '../../vocabulary/actors';
import { dueWithin } from './due-window';
import { officeScope } from './store';

/**
 * The counter's morning numbers: open dossiers whose appointment is later today, and open
 * dossiers already past their appointment, in the actor's office (all offices for province-wide accounts).
 */
export async function dueCounts(db: Executor, actor: Actor, now: Date): Promise<{ dueToday: number; overdue: number }> {
  const office = officeScope(actor);
  const scope = office !== null ? eq(dossiers.officeId, office) : undefined;
  const [[today], [late]] = await Promise.all([
    db
      .select({ n: count() })
      .from(dossiers)
      .where(and(scope, dueWithin('today', now))),
    db
      .select({ n: count() })
      .from(dossiers)
      .where(and(scope, dueWithin('overdue', now))),
  ]);
  return { dueToday: today?.n ?? 0, overdue: late?.n ?? 0 };
}
