import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { migrateUnderLock } from './migrate-locked';
import { copyTemplate } from './pglite-template';
import type { Database } from './types';
import { watchedSocket } from './watched-socket';

// Resolved from the project root (one level up) so it holds both here and bundled as dist/node.mjs.
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../db/migrations', import.meta.url));

export interface OpenOptions {
  /** postgres://... to use PostgreSQL through postgres.js; unset for the embedded PGlite. */
  url?: string;
  /** PGlite's data folder; `memory://` keeps everything in memory (tests, the terminal chat). */
  dataDir?: string;
  /**
   * In memory only: start from this cluster (PGlite's dumpDataDir) instead of creating one. The
   * tests open hundreds of databases, and initdb in WebAssembly costs 1.5-3 s of each.
   */
  cluster?: Blob;
  /**
   * A new PGlite data folder starts as a copy of this ready cluster when it exists
   * (db/pglite-template.ts); asked only for an empty folder. Unset: initdb.
   */
  template?: () => string;
  /** postgres.js pool size; {@link defaultPoolSize} when unset. */
  maxConnections?: number;
  /** Bounds on waiting for PostgreSQL; the defaults suit the app (DEFAULT_TIMEOUTS). */
  timeouts?: Partial<DatabaseTimeouts>;
}

export interface DatabaseTimeouts {
  /** Opening a connection (TCP, TLS and start-up). */
  connectSeconds: number;
  /** The server cancels a statement running longer (statement_timeout). */
  statementMs: number;
  /**
   * A connection silent this long while it waits is cut (a partition). Longer than statementMs
   * and than anything done inside an open transaction (the Zalo token refresh calls Zalo's OAuth,
   * up to 10 s, under its row lock).
   */
  silenceMs: number;
  /** The server ends a session idle inside a transaction this long (its locks with it). */
  idleInTransactionMs: number;
  /** Pooled connections idle this long are closed (before silenceMs could cut them). */
  idleSeconds: number;
}

/**
 * Everything that waits for the database waits a bounded time (issue 14, finding 9): no request
 * waits for TCP to give up (many minutes), no connection stays stuck after a partition heals,
 * and no lock is held for ever by a client that went away. Webhooks do not wait for these: they
 * answer 503 after 9 s on their own, and /healthz after 800 ms.
 */
export const DEFAULT_TIMEOUTS: DatabaseTimeouts = { connectSeconds: 5, statementMs: 15_000, silenceMs: 20_000, idleInTransactionMs: 60_000, idleSeconds: 10 };

export interface DatabaseHandle {
  db: Database;
  driver: 'pglite' | 'postgres';
  close(): Promise<void>;
}

/**
 * Seconds before a lost connection is opened again, after `retries` failed attempts in a row.
 * postgres.js's own backoff grows to 10-20 s, counting every failure of every pooled connection,
 * so a few seconds of outage left the whole app (webhooks, delivery) waiting up to 20 s more
 * after the database was back (issue 14, finding 12). Capped at a second: a failed attempt costs
 * the server next to nothing, and a returning database is used at once.
 */
const reconnectDelaySeconds = (retries: number) => Math.min(0.05 * 2 ** retries, 1);

/**
 * Two PostgreSQL connections per CPU core, at least 4: PostgreSQL's own rule of thumb. More
 * connections than the machine can serve only add round trips: with fewer, postgres.js pipelines
 * the statements of concurrent requests on each connection and writes them together. On a 2-core
 * server, 4 instead of 10 answered 15-26 % more webhook updates per second (docs/BENCHMARKS.md).
 */
const defaultPoolSize = () => Math.max(4, 2 * availableParallelism());

/**
 * Opens the database and brings its schema up to date: PGlite when no URL is given (files under
 * DATA_DIR/pglite, created on first start), PostgreSQL through postgres.js otherwise.
 */
export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    const driverOptions = {
      max: options.maxConnections ?? defaultPoolSize(),
      onnotice: () => {},
      backoff: reconnectDelaySeconds,
      connect_timeout: timeouts.connectSeconds,
      idle_timeout: timeouts.idleSeconds,
      // postgres.js documents `socket` but its typings leave it out, hence the variable.
      socket: watchedSocket(timeouts.silenceMs),
      connection: { statement_timeout: timeouts.statementMs, idle_in_transaction_session_timeout: timeouts.idleInTransactionMs },
    };
    const client = postgres(options.url, driverOptions);
    const db = drizzlePostgres(client);
    await migrateUnderLock(options.url, MIGRATIONS_FOLDER, timeouts.connectSeconds);
    // drizzle runs postgres.js queries unprepared, and postgres.js sends an unprepared query
    // with parameters in two round trips (describe, then execute). As named statements, cached
    // per connection, they take one round trip from the second run on: the webhook's statement
    // went from about 1,000 to 4,500 a second (bench/webhook.ts). Queries inside transactions
    // run on postgres.js's own transaction client and stay as they were.
    const unsafe = client.unsafe.bind(client);
    client.unsafe = ((query, parameters, queryOptions) => unsafe(query, parameters, { ...queryOptions, prepare: true })) as typeof client.unsafe;
    return { db: db as unknown as Database, driver: 'postgres', close: () => client.end({ timeout: 5 }) };
  }
  const dataDir = options.dataDir ?? 'memory://';
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true });
    // A first start copies the install's ready cluster instead of running initdb (db/pglite-template.ts).
    if (options.template) await copyTemplate(join(dataDir, 'pglite'), options.template);
  }
  const client = await PGlite.create(inMemory ? { loadDataDir: options.cluster } : { dataDir: join(dataDir, 'pglite') });
  const db = drizzlePglite(client);
  await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return { db: db as unknown as Database, driver: 'pglite', close: () => client.close() };
}
