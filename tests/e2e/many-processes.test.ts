import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchDatabase } from '../../bench/lib/scratch-database';
import { SECRET_HEADER } from '../../bot/channels/telegram/webhook';
import { type DatabaseHandle, MIGRATIONS_FOLDER, openDatabase } from '../../db/open';
import { identities, offices, outbox, staffUsers } from '../../db/schema';
import { rowsOf } from '../../db/types';
import { enqueue, PRIORITY } from '../../domain/messaging/outbox';
import { bundleIfStale } from '../../scripts/bundle.mjs';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server';
import { type FakeZalo, startFakeZalo } from '../fakes/zalo-server';
import { postgresOnly, reachablePostgres } from '../support/database';
import { freePort, npmStartArgs, start, stop, waitFor } from '../support/processes';
import { TELEGRAM_TEST_ENV, textUpdate } from '../support/telegram-app';

/**
 * Issue 17, many processes on one PostgreSQL: two servers as `npm start` runs them (the bundle),
 * on two loopback ports, started at the same moment on one fresh database, both delivering. Each
 * talks to a Bot API of its own (two fakes standing for one Telegram), so a test sees which
 * process sent what; both share one fake Zalo, whose tokens are one account's.
 */
const server = await reachablePostgres();
const ZALO_KEYS = { appId: '3608465248940903967', appSecret: 'zalo-app-secret-for-tests', oaSecretKey: 'zalo-oa-secret-key-for-tests' };
/** Queued long ago: due whatever today's date is. */
const LONG_AGO = new Date('2020-01-01T00:00:00Z');
/** How long the fake Zalo takes to refresh the token: long enough to see the other process wait for it. */
const REFRESH_DELAY_MS = 1_500;

interface Service {
  base: string;
  child: ChildProcess & { output: () => string };
  telegram: FakeTelegram;
}

let scratch: { url: string; drop(): Promise<void> };
let database: DatabaseHandle;
let zalo: FakeZalo;
let services: [Service, Service];
const dataDir = mkdtempSync(join(tmpdir(), 'mc-many-processes-'));

async function startService(url: string, name: string): Promise<Service> {
  const telegram = await startFakeTelegram({ delayMs: 20 });
  const port = await freePort();
  const child = start(process.execPath, npmStartArgs('.'), {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: '4',
    DATA_DIR: join(dataDir, name),
    APP_SECRET: 'many-processes-test-secret-0123456789',
    LOG_LEVEL: 'warn',
    DELIVERY_ENABLED: 'true',
    DELIVERY_INTERVAL_MS: '50',
    // Small batches, so both processes take a share of what is queued at once.
    DELIVERY_BATCH_SIZE: '3',
    // Few lanes: a process whose lanes all wait on the Zalo refresh stops claiming, so the other
    // process claims the rest and needs the token too. With the default 64 lanes, whichever
    // process woke first could claim all 24 Zalo rows before the other looked, and the
    // "both need it at the same moment" test then saw no second process waiting.
    DELIVERY_CONCURRENCY: '2',
    TELEGRAM_RATE_PER_SECOND: '1000',
    ...TELEGRAM_TEST_ENV,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    ...zalo.env(ZALO_KEYS.oaSecretKey),
    // A refresh token only: the stored access token counts as expired, the first send refreshes.
    ZALO_REFRESH_TOKEN: 'refresh-0',
  });
  return { base: `http://127.0.0.1:${port}`, child, telegram };
}

const ready = (service: Service) =>
  waitFor(async () => (await fetch(`${service.base}/healthz`)).ok, 60_000, 50).catch((error: unknown) => {
    throw new Error(`a server did not start (${String(error)}):\n${service.child.output()}`);
  });

beforeAll(async () => {
  if (!server) return;
  // Built once here, not by both starts at once.
  await bundleIfStale();
  scratch = await scratchDatabase(server, `mc_many_processes_${process.pid}_${randomBytes(4).toString('hex')}`);
  zalo = await startFakeZalo({ ...ZALO_KEYS, accessToken: 'access-0', refreshToken: 'refresh-0', refreshDelayMs: REFRESH_DELAY_MS });
  services = [await startService(scratch.url, 'a'), await startService(scratch.url, 'b')];
  await Promise.all(services.map(ready));
  // Opened after both servers: they were the ones to migrate the fresh database.
  database = await openDatabase({ url: scratch.url, maxConnections: 2 });
}, 90_000);

