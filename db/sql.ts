import { sql } from 'drizzle-orm';

/**
 * A timestamp parameter for raw SQL. Drizzle hands raw parameters to the driver as they are, and
 * postgres.js (as drizzle configures it) takes strings, not Dates.
 */
export const ts = (at: Date) => sql`${at.toISOString()}::timestamptz`;

/**
 * An expression that lets the current statement's own commit skip waiting for the disk
 * (synchronous_commit off, for that transaction only). Only for soft state, whose last instants a
 * database crash may forget at no cost to anyone: an inbound update id, a look-up counter. Use it
 * inside a statement (a CTE the query reads from), so it needs no round trip of its own.
 */
export const SOFT_COMMIT = sql`set_config('synchronous_commit', 'off', true)`;

/**
 * A text[] parameter: one bound value however many strings. Every element is quoted, with its
 * quotes and backslashes escaped, so a comma, a brace, a quote or the word NULL inside a value
 * stays that value.
 *
 * @example sql`kind = any(${textArrayParam(['otp', 'reply'])})`
 */
export const textArrayParam = (values: readonly string[]) => sql`${`{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`}::text[]`;

/** A bigint[] parameter: one bound value however many ids (whole numbers only, checked). */
export function bigintArrayParam(ids: readonly number[]) {
  if (!ids.every(Number.isSafeInteger)) throw new TypeError('bigintArrayParam: expected whole numbers');
  return sql`${`{${ids.join(',')}}`}::bigint[]`;
}
