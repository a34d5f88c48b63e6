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
