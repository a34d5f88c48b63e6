// @ts-check
/**
 * Bundles the Node entry (runtime/node.ts and everything it imports, dependencies included) into
 * dist/node.mjs with esbuild. `npm start` runs the bundle (runtime/start.mjs); `npm ci` makes it
 * (scripts/postinstall.ts); `npm run build` makes it by hand.
 *
 * Why: loading ~900 TypeScript and package modules one by one through tsx took 1.3-1.5 s of a
 * 3 s start budget on this 2-core machine; the bundle loads in about 0.45 s (docs/BENCHMARKS.md,
 * cold start). PGlite stays outside the bundle: it finds its WebAssembly and data files next to
 * its own modules.
 *
 * Plain JavaScript, because it runs before anything is compiled.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BUNDLE = join(ROOT, 'dist', 'node.mjs');
/** Folders whose files go into the bundle (tests, bench and scripts never do). */
const SOURCE_FOLDERS = ['runtime', 'api', 'bot', 'console', 'config', 'db', 'domain', 'http', 'knowledge', 'lib', 'vocabulary'];
/** Files that change what the bundle holds without being sources: dependencies, compiler options, this script. */
const INPUT_FILES = ['package-lock.json', 'tsconfig.json', 'scripts/bundle.mjs'];

/** @param {string} folder @returns {number} the newest modification time under `folder` */
function newestIn(folder) {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * @param {string} root the project folder (another one in tests)
 * @param {string} output the bundle, from root (the Worker's is dist-worker/worker.js, scripts/worker-bundle.mjs)
 * @param {string[]} moreInputs files besides the sources and INPUT_FILES that change it
 * @returns {boolean} true when the bundle is missing or older than any source or input (make's rule).
 */
export function isStale(root = ROOT, output = join('dist', 'node.mjs'), moreInputs = []) {
  const bundled = join(root, output);
  if (!existsSync(bundled)) return true;
  const built = statSync(bundled).mtimeMs;
  const folders = SOURCE_FOLDERS.map((folder) => join(root, folder)).filter((folder) => existsSync(folder));
  const inputs = [...INPUT_FILES, ...moreInputs].map((file) => join(root, file)).filter((file) => existsSync(file));
  const newest = Math.max(0, ...folders.map(newestIn), ...inputs.map((file) => statSync(file).mtimeMs));
  return newest > built;
}

/**
 * Builds dist/node.mjs and its source map (about 0.7 s). Each file is written beside its place
 * and renamed into it, so a start running at the same moment never imports half a bundle.
 */
export async function bundle() {
  const { build } = await import('esbuild');
  const { outputFiles } = await build({
    write: false,
    entryPoints: [join(ROOT, 'runtime', 'node.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['@electric-sql/pglite', '@electric-sql/pglite/*'],
    // Stack traces in logs point at the TypeScript files (runtime/start.mjs enables source maps).
    sourcemap: 'linked',
    logLevel: 'warning',
    // Bundled CommonJS packages still call require() for Node's own modules.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  mkdirSync(dirname(BUNDLE), { recursive: true });
  for (const file of outputFiles) {
    const staging = `${file.path}.${process.pid}.tmp`;
    writeFileSync(staging, file.contents);
    renameSync(staging, file.path);
  }
}

/** @returns {Promise<boolean>} whether it had to build. */
export async function bundleIfStale() {
  if (!isStale()) return false;
  await bundle();
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await bundle();
  process.stdout.write(`built ${BUNDLE}\n`);
}
