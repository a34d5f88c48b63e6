import { MIGRATIONS_FOLDER } from '../db/open';
import { createTemplate, templateFolder } from '../db/pglite-template';
import { seedShippedCatalog } from '../domain/catalog/store';
import { systemClock } from '../lib/clock';

/**
 * The install's PGlite template (db/pglite-template.ts) holding what a new database starts with:
 * the migrations, the shipped catalog and the demo office. Made by scripts/postinstall.ts; the
 * cold-start benchmark and the tests make it the same way.
 */
export function createInstallTemplate(folder = templateFolder()): Promise<'created' | 'exists'> {
  return createTemplate(
    MIGRATIONS_FOLDER,
    async (db) => {
      await seedShippedCatalog(db, systemClock.now());
    },
    folder,
  );
}
