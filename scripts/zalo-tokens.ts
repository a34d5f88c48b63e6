/**
 * Stores the Zalo OA's tokens in the database, where the service keeps and refreshes them:
 *   npm run zalo:tokens -- --refresh-token <token>                      (trades it for a fresh pair now)
 *   npm run zalo:tokens -- --refresh-token <token> --access-token <tok>  (stores both as given)
 *   npm run zalo:tokens -- --status                                      (shows expiry and the last refresh)
 * Get the tokens from the Zalo developer console (Official Account > API explorer) after granting
 * the app access to the OA. The refresh token is single-use: once this has run, the one you pasted
 * is spent and only the database holds the live pair. With the embedded database, stop the
 * service first (PGlite files open in one process at a time).
 */
import { parseArgs } from 'node:util';
import { TOKEN_SEAL_PURPOSE } from '../bot/channels/zalo/channel';
import { createZaloClient } from '../bot/channels/zalo/client';
import { SEEDED_TOKEN_ASSUMED_LIFETIME_MS } from '../bot/channels/zalo/protocol';
import { createTokenManager } from '../bot/channels/zalo/tokens';
import { openDatabase } from '../db/open';
import { zaloTokens } from '../db/schema';
import { systemClock } from '../lib/clock';
import { createLogger } from '../lib/logger';
import { createSealer } from '../lib/seal';
import { formatLocalDateTime } from '../lib/vn-time';
import { installTemplateFolder } from '../runtime/install-template';
import { loadConfigOrExit } from '../runtime/load-config';
import { nodePlatform } from '../runtime/node-platform';

const USAGE = 'Usage: npm run zalo:tokens -- --refresh-token <token> [--access-token <token>] | --status';

function usage(problem: string): never {
  process.stderr.write(`${problem}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { 'refresh-token': { type: 'string' }, 'access-token': { type: 'string' }, status: { type: 'boolean', default: false } },
    strict: true,
  });
  const config = loadConfigOrExit();
  if (!config.zalo) usage('Zalo is not configured: set ZALO_APP_ID, ZALO_APP_SECRET and ZALO_OA_SECRET_KEY.');
  const refreshToken = values['refresh-token'];
  if (!values.status && !refreshToken) usage('--refresh-token is required.');
  if (refreshToken !== undefined && refreshToken.length < 8) usage('--refresh-token: expected the refresh token from the Zalo developer console.');

  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, template: installTemplateFolder, maxConnections: 2 });
  const logger = createLogger({ level: 'error' });
  const client = createZaloClient({ ...config.zalo, logger, pools: nodePlatform.pools });
  const tokens = createTokenManager({
    db: database.db,
    clock: systemClock,
    logger,
    appId: config.zalo.appId,
    sealer: createSealer(config.appSecret, TOKEN_SEAL_PURPOSE),
    refresh: client.refreshToken,
  });
  try {
    if (refreshToken) {
      const access = values['access-token'];
      await tokens.install(
        refreshToken,
        access ? { token: access, expiresAt: new Date(systemClock.now().getTime() + SEEDED_TOKEN_ASSUMED_LIFETIME_MS) } : undefined,
      );
      // Without an access token the stored one is already expired, so this refreshes now and
      // proves the refresh token works.
      await tokens.accessToken();
      process.stdout.write('Zalo OA tokens stored.\n');
    }
    const [row] = await database.db.select().from(zaloTokens);
    if (!row) {
      process.stdout.write('No Zalo OA tokens stored yet.\n');
      return 1;
    }
    process.stdout.write(
      [
        `  access token valid until: ${formatLocalDateTime(row.accessExpiresAt)} (Asia/Ho_Chi_Minh)`,
        `  last refresh:             ${row.refreshedAt ? formatLocalDateTime(row.refreshedAt) : 'never'}`,
        `  last refresh failure:     ${row.refreshFailedAt ? `${formatLocalDateTime(row.refreshFailedAt)}: ${row.refreshError ?? ''}` : 'none'}`,
      ].join('\n') + '\n',
    );
    return row.refreshFailedAt ? 1 : 0;
  } finally {
    await client.close();
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Could not store the Zalo tokens. ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
