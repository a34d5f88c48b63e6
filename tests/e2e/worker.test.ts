import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { eq } from 'drizzle-orm';
import { Miniflare } from 'miniflare';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../bot/locales';
import { type DatabaseHandle, openDatabase } from '../../db/open';
import { identities, outbox } from '../../db/schema';
import { enqueue } from '../../domain/messaging/outbox';
import { buildWorkerBundleIfStale, WORKER_BUNDLE } from '../../scripts/worker-bundle.mjs';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server';
import { TELEGRAM_TEST_ENV, textUpdate } from '../support/telegram-app';

/**
 * The BUILT Worker (dist-worker/worker.js, as `wrangler deploy` would upload it) in Miniflare,
 * against a scratch PostgreSQL database migrated from Node, as a deploy does it: the Worker's
 * Hyperdrive binding points at the machine's PostgreSQL. It needs a PostgreSQL server on
 * 127.0.0.1:5432 (user postgres, trust auth), so it runs in each of CI's three runs whatever
 * database the rest of the suite uses; without the server it is skipped and says so.
 *
 * Cost: the bundle is reused when CI's `npm run build:worker` made it after the last source
 * change, else built here (about 6 s); Miniflare starts workerd in about 1 s.
 */
const SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';
const reachable = await new Promise<boolean>((resolve) => {
  const socket = connect(5432, '127.0.0.1');
  socket.setTimeout(1_000, () => resolve(socket.destroy() && false));
  socket.once('connect', () => resolve(socket.end() && true));
  socket.once('error', () => resolve(false));
});
if (!reachable) console.warn('tests/e2e/worker.test.ts skipped: no PostgreSQL on 127.0.0.1:5432 for the Worker to reach through Hyperdrive');

/** Read from wrangler.toml, so the test runs the Worker with what a deploy gives it. */
const wranglerToml = readFileSync(new URL('../../wrangler.toml', import.meta.url), 'utf8');
const compatibilityDate = /^compatibility_date = "([^"]+)"/m.exec(wranglerToml)?.[1] ?? '';
const outboxCron = /"([^"]+)",\s*# outbox delivery/.exec(wranglerToml)?.[1] ?? '';

const vi = createTranslator()('vi');

/** getWorker()'s scheduled(); Miniflare types it with @cloudflare/workers-types, not installed here. */
interface ScheduledWorker {
  scheduled(options: { cron: string }): Promise<{ outcome: string }>;
}

describe.skipIf(!reachable)('the Cloudflare Worker, built and run in Miniflare against PostgreSQL', () => {
  const name = `mcw_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(SERVER, { max: 1, onnotice: () => {} });
  let database: DatabaseHandle;
  let fake: FakeTelegram;
  let mf: Miniflare;
  let origin: string;

  beforeAll(async () => {
    buildWorkerBundleIfStale();
    await admin.unsafe(`create database ${name}`);
    // Migrated from Node, as `npm run db:migrate` does before a deploy: the Worker never migrates.
    database = await openDatabase({ url: `postgres://postgres@127.0.0.1:5432/${name}`, maxConnections: 2 });
    fake = await startFakeTelegram();
    // workerd never starts under libfaketime (CI's date run): it gets the real clock, as a
    // deployed Worker has. The outbox row below is due by either clock.
    const preload = process.env.LD_PRELOAD;
    if (preload?.includes('faketime')) delete process.env.LD_PRELOAD;
    mf = new Miniflare({
      modules: true,
      scriptPath: WORKER_BUNDLE,
      compatibilityDate,
      compatibilityFlags: ['nodejs_compat'],
      // Any password: the server trusts local connections, and Hyperdrive's URL must carry one.
      hyperdrives: { HYPERDRIVE: `postgres://postgres:any@127.0.0.1:5432/${name}` },
      bindings: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        PUBLIC_URL: 'https://motcua.example.vn',
        APP_SECRET: 'worker-test-secret-worker-test-secret-0123',
        ...TELEGRAM_TEST_ENV,
        TELEGRAM_API_ROOT: fake.apiRoot,
        // Never reached here: the Worker needs a bucket configured (no filesystem), not used by these tests.
        S3_ENDPOINT: 'https://scans.example.vn',
        S3_BUCKET: 'scans',
        S3_ACCESS_KEY_ID: 'key',
        S3_SECRET_ACCESS_KEY: 'secret',
      },
    });
    origin = (await mf.ready).origin;
    if (preload !== undefined) process.env.LD_PRELOAD = preload;
  }, 120_000);

  afterAll(async () => {
    await database?.close();
    // The Worker closes each request's client after the response (waitUntil): let the last
    // ones finish before workerd is stopped, or their sockets are cut under Miniflare.
    for (let tries = 0; tries < 50; tries++) {
      const [open] = await admin<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = ${name}`;
      if (open?.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await mf?.dispose();
    await fake?.stop();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
  });

  it('answers /healthz with the database reached through Hyperdrive', async () => {
    const res = await mf.dispatchFetch(`${origin}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('answers a web chat message with the greeting and menu', async () => {
    const res = await mf.dispatchFetch(`${origin}/chat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ start: '' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { replies: { text: string }[] };
    expect(body.replies[0]?.text).toContain(vi('menu.prompt'));
  });

  it('handles a Telegram update and its reply reaches the Bot API', async () => {
    const chat = 82_000_001;
    const res = await mf.dispatchFetch(`${origin}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TELEGRAM_TEST_ENV.TELEGRAM_WEBHOOK_SECRET },
      body: JSON.stringify(textUpdate(chat, '/start')),
    });
    expect(res.status).toBe(200);
    const texts = fake.messages(chat).map((m) => String(m.text));
    expect(texts.some((text) => text.includes(vi('menu.prompt')))).toBe(true);
  });

  it('sends a queued outbox row on the outbox cron run', async () => {
    const chat = 82_000_002;
    // Queued long ago, so it is due by the Worker's clock whatever the date (CI's faketime run).
    const queuedAt = new Date('2020-01-01T00:00:00Z');
    const [identity] = await database.db
      .insert(identities)
      .values({ channel: 'telegram', externalId: String(chat), createdAt: queuedAt, lastSeenAt: queuedAt })
      .returning({ id: identities.id });
    const identityId = identity?.id ?? 0;
    await enqueue(database.db, [{ identityId, channel: 'telegram', kind: 'status_change', replies: [{ text: 'Hồ sơ đã có kết quả.' }] }], queuedAt);
    expect(outboxCron).toBe('* * * * *');
    const worker = (await mf.getWorker()) as unknown as ScheduledWorker;
    const result = await worker.scheduled({ cron: outboxCron });
    expect(result.outcome).toBe('ok');
    expect(fake.messages(chat).map((m) => m.text)).toEqual(['Hồ sơ đã có kết quả.']);
    const rows = await database.db.select({ status: outbox.status }).from(outbox).where(eq(outbox.identityId, identityId));
    expect(rows).toEqual([{ status: 'sent' }]);
  });
});