afterAll(async () => {
  if (!server) return;
  for (const service of services ?? []) {
    await stop(service.child);
    await service.telegram.stop();
  }
  await database?.close();
  await zalo?.close();
  await scratch?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const postUpdate = (service: Service, update: unknown) =>
  fetch(`${service.base}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SECRET_HEADER]: TELEGRAM_TEST_ENV.TELEGRAM_WEBHOOK_SECRET },
    body: JSON.stringify(update),
  });

let nextChat = 8_170_000;

/** Chats on `channel` with one message each queued as a reply; resolves with the chats' external ids. */
async function queueMessages(channel: 'telegram' | 'zalo', n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => String(++nextChat));
  const rows = await database.db
    .insert(identities)
    .values(ids.map((externalId) => ({ channel, externalId, createdAt: LONG_AGO, lastSeenAt: LONG_AGO })))
    .returning({ id: identities.id, externalId: identities.externalId });
  const queued = await enqueue(
    database.db,
    rows.map((row) => ({ identityId: row.id, channel, kind: 'reply', priority: PRIORITY.reply, replies: [{ text: `tin ${row.externalId}` }] })),
    LONG_AGO,
  );
  expect(queued).toBe(n);
  return ids;
}

/** Waits until no row for these chats is pending any more, and says how each ended. */
async function settled(externalIds: string[]): Promise<string[]> {
  const statuses = async () =>
    database.db
      .select({ status: outbox.status })
      .from(outbox)
      .innerJoin(identities, eq(identities.id, outbox.identityId))
      .where(inArray(identities.externalId, externalIds));
  await waitFor(async () => (await statuses()).every((row) => row.status !== 'pending'), 20_000, 50);
  return (await statuses()).map((row) => row.status);
}

describe.skipIf(!server)(postgresOnly('two server processes on one PostgreSQL database', server), () => {
  it('started at the same moment on a fresh database, both run: the migrations applied once each, one first admin, one demo office', async () => {
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
    const migrations = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations group by hash`));
    expect(migrations.map((row) => row.n)).toEqual(Array(journal.entries.length).fill(1));
    const [admins] = await database.db.select({ n: count() }).from(staffUsers);
    const [demoOffices] = await database.db.select({ n: count() }).from(offices);
    expect([admins?.n, demoOffices?.n]).toEqual([1, 1]);
    expect(services.filter((s) => s.child.output().includes('one-time password'))).toHaveLength(1);
  });

  it('continues one conversation whichever process each message of the chat reaches', async () => {
    const [a, b] = services;
    const chat = ++nextChat;
    expect((await postUpdate(a, textUpdate(chat, 'đăng ký kết hôn'))).status).toBe(200);
    await waitFor(async () => a.telegram.messages(chat).length > 0, 10_000);
    expect(String(a.telegram.messages(chat)[0]?.text)).toContain('kết hôn');

    // The follow-up names no procedure: B answers it from the topic A left in the database.
    expect((await postUpdate(b, textUpdate(chat, 'phí bao nhiêu?'))).status).toBe(200);
    await waitFor(async () => b.telegram.messages(chat).length > 0, 10_000);
    expect(String(b.telegram.messages(chat)[0]?.text)).toMatch(/^<b>Đăng ký kết hôn<\/b>\n💰 Lệ phí\n/);

    // And back on A, which reads the topic B kept.
    expect((await postUpdate(a, textUpdate(chat, 'mất bao lâu?'))).status).toBe(200);
    await waitFor(async () => a.telegram.messages(chat).length > 1, 10_000);
    expect(String(a.telegram.messages(chat)[1]?.text)).toMatch(/^<b>Đăng ký kết hôn<\/b>\n⏱/);
  });

  it('sends each queued message exactly once while both processes deliver', async () => {
    const chats = await queueMessages('telegram', 40);
    expect(await settled(chats)).toEqual(Array(40).fill('sent'));
    const sentBy = services.map((s) => chats.map((chat) => s.telegram.messages(chat).length));
    const perChat = chats.map((_, i) => (sentBy[0]?.[i] ?? 0) + (sentBy[1]?.[i] ?? 0));
    expect(perChat).toEqual(Array(40).fill(1));
    // Both took part: each process sent some of them.
    expect(sentBy.map((counts) => counts.some((n) => n > 0))).toEqual([true, true]);
  });

  it('refreshes the Zalo token once when both processes need it at the same moment', async () => {
    const users = await queueMessages('zalo', 24);
    // While the first refresh is with Zalo, the other process waits for the token row's lock.
    await waitFor(async () => {
      const waiting = rowsOf<{ n: number }>(
        await database.db.execute(
          sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query like '%zalo_tokens%'`,
        ),
      );
      return (waiting[0]?.n ?? 0) > 0;
    }, 10_000);
    expect(await settled(users)).toEqual(Array(24).fill('sent'));
    expect(zalo.callsTo('oauth')).toHaveLength(1);
    const sends = zalo.callsTo('cs');
    expect(sends).toHaveLength(24);
    expect(new Set(sends.map((call) => call.headers.access_token))).toEqual(new Set(['access-1']));
  });
});
