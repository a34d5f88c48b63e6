import { fillPlaceholders, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { type Database, rowsOf } from './types';

/** The two drivers under drizzle, as far as a compiled statement needs them. */
type Driver =
  | { unsafe(text: string, params: unknown[], options: { prepare: boolean }): Promise<unknown[]> }
  | { query(text: string, params: unknown[]): Promise<{ rows: unknown[] }> };

/**
 * A raw statement compiled once: its SQL text is made from `statement` (with `sql.placeholder`
 * for what changes per call) when this is called, and each call only fills the values in and
 * hands text and values to the driver (postgres.js as a named prepared statement, or PGlite).
 *
 * Why: `db.execute(sql…)` rebuilds the text from the template's pieces on every call, which was
 * a tenth of a webhook's CPU on the path every message takes (bench/webhook.ts). Only for such
 * hot statements, run outside transactions; everything else goes through drizzle as usual.
 *
 * @example
 * const touch = compileStatement<{ id: number }>(db, sql`update identities set last_seen_at = now() where id = ${sql.placeholder('id')} returning id`);
 * const rows = await touch({ id: 7 });
 */
export function compileStatement<Row>(db: Database, statement: SQL): (values: Record<string, unknown>) => Promise<Row[]> {
  const { sql: text, params } = new PgDialect().sqlToQuery(statement);
  return async (values) => {
    // drizzle() keeps the driver it was given as $client (postgres.js's sql, or a PGlite). Read
    // per call, not once: on Workers `db` stands for each request's own client (db/scoped.ts),
    // and a client kept from another request cannot be used there.
    const driver = (db as unknown as { $client: Driver }).$client;
    const filled = fillPlaceholders(params, values);
    return rowsOf<Row>('unsafe' in driver ? await driver.unsafe(text, filled, { prepare: true }) : (await driver.query(text, filled)).rows);
  };
}
