import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import postgres from 'postgres';
import { type DatabaseHandle, MIGRATIONS_FOLDER, openDatabase } from '../../db/open';
import { templateFolder } from '../../db/pglite-template';

let cluster: Promise<Blob> | undefined;

/**
 * An empty, migrated PGlite cluster that every in-memory test database starts from: initdb in
 * WebAssembly (1.5-3 s) then runs once per machine and schema instead of once per test database,
 * which made it most of the suite's time on PGlite. Kept beside the install's PGlite template
 * (db/pglite-template.ts), named by the PGlite version and a hash of the migrations, so a new
 * migration makes a new one; written under another name and renamed, so the test processes that
 * start together never read a half-written file.
 */
function migratedCluster(): Promise<Blob> {
  cluster ??= (async () => {
    const hash = createHash('sha256');
    const migrations = readdirSync(MIGRATIONS_FOLDER, { recursive: true, encoding: 'utf8' }).sort();
    for (const name of migrations) if (name.endsWith('.sql') || name.endsWith('.json')) hash.update(name).update(readFileSync(join(MIGRATIONS_FOLDER, name)));
    const file = `${templateFolder()}-tests-${hash.digest('hex').slice(0, 16)}.tgz`;
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    const client = await PGlite.create();
    try {
      await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
      const dump = await client.dumpDataDir('gzip');
      mkdirSync(dirname(file), { recursive: true });
      const partial = `${file}.${process.pid}`;
      writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
      renameSync(partial, file);
      return dump;
    } finally {
      await client.close();
    }
  })();
  return cluster;
}

/**
 * A fresh, migrated database for one test file: PGlite in memory by default, or a new database
 * on the PostgreSQL server named by TEST_DATABASE_URL (dropped again by close(); its address in
 * `url`), so test files run in parallel without seeing each other's rows.
 */
export async function createTestDatabase(): Promise<DatabaseHandle & { url?: string }> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) return openDatabase({ dataDir: 'memory://', cluster: await migratedCluster() });

  const name = `mc_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString(), maxConnections: 5 });
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/** Which database the suite runs on, for test names and skips. */
export const testDatabaseKind = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

/** Where a PostgreSQL-only test looks for a server when the suite itself runs on PGlite. */
const LOCAL_SERVER = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * The PostgreSQL server for tests that need one whatever database the suite runs on (several
 * processes sharing one database): TEST_DATABASE_URL, else the local server, or null when none
 * answers. Such tests are skipped, saying why, only when this is null.
 *
 * @example
 * const server = await reachablePostgres();
 * describe.skipIf(!server)(server ? 'migrations under a lock' : 'migrations under a lock (skipped: PostgreSQL not reachable)', ...);
 */
export async function reachablePostgres(): Promise<string | null> {
  const url = process.env.TEST_DATABASE_URL ?? LOCAL_SERVER;
  const probe = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 2 });
  try {
    await probe`select 1`;
    return url;
  } catch {
    return null;
  } finally {
    await probe.end({ timeout: 1 });
  }
}

/** The title of a PostgreSQL-only suite, which says why when it is skipped. */
export const postgresOnly = (title: string, server: string | null) =>
  server ? title : `${title} (skipped: no PostgreSQL server answers at TEST_DATABASE_URL or ${LOCAL_SERVER})`;
