import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Database } from './types';

/** A request's own database client on Workers, and how to close it once the response is sent. */
export interface RequestDatabase {
  db: Database;
  close(): Promise<void>;
}

/**
 * Opens one request's (or one cron run's) PostgreSQL client through Hyperdrive, which keeps the
 * real connections pooled near the database; the Worker closes it with `ctx.waitUntil(close())`.
 * Never migrates: migrations run from Node before a deploy (`npm run db:migrate`).
 *
 * - max 5: a Worker may hold 6 connections at once, and fetch needs one too.
 * - fetch_types false: saves a round trip per client; drizzle parses the array columns itself.
 * - No start-up statement_timeout as on Node (db/open.ts): Hyperdrive shares its pooled
 *   connections between Workers, and a Worker's request is bounded by the platform itself.
 *
 * @example
 * const database = openRequestDatabase(env.HYPERDRIVE.connectionString);
 * try { return await handle(database.db); } finally { ctx.waitUntil(database.close()); }
 */
export function openRequestDatabase(connectionString: string): RequestDatabase {
  const client = postgres(connectionString, { max: 5, fetch_types: false, onnotice: () => {}, connect_timeout: 5 });
  return { db: drizzle(client) as unknown as Database, close: () => client.end({ timeout: 5 }) };
}
