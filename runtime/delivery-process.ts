import { openDatabase } from '../db/open';
import { realTimer, systemClock } from '../lib/clock';
import { createLogger } from '../lib/logger';
import { assemble } from './assemble';
import { runEntry, stopOnSignal } from './lifecycle';
import { loadConfigOrExit } from './load-config';
import { nodePlatform } from './node-platform';

/**
 * `npm run worker`: the delivery process, the delivery loop and the scheduler without the HTTP server, for running more
 * senders beside the web processes. Any number may run against one PostgreSQL: rows are claimed
 * with SKIP LOCKED and a lease, reminders and broadcast chunks with row locks and dedupe keys,
 * and each channel's rate is one shared timeline in the database (channel_pacing), so together
 * they stay within it. With PGlite (no DATABASE_URL) only one process may open the data folder,
 * so use `npm start`, which runs the same loop.
 *
 * package.json runs it as `node --import tsx`, one process: the tsx command starts Node as a child,
 * which kept sending when a supervisor killed tsx with SIGKILL (issue 17).
 */
/** Under the 30 s an orchestrator gives before SIGKILL; the sends in flight finish first. */
const STOP_DEADLINE_MS = 20_000;

async function main() {
  const config = loadConfigOrExit();
  if (!config.databaseUrl) {
    process.stderr.write('npm run worker needs DATABASE_URL (PostgreSQL); with the embedded database, npm start already runs delivery.\n');
    process.exit(2);
  }
  const logger = createLogger({ level: config.logLevel }).child({ process: 'delivery' });
  const database = await openDatabase({ url: config.databaseUrl, maxConnections: config.databasePoolSize });
  const assistant = await assemble({ config, db: database.db, clock: systemClock, timer: realTimer, logger, platform: nodePlatform });
  assistant.delivery.start(config.delivery.intervalMs);
  logger.info('delivery process running', { channels: assistant.senders.map((s) => s.channel) });

  stopOnSignal(
    logger,
    'delivery process stopping',
    async () => {
      await assistant.delivery.stop();
      await database.close();
    },
    STOP_DEADLINE_MS,
  );
}

runEntry('Delivery process start-up failed', main);
