import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER, openDatabase } from '../../db/open';
import { copyTemplate, createTemplate, removeOtherTemplates, templateFolder } from '../../db/pglite-template';
import { offices, procedures } from '../../db/schema';
import { rowsOf } from '../../db/types';
import { shippedData } from '../../domain/catalog/store';
import { createInstallTemplate, installTemplateFolder } from '../../runtime/install-template';
import { isStale } from '../../scripts/bundle.mjs';

let scratch: string;
let template: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'mc-first-start-'));
  template = join(scratch, 'template');
  expect(await createInstallTemplate(template)).toBe('created');
}, 60_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the PGlite template a first start copies', () => {
  it('is made once: a second call finds it', async () => {
    expect(await createTemplate(MIGRATIONS_FOLDER, () => Promise.reject(new Error('must not run')), template)).toBe('exists');
  });

  it('gives a new DATA_DIR a migrated database that already holds the shipped catalog and demo office', async () => {
    const dataDir = join(scratch, 'data-new');
    expect(await copyTemplate(join(dataDir, 'pglite'), template)).toBe(true);
    const database = await openDatabase({ dataDir });
    try {
      const [p] = await database.db.select({ n: count() }).from(procedures);
      const [o] = await database.db.select({ n: count() }).from(offices);
      expect(p?.n).toBe(117);
      expect(o?.n).toBe(1);
      // Only the database PGlite opens: the copy is about half the files of a fresh cluster.
      const databases = await database.db.execute(sql`select datname from pg_database order by datname`);
      expect(rowsOf<{ datname: string }>(databases).map((r) => r.datname)).toEqual(['postgres']);
    } finally {
      await database.close();
    }
    // The copy is the new folder's own: the template is unchanged by what the copy's server wrote.
    expect(readFileSync(join(template, 'PG_VERSION'), 'utf8')).toBe(readFileSync(join(dataDir, 'pglite', 'PG_VERSION'), 'utf8'));
  }, 60_000);

  it('never touches a folder that already has files in it', async () => {
    const target = join(scratch, 'data-kept', 'pglite');
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'keep.txt'), 'mine');
    expect(await copyTemplate(target, template)).toBe(false);
    expect(readFileSync(join(target, 'keep.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(target, 'PG_VERSION'))).toBe(false);
  });

  it('copies nothing when there is no template (the start then runs initdb)', async () => {
    expect(await copyTemplate(join(scratch, 'data-none', 'pglite'), join(scratch, 'no-template'))).toBe(false);
    expect(existsSync(join(scratch, 'data-none', 'pglite'))).toBe(false);
  });

  it('is keyed by the shipped data, so a pull that changes the catalog never hands a new folder the old one', () => {
    const shipped = shippedData();
    expect(installTemplateFolder(shipped)).toBe(installTemplateFolder(shippedData()));
    expect(installTemplateFolder(shipped).startsWith(`${templateFolder()}-`)).toBe(true);
    const edited = { ...shipped, catalog: shipped.catalog.map((p, i) => (i === 0 ? { ...p, keywords: [...(p.keywords ?? []), 'một từ mới'] } : p)) };
    expect(installTemplateFolder(edited)).not.toBe(installTemplateFolder(shipped));
  });

  it('is copied by openDatabase only when it is given one, and asked for only for an empty folder', async () => {
    const databasesOf = async (options: Parameters<typeof openDatabase>[0]) => {
      const database = await openDatabase(options);
      try {
        return rowsOf<{ datname: string }>(await database.db.execute(sql`select datname from pg_database order by datname`)).map((r) => r.datname);
      } finally {
        await database.close();
      }
    };
    let asked = 0;
    const given = () => {
      asked++;
      return template;
    };
    const copied = join(scratch, 'data-given');
    // The template keeps only the database PGlite opens; initdb makes template0 and template1 too.
    expect(await databasesOf({ dataDir: copied, template: given })).toEqual(['postgres']);
    expect(asked).toBe(1);
    await databasesOf({ dataDir: copied, template: given });
    expect(asked).toBe(1);
    expect(await databasesOf({ dataDir: join(scratch, 'data-initdb') })).toEqual(['postgres', 'template0', 'template1']);
  }, 60_000);

  it('removes the templates made for other data (and the unkeyed one) beside the one kept, and nothing else', () => {
    const cache = join(scratch, 'cache');
    const keep = join(cache, 'pglite-9.9.9-0123456789abcdef');
    const names = ['pglite-9.9.9-0123456789abcdef', 'pglite-9.9.9-fedcba9876543210', 'pglite-9.9.9', 'pglite-1.0.0-fedcba9876543210', 'other'];
    for (const name of names) mkdirSync(join(cache, name, 'base'), { recursive: true });
    writeFileSync(join(cache, 'pglite-9.9.9-tests-00ff.tgz'), '');
    removeOtherTemplates(keep);
    expect(names.filter((name) => existsSync(join(cache, name)))).toEqual(['pglite-9.9.9-0123456789abcdef', 'pglite-1.0.0-fedcba9876543210', 'other']);
    expect(existsSync(join(cache, 'pglite-9.9.9-tests-00ff.tgz'))).toBe(true);
  });

  it('leaves no half-made template behind when filling it fails', async () => {
    const broken = join(scratch, 'broken-template');
    await expect(createTemplate(MIGRATIONS_FOLDER, () => Promise.reject(new Error('fill failed')), broken)).rejects.toThrow('fill failed');
    expect(existsSync(broken)).toBe(false);
    expect(existsSync(`${broken}.building-${process.pid}`)).toBe(false);
  }, 60_000);
});

describe('the bundle npm start runs', () => {
  /** A project folder with one source, one input file and a bundle, all dated `at` (seconds). */
  function project(at: number): string {
    const root = mkdtempSync(join(scratch, 'project-'));
    for (const [file, text] of [
      ['bot/core/dialog.ts', 'export {};'],
      ['package-lock.json', '{}'],
      ['dist/node.mjs', '// bundle'],
    ] as const) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), text);
      utimesSync(join(root, file), at, at);
    }
    return root;
  }

  it('is stale when it is missing', () => {
    const root = project(1_000_000);
    rmSync(join(root, 'dist'), { recursive: true });
    expect(isStale(root)).toBe(true);
  });

  it('is fresh when nothing is newer than it', () => {
    expect(isStale(project(1_000_000))).toBe(false);
  });

  it('is stale once a source deep in a folder, or the lock file, is newer', () => {
    const edited = project(1_000_000);
    utimesSync(join(edited, 'bot/core/dialog.ts'), 1_000_100, 1_000_100);
    expect(isStale(edited)).toBe(true);
    const upgraded = project(1_000_000);
    utimesSync(join(upgraded, 'package-lock.json'), 1_000_100, 1_000_100);
    expect(isStale(upgraded)).toBe(true);
  });
});
