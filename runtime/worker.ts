import { type Config, parseConfig } from '../config/schema';
import { openRequestDatabase, type RequestDatabase } from '../db/hyperdrive';
import { createScopedDatabase } from '../db/scoped';
import { pruneOldRows } from '../domain/messaging/housekeeping';
import { s3BlobStore } from '../lib/blob-store';
import { realTimer, systemClock } from '../lib/clock';
import { fetchPool } from '../lib/http-pool';
import { createLogger, type Logger } from '../lib/logger';
import { type Assistant, assemble, type Platform } from './assemble';

/**
 * The Cloudflare Workers entry (wrangler.toml; docs/DEPLOY.md): the same app as the Node server
 * (runtime/node.ts), over Hyperdrive, with cron triggers where Node runs its loops.
 *
 * One assembly per isolate, one database client per request. Workers forbid using an I/O object
 * made in another request, so each request and each cron run opens its own postgres.js client
 * from HYPERDRIVE (db/hyperdrive.ts) and closes it with waitUntil. Assembling the whole app per
 * request instead would pay, each time, for the procedure index (about 40 ms for the shipped
 * catalog on this machine), the translators and the route tables; so the app is assembled once
 * with a stand-in database that hands each call to the running request's client (db/scoped.ts),
 * and what it builds from the database at start (the procedure index) is kept per isolate.
 */

/**
 * What wrangler.toml binds and sets: `Env` comes from `wrangler types` (scripts/build-worker.ts
 * generates it and type-checks this file against it, tsconfig.worker.json); secrets are not in it.
 */
type WorkerEnv = Env;

/** The cron expressions of wrangler.toml's [triggers], each the pass it runs. */
const CRONS = {
  /** Every minute: sends what the outbox holds that is due. */
  outbox: '* * * * *',
  /** Every five minutes: turns due reminders and broadcast chunks into outbox rows. */
  scheduler: '*/5 * * * *',
  /** Hourly: drops bookkeeping rows nobody needs any more. */
  housekeeping: '17 * * * *',
} as const;

/** A cron run stops starting delivery passes after this, well inside the platform's limits. */
const CRON_BUDGET_MS = 25_000;

const scoped = createScopedDatabase();
let isolate: { config: Config; logger: Logger; assistant: Promise<Assistant> } | undefined;

/** Vars and secrets arrive in `env` beside the bindings; only strings are configuration. */
function configFrom(env: WorkerEnv): Config {
  const strings = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  const parsed = parseConfig(strings, 'workers');
  if (!parsed.ok) throw new Error(`Configuration error:\n${parsed.message}`);
  return parsed.value;
}

const workersPlatform: Platform = {
  // grammY's own client is the platform's fetch; Zalo's calls go over fetch too.
  pools: fetchPool,
  blobStore: (blobs) => {
    // parseConfig(…, 'workers') already refused the folder store; this keeps the types honest.
    if (blobs.kind !== 's3') throw new Error('Workers keep scanned documents in an S3-compatible bucket (S3_* variables)');
    return s3BlobStore(blobs);
  },
};

/**
 * The isolate's app, assembled by the first request or cron run (inside its database scope: the
 * catalog is read then). A failed assembly is forgotten, so the next request tries again.
 */
function isolateOf(env: WorkerEnv): NonNullable<typeof isolate> {
  if (isolate) return isolate;
  const config = configFrom(env);
  const logger = createLogger({ level: config.logLevel, write: (line) => console.log(line) });
  const assistant = assemble({ config, db: scoped.db, clock: systemClock, timer: realTimer, logger, platform: workersPlatform });
  const made = { config, logger, assistant };
  assistant.catch(() => {
    if (isolate === made) isolate = undefined;
  });
  isolate = made;
  return made;
}

/**
 * Runs `work` with a database client of its own, then `after` (if any) on the same client once
 * the response has gone out; the client is closed when both are done.
 */
async function withDatabase<T>(
  env: WorkerEnv,
  ctx: ExecutionContext,
  work: (assistant: Assistant, logger: Logger) => Promise<T>,
  after?: (assistant: Assistant, logger: Logger) => Promise<unknown>,
): Promise<T> {
  const database: RequestDatabase = openRequestDatabase(env.HYPERDRIVE.connectionString);
  // Inside the scope: the first request's assembly reads the catalog through this client.
  const done = scoped.run(database.db, async () => {
    const { assistant, logger } = isolateOf(env);
    return work(await assistant, logger);
  });
  const followUp = done.then(
    () =>
      after &&
      scoped.run(database.db, async () => {
        const { assistant, logger } = isolateOf(env);
        return after(await assistant, logger).catch((error: unknown) => logger.warn('work after the response failed', { error }));
      }),
    () => undefined,
  );
  ctx.waitUntil(followUp.finally(() => database.close()));
  return done;
}

/** Delivery passes until the outbox has nothing due or the budget is spent. */
async function drainOutbox(assistant: Assistant): Promise<number> {
  const started = performance.now();
  let sent = 0;
  for (;;) {
    const n = await assistant.outbox.runOnce();
    sent += n;
    if (n === 0 || performance.now() - started > CRON_BUDGET_MS) return sent;
  }
}

export default {
  async fetch(request, env, ctx) {
    // A request that changed something may have queued a message (a one-time code, a staff
    // notice): one delivery pass after the response, rather than waiting for the minute's cron.
    const changes = request.method !== 'GET' && request.method !== 'HEAD';
    return withDatabase(
      env,
      ctx,
      (assistant) => Promise.resolve(assistant.app.fetch(request)),
      changes ? (assistant) => assistant.outbox.runOnce() : undefined,
    );
  },

  async scheduled(controller, env, ctx) {
    await withDatabase(env, ctx, async (assistant, logger) => {
      const started = performance.now();
      if (controller.cron === CRONS.outbox) {
        const sent = await drainOutbox(assistant);
        logger.info('cron: outbox', { sent, ms: Math.round(performance.now() - started) });
      } else if (controller.cron === CRONS.scheduler) {
        const planned = await assistant.scheduler.runOnce();
        logger.info('cron: scheduler', { planned, ms: Math.round(performance.now() - started) });
      } else if (controller.cron === CRONS.housekeeping) {
        await pruneOldRows(scoped.db, systemClock.now());
        logger.info('cron: housekeeping', { ms: Math.round(performance.now() - started) });
      } else {
        logger.warn('cron: no pass for this schedule', { cron: controller.cron });
      }
    });
  },
} satisfies ExportedHandler<WorkerEnv>;
