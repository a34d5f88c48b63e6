// @ts-check
/**
 * The Worker's bundle: what `wrangler deploy` would upload, made offline with `--dry-run` into
 * dist-worker/ (minified, as deployed). `npm run build:worker` (scripts/build-worker.ts) makes
 * and checks it in CI; the Worker's end-to-end test makes it only when it is missing or older
 * than the sources (tests/e2e/worker.test.ts).
 *
 * Plain JavaScript, like scripts/bundle.mjs, whose staleness rule it shares.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStale } from './bundle.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const WORKER_OUT_DIR = join(ROOT, 'dist-worker');
export const WORKER_BUNDLE = join(WORKER_OUT_DIR, 'worker.js');

/** Wrangler offline: no metrics, no error reports, no request for Cloudflare's location data. */
export const OFFLINE_WRANGLER_ENV = { WRANGLER_SEND_METRICS: 'false', WRANGLER_SEND_ERROR_REPORTS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };

/**
 * Runs wrangler (pinned in package.json) with the offline environment; throws with its output
 * when it fails.
 * @param {string[]} args
 */
export function wrangler(args) {
  const run = spawnSync(join(ROOT, 'node_modules', '.bin', 'wrangler'), args, {
    cwd: ROOT,
    env: { ...process.env, ...OFFLINE_WRANGLER_ENV },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`wrangler ${args.join(' ')} failed:\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

/** Builds dist-worker/worker.js (about 6 s here). */
export function buildWorkerBundle() {
  wrangler(['deploy', '--dry-run', '--outdir', WORKER_OUT_DIR, '--minify']);
}

/** @returns {boolean} whether it had to build. */
export function buildWorkerBundleIfStale() {
  if (!isStale(ROOT, join('dist-worker', 'worker.js'), ['wrangler.toml'])) return false;
  buildWorkerBundle();
  return true;
}
