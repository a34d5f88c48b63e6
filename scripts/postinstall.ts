import { removeOtherTemplates } from '../db/pglite-template';
import { createInstallTemplate, installTemplateFolder } from '../runtime/install-template';
import { bundle } from './bundle.mjs';

/**
 * Runs after `npm ci` / `npm install`: makes what the first `npm start` would otherwise make
 * while the newcomer waits. The bundle of the Node entry (scripts/bundle.mjs) and a ready PGlite
 * cluster (migrated, shipped catalog loaded) to copy into DATA_DIR (db/pglite-template.ts).
 *
 * Neither is required: a failure is reported in one line and the install goes on (the start then
 * builds the bundle itself, or runs initdb).
 */
async function step(what: string, run: () => Promise<string>): Promise<void> {
  const started = performance.now();
  try {
    const done = await run();
    process.stdout.write(`mot-cua-assistant: ${what}: ${done} (${Math.round(performance.now() - started)} ms)\n`);
  } catch (error) {
    process.stdout.write(`mot-cua-assistant: ${what} skipped (${error instanceof Error ? error.message : String(error)}); npm start will do without it\n`);
  }
}

await step('bundle for npm start', async () => {
  await bundle();
  return 'built';
});
await step('PGlite template', async () => {
  const folder = installTemplateFolder();
  const made = await createInstallTemplate(folder);
  removeOtherTemplates(folder);
  return `${made} in ${folder}`;
});
