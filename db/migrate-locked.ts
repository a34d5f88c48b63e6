import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

/**
 * The advisory lock key every process of this project takes around its migrations: any fixed
 * number, the same everywhere ('mcua' in ASCII). Advisory keys are per database, so another
 * application's database on the same server is not affected.
 */
export const MIGRATION_LOCK_KEY = 0x6d637561;

/**
 * Brings a PostgreSQL database's schema up to date while holding the project's advisory lock, so
 * processes started at the same moment (two web processes, a delivery process, a deploy step)
 * migrate one after the other: the first applies the migrations, the others wait, then find them
 * applied and do nothing. Without it both would read "nothing applied yet" and run the same
 * CREATE statements, and one would fail to start.
 *
 * It opens a connection of its own and closes it after: a session lock is held by a connection,
 * and the pool's connections are cut after seconds of silence and cancel long statements, while
 * waiting for another process's migration, or a migration building an index on a large table,
 * is silent and long by nature. If this process dies, the server ends its session and the lock
 * with it. PGlite is one process only and needs no lock.
 *
 * @example await migrateUnderLock(url, MIGRATIONS_FOLDER, 5);
 */
export async function migrateUnderLock(url: string, migrationsFolder: string, connectSeconds: number): Promise<void> {
  const connection = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: connectSeconds });
  try {
    await connection`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migrate(drizzle(connection), { migrationsFolder });
    await connection`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    await connection.end({ timeout: 5 });
  }
}
