import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';

/**
 * The database as the domain sees it: drizzle's common PostgreSQL interface, the same whether
 * PGlite or postgres.js is underneath.
 */
export type Database = PgDatabase<PgQueryResultHKT, Record<string, never>>;
export type Transaction = PgTransaction<PgQueryResultHKT, Record<string, never>, ExtractTablesWithRelations<Record<string, never>>>;
/** Either the database or an open transaction: domain writes take this so callers can compose them. */
export type Executor = Database | Transaction;

/**
 * Rows of a raw `execute()`: postgres.js returns an array, PGlite an object with `rows`.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
