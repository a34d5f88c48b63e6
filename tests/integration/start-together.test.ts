import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterEach, describe, expect, it } from 'vitest';
import { scratchDatabase } from '../../bench/lib/scratch-database';
import { MIGRATION_LOCK_KEY } from '../../db/migrate-locked';
import { type DatabaseHandle, MIGRATIONS_FOLDER, openDatabase } from '../../db/open';
import { seedShippedCatalog } from '../../domain/catalog/store';
import { postgresOnly, reachablePostgres } from '../support/database';
import { waitFor } from '../support/processes';

/**
 * Processes that start at the same moment against one PostgreSQL database (two web processes, a
 * delivery worker) each bring the schema up to date and seed a new database; advisory locks make
 * them take turns.
 */
const server = await reachablePostgres();
const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A new, empty database on the server, dropped after the test; `sql` is a connection to it. */
async function freshDatabase() {
  const scratch = await scratchDatabase(server ?? '', `mc_migrate_lock_${process.pid}_${randomBytes(4).toString('hex')}`);
  const sql = postgres(scratch.url, { max: 2, onnotice: () => {} });
  cleanups.push(async () => {
    await sql.end({ timeout: 5 });
    await scratch.drop();
  });
  return { url: scratch.url, sql };
}

const opened = (handles: DatabaseHandle[]) => {
  cleanups.push(async () => {
    for (const handle of handles) await handle.close();
  });
  return handles;
};

describe.skipIf(!server)(postgresOnly('processes starting together on one PostgreSQL database', server), () => {
  it('lets four processes opening a fresh database at once all start, with each migration applied once', async () => {
    const { url, sql } = await freshDatabase();
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => openDatabase({ url, maxConnections: 1 })));
    opened(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])));
    expect(results.map((r) => (r.status === 'fulfilled' ? 'started' : String(r.reason)))).toEqual(Array(4).fill('started'));
    const rows = await sql<{ hash: string; n: number }[]>`select hash, count(*)::int as n from drizzle.__drizzle_migrations group by hash`;
    expect(rows).toHaveLength(journal.entries.length);
    expect(rows.every((r) => r.n === 1)).toBe(true);
  });

  it('waits while another holds the lock, and migrates once it is released', async () => {
    const { url, sql } = await freshDatabase();
    const holder = await sql.reserve();
    await holder`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    let released = false;
    const opening = openDatabase({ url, maxConnections: 1 }).then((handle) => {
      opened([handle]);
      return released;
    });
    // The opener is queued behind the lock, and has created nothing yet.
    await waitFor(async () => {
      const [waiting] = await sql<
        { n: number }[]
      >`select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = ${MIGRATION_LOCK_KEY} and not granted`;
      return waiting?.n === 1;
    }, 10_000);
    const [schema] = await sql<{ n: number }[]>`select count(*)::int as n from pg_namespace where nspname = 'drizzle'`;
    expect(schema?.n).toBe(0);
    released = true;
    await holder`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    holder.release();
    expect(await opening).toBe(true);
    const [applied] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
    expect(applied?.n).toBe(journal.entries.length);
  });

  it('seed a new database once: the shipped catalog loaded by one of them, one demo office', async () => {
    const { url, sql } = await freshDatabase();
    const handles = opened(await Promise.all([1, 2, 3].map(() => openDatabase({ url, maxConnections: 1 }))));
    const loaded = await Promise.all(handles.map((handle) => seedShippedCatalog(handle.db, new Date('2026-01-05T00:00:00Z'))));
    expect(loaded.filter((n) => n > 0)).toHaveLength(1);
    const [counts] = await sql<
      { procedures: number; offices: number }[]
    >`select (select count(*)::int from procedures) as procedures, (select count(*)::int from offices) as offices`;
    expect(counts).toEqual({ procedures: Math.max(...loaded), offices: 1 });
  });
});
