/**
 * The house's layers (README "Layout"), enforced by `npm run check:layers`:
 *
 *   runtime -> console (the staff console's pages) -> domain, knowledge, db, http, config, lib, vocabulary
 *   runtime -> api -> bot/channels -> bot/flows -> bot/core -> domain -> knowledge -> db -> lib -> vocabulary
 *                 \-> http (the HTTP helpers api and the channel adapters share)
 *   config -> lib, vocabulary            scripts, bench, tests: anything
 *
 * A module may import its own folder and the layers below it, never one above, and nothing may
 * form a cycle. bot/core declares the dialog's ports and may name domain types in them (type-only
 * imports, erased at build); runtime/ checks with `satisfies` that the domain objects fit.
 */

/** Folders each layer may import from (besides npm packages and its own folder). */
const LAYERS = {
  vocabulary: [],
  lib: ['vocabulary'],
  db: ['lib', 'vocabulary'],
  knowledge: ['db', 'lib', 'vocabulary'],
  domain: ['knowledge', 'db', 'lib', 'vocabulary'],
  http: ['lib', 'vocabulary'],
  config: ['lib', 'vocabulary'],
  'bot/locales': ['lib', 'vocabulary'],
  // Type-only for domain: see the rule bot-core-type-only-domain below.
  'bot/core': ['domain', 'knowledge', 'lib', 'vocabulary'],
  'bot/flows': ['bot/core', 'domain', 'knowledge', 'lib', 'vocabulary'],
  'bot/notices': ['domain', 'lib', 'vocabulary'],
  'bot/channels': ['bot/core', 'bot/locales', 'http', 'domain', 'knowledge', 'db', 'lib', 'vocabulary'],
  api: ['bot', 'http', 'domain', 'knowledge', 'db', 'config', 'lib', 'vocabulary'],
  // The console calls the same domain functions as the API, never the API's routes.
  console: ['http', 'domain', 'knowledge', 'db', 'config', 'lib', 'vocabulary'],
};

const layerRules = Object.entries(LAYERS).map(([layer, allowed]) => ({
  name: `layer-${layer.replace('/', '-')}`,
  comment: `${layer}/ may import only ${[layer, ...allowed].join(', ')} (README: Layout).`,
  severity: 'error',
  from: { path: `^${layer}/` },
  to: {
    path: '^(vocabulary|lib|db|knowledge|domain|http|config|bot|api|console|runtime|scripts|bench|tests)/',
    pathNot: [`^${layer}/`, ...allowed.map((a) => `^${a}/`)],
  },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Modules that import each other, directly or around a loop, cannot be read, tested or moved alone.',
      severity: 'error',
      from: { pathNot: '^(tests|bench|scripts)/' },
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'bot-core-type-only-domain',
      comment: 'bot/core names domain types in its ports but never runs domain code.',
      severity: 'error',
      from: { path: '^bot/core/' },
      to: { path: '^domain/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'worker-no-node-only',
      comment:
        'The Worker bundle (runtime/worker.ts) must not hold what only Node has: PGlite and the migrating opener, the undici pools, the folder blob store, the Node HTTP server and its signals (docs/DEPLOY.md).',
      severity: 'error',
      from: { path: '^runtime/worker\\.ts$' },
      to: {
        path: [
          '^db/(open|pglite-template|watched-socket)\\.ts$',
          '^lib/local-blob-store\\.ts$',
          // Our only importers of undici (the packages themselves are not followed).
          '^bot/channels/telegram/bot-api-fetch\\.ts$',
          '^runtime/(node|node-platform|http-server|lifecycle|load-config|secret|delivery-process|install-template)\\.ts$',
        ],
        reachable: true,
      },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a deleted module.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|db/migrations)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.mjs', '.js', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'types', 'default'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
