import type { Logger } from '../lib/logger';

/**
 * Runs a Node entry's start-up; a failure prints its stack under `label` and exits 1.
 *
 * @example runEntry('Start-up failed', main);
 */
export function runEntry(label: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${label}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

/**
 * Stops the process cleanly on SIGINT or SIGTERM: once (a second signal while stopping is
 * ignored), logging `message` with the signal, then `stop` (close the server, let the delivery loop
 * finish its batch, close the database), then exit 0.
 *
 * @example stopOnSignal(logger, 'delivery process stopping', async () => { await delivery.stop(); await database.close(); });
 */
export function stopOnSignal(logger: Logger, message: string, stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info(message, { signal });
    await stop();
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));
}
