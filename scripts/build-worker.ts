import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildWorkerBundle, WORKER_BUNDLE, wrangler } from './worker-bundle.mjs';

/**
 * `npm run build:worker` (CI runs it once, before the tests): type-checks the Worker entry with the
 * Workers' own types, bundles it as `wrangler deploy` would (dry run, minified, offline) and
 * fails when the bundle does not build or is too big to upload.
 *
 * The types come from `wrangler types` (the runtime's API and the bindings of wrangler.toml),
 * generated here into .wrangler/ rather than committed: half a megabyte that must follow
 * wrangler.toml and the compatibility date, which regenerating never forgets.
 */

/** Workers on the Free plan take 3 MiB of gzip-compressed script (10 MiB on Paid). */
const MAX_GZIP_BYTES = 3 * 1024 * 1024;
const TYPES = '.wrangler/types/worker-configuration.d.ts';

const step = (what: string, run: () => void) => {
  const started = performance.now();
  run();
  process.stdout.write(`build:worker: ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
};

step('Workers types generated', () => {
  // wrangler types writes the file but does not make its folder (a fresh clone has no .wrangler/).
  mkdirSync(dirname(TYPES), { recursive: true });
  wrangler(['types', TYPES]);
});
step('Worker entry type-checked (tsconfig.worker.json)', () => {
  const tsc = spawnSync('node_modules/.bin/tsc', ['-p', 'tsconfig.worker.json'], { stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error('tsc -p tsconfig.worker.json failed');
});
step('bundled into dist-worker/', buildWorkerBundle);

const raw = readFileSync(WORKER_BUNDLE);
const gzip = gzipSync(raw, { level: 9 }).length;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
process.stdout.write(`build:worker: dist-worker/worker.js is ${mib(raw.length)}, ${mib(gzip)} gzip (limit ${mib(MAX_GZIP_BYTES)} gzip)\n`);
if (gzip > MAX_GZIP_BYTES) {
  process.stderr.write('build:worker: the Worker bundle is over the 3 MiB gzip limit of the Free plan\n');
  process.exit(1);
}
