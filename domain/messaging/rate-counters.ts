import { and, eq, lt, sql } from 'drizzle-orm';
import { rateCounters } from '../../db/schema';
import type { Executor } from '../../db/types';

/** A limit: at most `max` hits per fixed window of `windowMs`. */
export interface RateLimit {
  max: number;
  windowMs: number;
}

const windowOf = (now: Date, windowMs: number) => new Date(Math.floor(now.getTime() / windowMs) * windowMs);

/** Milliseconds until the window that contains `now` ends (the Retry-After of a 429). */
export const msUntilWindowEnds = (now: Date, limit: RateLimit): number => windowOf(now, limit.windowMs).getTime() + limit.windowMs - now.getTime();

/**
 * Counts one hit for `bucket` in the current window and returns the count including it. The
 * upsert is atomic, so concurrent requests in different processes never both slip under a limit.
 *
 * @example if ((await hit(db, `lookup:${identityId}`, LOOKUPS, now)) > LOOKUPS.max) return fail('rate_limited');
 */
export async function hit(executor: Executor, bucket: string, limit: RateLimit, now: Date): Promise<number> {
  const [row] = await hitStatement(executor, bucket, limit, now);
  return row?.count ?? 1;
}

/** The counting upsert of {@link hit}, for callers that fold it into a larger statement. */
export function hitStatement(executor: Executor, bucket: string, limit: RateLimit, now: Date) {
  return executor
    .insert(rateCounters)
    .values({ bucket, windowStart: windowOf(now, limit.windowMs), count: 1 })
    .onConflictDoUpdate({ target: [rateCounters.bucket, rateCounters.windowStart], set: { count: sql`${rateCounters.count} + 1` } })
    .returning({ count: rateCounters.count });
}

/** Takes back one hit of the current window (a right answer should cost no one a try). */
export async function unhit(executor: Executor, bucket: string, limit: RateLimit, now: Date): Promise<void> {
  await executor
    .update(rateCounters)
    .set({ count: sql`greatest(${rateCounters.count} - 1, 0)` })
    .where(and(eq(rateCounters.bucket, bucket), eq(rateCounters.windowStart, windowOf(now, limit.windowMs))));
}

/** The count so far in the current window, without adding to it. */
export async function peek(executor: Executor, bucket: string, limit: RateLimit, now: Date): Promise<number> {
  const [row] = await executor
    .select({ count: rateCounters.count })
    .from(rateCounters)
    .where(and(eq(rateCounters.bucket, bucket), eq(rateCounters.windowStart, windowOf(now, limit.windowMs))));
  return row?.count ?? 0;
}

/** Forgets a bucket (a successful login clears the username's failures). */
export async function clear(executor: Executor, bucket: string): Promise<void> {
  await executor.delete(rateCounters).where(eq(rateCounters.bucket, bucket));
}

/** Deletes windows that ended before `before`; run it now and then to keep the table small. */
export async function pruneCounters(executor: Executor, before: Date): Promise<void> {
  await executor.delete(rateCounters).where(lt(rateCounters.windowStart, before));
}
