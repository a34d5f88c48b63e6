import { readFileSync, writeFileSync } from 'node:fs';

/**
 * `npm run lockfile:fix`, after any `npm install` that rewrites package-lock.json.
 *
 * Why: the npm registry reachable here serves only some platform builds of packages such as
 * @biomejs/cli-* and @oxc-parser/binding-* (knip). npm then leaves the other platforms' optional
 * packages out of the lock file, and `npm ci` refuses a lock that lacks them ("Missing: … from lock
 * file"). This adds an entry for each missing optional platform package, with the os, cpu and libc
 * its name states, so `npm ci` knows to skip it on every other platform without fetching it.
 */
const LOCK = 'package-lock.json';
const OS = new Set(['android', 'darwin', 'freebsd', 'linux', 'openharmony', 'win32']);
const CPU = new Set(['arm64', 'x64', 'arm', 'ia32', 'ppc64', 'riscv64', 's390x']);

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  optionalDependencies?: Record<string, string>;
  [field: string]: unknown;
}

const lock = JSON.parse(readFileSync(LOCK, 'utf8')) as { packages: Record<string, LockEntry> };
let added = 0;
for (const [parentKey, parent] of Object.entries(lock.packages)) {
  for (const [name, spec] of Object.entries(parent.optionalDependencies ?? {})) {
    const folder = parentKey.replace(/node_modules\/(@[^/]+\/)?[^/]+$/, '');
    const key = `${folder}node_modules/${name}`;
    if (lock.packages[key] || lock.packages[`node_modules/${name}`]) continue;
    const parts = (name.split('/').pop() ?? '').split('-');
    const os = parts.find((p) => OS.has(p));
    const cpu = parts.find((p) => CPU.has(p));
    if (!os || !cpu) {
      process.stderr.write(`cannot tell the platform of ${name}; add its lock entry by hand\n`);
      continue;
    }
    lock.packages[key] = {
      version: spec.replace(/^[\^~=]/, ''),
      cpu: [cpu],
      ...(parent.dev ? { dev: true } : {}),
      ...(os === 'linux' ? { libc: [parts.some((p) => p.startsWith('musl')) ? 'musl' : 'glibc'] } : {}),
      optional: true,
      os: [os],
    };
    added++;
  }
}
const byPath = ([a]: [string, LockEntry], [b]: [string, LockEntry]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0);
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(byPath));
writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`${added} optional platform package(s) added to ${LOCK}\n`);
