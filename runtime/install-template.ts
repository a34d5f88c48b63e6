import { MIGRATIONS_FOLDER } from '../db/open';
import { createTemplate, templateFolder } from '../db/pglite-template';
import { seedShippedCatalog, shippedData } from '../domain/catalog/store';
import { systemClock } from '../lib/clock';
import { sha256Hex } from '../lib/crypto';

/**
 * The folder of the install's PGlite template for the data shipped now: keyed by a digest of it,
 * so a pull that changes knowledge/data never hands a new DATA_DIR the catalog of an older one
 * (the first start runs initdb until `npm ci` makes the template again). Worked out only when a
 * new data folder is about to be made: 30 to 75 ms on this machine to load the catalog and hash
 * it, against the 2.5 to 4.5 s of an initdb the template saves.
 */
export function installTemplateFolder(data = shippedData()): string {
  return templateFolder(undefined, sha256Hex(JSON.stringify(data)).slice(0, 16));
}

/**
 * The install's PGlite template (db/pglite-template.ts) holding what a new database starts with:
 * the migrations, the shipped catalog and the demo office. Made by scripts/postinstall.ts; the
 * cold-start benchmark and the tests make it the same way.
 */
export function createInstallTemplate(folder = installTemplateFolder()): Promise<'created' | 'exists'> {
  return createTemplate(
    MIGRATIONS_FOLDER,
    async (db) => {
      await seedShippedCatalog(db, systemClock.now());
    },
    folder,
  );
}
