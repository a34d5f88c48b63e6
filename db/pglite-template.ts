import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import type { Database } from './types';

/**
 * A ready PGlite cluster (migrated, the shipped catalog loaded) made once at install (`npm ci`
 * runs scripts/postinstall.ts), copied into DATA_DIR on the very first start.
 *
 * Why: creating a cluster runs PostgreSQL's initdb inside WebAssembly, 2.5 to 4.5 s on a 2-core
 * machine, which alone broke the 3 s first-start goal (docs/BENCHMARKS.md, cold start). Copying
 * the 40 MB folder takes about 0.2 s. The template is keyed by the PGlite version (a cluster
 * must match the build that reads it) and by what fills it (the caller's content key: the shipped
 * catalog, which a pull can change without a new install), and lives in node_modules/.cache, so
 * a new install, a PGlite upgrade or new shipped data makes a new one and nothing binary is
 * committed. Migrations added after the install simply run on the copy at start, as on any
 * existing database. Without a template for the current key the first start falls back to initdb.
 *
 * Paths are resolved from this module, which sits one level below the project root both as
 * db/pglite-template.ts and bundled as dist/node.mjs.
 */
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The folder the template for the installed PGlite (and, given one, a content key) lives in. */
export function templateFolder(root = PROJECT_ROOT, content?: string): string {
  const manifest = join(root, 'node_modules', '@electric-sql', 'pglite', 'package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return join(root, 'node_modules', '.cache', 'mot-cua-assistant', `pglite-${version}${content ? `-${content}` : ''}`);
}

/**
 * Removes the templates made for other content beside `keep` (`pglite-<version>-<key>` folders
 * whose key differs, and the unkeyed `pglite-<version>` of installs before keys): each is 40 MB,
 * and every change of the shipped data would leave one.
 */
export function removeOtherTemplates(keep: string): void {
  const name = basename(keep);
  const prefix = name.slice(0, name.lastIndexOf('-') + 1);
  const key = /^[0-9a-f]+$/;
  for (const entry of readdirSync(dirname(keep), { withFileTypes: true })) {
    const other = entry.name === prefix.slice(0, -1) || (entry.name.startsWith(prefix) && key.test(entry.name.slice(prefix.length)));
    if (entry.isDirectory() && entry.name !== name && other) {
      rmSync(join(dirname(keep), entry.name), { recursive: true, force: true });
    }
  }
}

/**
 * Makes the template unless it exists: initdb, our migrations, then `fill` (the shipped data a
 * first start would otherwise insert). Built beside the final folder and renamed into place, so
 * a half-made template is never copied.
 */
export async function createTemplate(
  migrationsFolder: string,
  fill: (db: Database) => Promise<void>,
  folder = templateFolder(),
): Promise<'created' | 'exists'> {
  if (existsSync(join(folder, 'PG_VERSION'))) return 'exists';
  const building = `${folder}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(dirname(folder), { recursive: true });
  try {
    const client = await PGlite.create(building);
    try {
      const db = drizzle(client);
      await migrate(db, { migrationsFolder });
      await fill(db as unknown as Database);
      // Only the database PGlite opens (postgres) is kept. template0 and template1 serve CREATE
      // DATABASE, which the embedded single-database assistant never runs, and they hold half
      // of the cluster's ~1,150 files: creating files is what a copy costs.
      await client.exec(`update pg_database set datistemplate = false where datname in ('template0', 'template1')`);
      for (const statement of ['drop database template0', 'drop database template1', 'checkpoint']) await client.exec(statement);
    } finally {
      await client.close();
    }
  } catch (error) {
    rmSync(building, { recursive: true, force: true });
    throw error;
  }
  rmSync(folder, { recursive: true, force: true });
  renameSync(building, folder);
  return 'created';
}

/**
 * Copies the template into `target` when `target` is missing or empty and a template exists
 * (a folder with anything in it is never touched). Returns whether it did; the caller then opens
 * `target` as usual. `folder` may be given as a function, asked only when a copy could happen
 * (its content key can cost a few milliseconds to work out).
 */
export async function copyTemplate(target: string, folder: string | (() => string)): Promise<boolean> {
  if (existsSync(target) && readdirSync(target).length > 0) return false;
  const template = typeof folder === 'function' ? folder() : folder;
  if (!existsSync(join(template, 'PG_VERSION'))) return false;
  const staging = join(dirname(target), `.pglite-copy-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  await copyFolder(template, staging);
  rmSync(target, { recursive: true, force: true });
  renameSync(staging, target);
  return true;
}

/** Files copied at once: the template is ~560 small files, and creating each one is what costs. */
const COPIES_IN_FLIGHT = 16;

/**
 * Copies a folder tree with several files in flight (about twice as fast as fs.cpSync here,
 * where creating a file costs ~0.4 ms of system time whatever its size).
 */
async function copyFolder(from: string, to: string): Promise<void> {
  const files: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    await mkdir(join(to, relative), { recursive: true });
    for (const entry of await readdir(join(from, relative), { withFileTypes: true })) {
      const path = join(relative, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files.push(path);
    }
  };
  await walk('');
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++] as string;
      await copyFile(join(from, file), join(to, file));
    }
  };
  await Promise.all(Array.from({ length: COPIES_IN_FLIGHT }, worker));
}
