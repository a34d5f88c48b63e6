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
 * ignored), logging `message` with the signal, then `stop` (drain the server, let the delivery loop
 * finish its sends, close the database), then exit 0. A stop that fails, or is still running
 * after `deadlineMs`, ends the process with 1, so an orchestrator never has to kill it.
 *
 * @example stopOnSignal(logger, 'delivery process stopping', async () => { await delivery.stop(); await database.close(); }, 20_000);
 */
export function stopOnSignal(logger: Logger, message: string, stop: () => Promise<void>, deadlineMs: number): void {
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info(message, { signal });
    setTimeout(() => {
      logger.error('stop took too long; exiting', { deadlineMs });
      process.exit(1);
    }, deadlineMs).unref();
    try {
      await stop();
    } catch (error) {
      logger.error('stop failed', { error });
      process.exit(1);
    }
    logger.info('stopped', { signal });
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));
}
