import { openDatabase } from '../db/open';
import { pruneOldRows } from '../domain/messaging/housekeeping';
import { ensureFirstAdmin } from '../domain/people/staff';
import { realTimer, systemClock } from '../lib/clock';
import { createLogger } from '../lib/logger';
import { assemble } from './assemble';
import { startHttpServer } from './http-server';
import { installTemplateFolder } from './install-template';
import { runEntry, stopOnSignal } from './lifecycle';
import { loadConfigOrExit } from './load-config';
import { nodePlatform } from './node-platform';

const HOUSEKEEPING_INTERVAL_MS = 60 * 60 * 1000;
/**
 * How long a stop may take, under the 30 s an orchestrator (Kubernetes, systemd's default 90 s)
 * gives before SIGKILL: requests get 10 s (a webhook gives up after 9), the sends in flight as
 * long, both at once, then the database is closed.
 */
const DRAIN_MS = 10_000;
const STOP_DEADLINE_MS = 20_000;

/** The Node entry: `npm start`. PGlite under DATA_DIR by default, PostgreSQL with DATABASE_URL. */
async function main() {
  const started = performance.now();
  const config = loadConfigOrExit();
  const logger = createLogger({ level: config.logLevel });
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    template: installTemplateFolder,
    maxConnections: config.databasePoolSize,
  });
  const assistant = await assemble({ config, db: database.db, clock: systemClock, timer: realTimer, logger, platform: nodePlatform });

  // A database without any account gets an admin with a one-time password, shown once in the banner, so
  // the console can be opened on a fresh machine; the first sign-in asks for a new password.
  const firstAdmin = await ensureFirstAdmin(database.db, systemClock.now());

  const http = await startHttpServer({
    fetch: assistant.app.fetch,
    port: config.port,
    hostname: config.host,
    timeouts: { headersMs: config.http.headersTimeoutMs, requestMs: config.http.requestTimeoutMs, keepAliveMs: config.http.keepAliveTimeoutMs },
  });
  if (config.delivery.enabled) assistant.delivery.start(config.delivery.intervalMs);
  const prune = () => pruneOldRows(database.db, systemClock.now()).catch((error) => logger.warn('housekeeping failed', { error }));
  const housekeeping = setInterval(prune, HOUSEKEEPING_INTERVAL_MS);
  void prune();

  const where = database.driver === 'pglite' ? `embedded PGlite in ${config.dataDir}/pglite` : 'PostgreSQL (DATABASE_URL)';
  const lines = [
    `Một Cửa Assistant is running (${Math.round(performance.now() - started)} ms to start)`,
    `  web chat:  http://localhost:${config.port}/`,
    `  console:   http://localhost:${config.port}/console`,
    `  health:    http://localhost:${config.port}/healthz`,
    `  database:  ${where}`,
    `  telegram:  ${config.telegram ? `webhook at ${config.publicUrl}/webhooks/telegram` : 'off (set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET)'}`,
    `  zalo:      ${config.zalo ? `webhook at ${config.publicUrl}/webhooks/zalo` : 'off (set ZALO_APP_ID, ZALO_APP_SECRET and ZALO_OA_SECRET_KEY)'}`,
    `  delivery:  ${config.delivery.enabled ? 'delivery loop running' : 'off (DELIVERY_ENABLED=false)'}`,
  ];
  // Said in the banner too, not only in the log: codes shown instead of sent must never go unnoticed.
  if (assistant.devOtpSender) {
    lines.push('  codes:     !!! DEVELOPMENT OTP SENDER: one-time codes are shown in the web chat and the log, NOT sent (OTP_DEV_SENDER) !!!');
  }
  if (firstAdmin) {
    lines.push(
      `  account:   first admin account "${firstAdmin.username}", one-time password ${firstAdmin.password} (shown only now; the console asks for a new one at the first sign-in)`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  // Drain: no new connections, the requests and sends in flight finish, then the database closes.
  stopOnSignal(
    logger,
    'shutting down',
    async () => {
      clearInterval(housekeeping);
      const [{ cut }] = await Promise.all([http.drain(DRAIN_MS), assistant.delivery.stop()]);
      if (cut > 0) logger.warn('requests cut at the end of the drain', { cut });
      await database.close();
    },
    STOP_DEADLINE_MS,
  );
}

runEntry('Start-up failed', main);
