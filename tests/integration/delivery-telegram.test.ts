import { eq, inArray } from 'drizzle-orm';
import { Api } from 'grammy';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramSender } from '../../bot/channels/telegram/sender';
import type { DatabaseHandle } from '../../db/open';
import { identities, outbox } from '../../db/schema';
import { createDeliveryLoop } from '../../domain/messaging/delivery-loop';
import { claimDue, enqueue } from '../../domain/messaging/outbox';
import { realTimer, type Timer } from '../../lib/clock';
import { silentLogger } from '../../lib/logger';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server';
import { createFakeClock, createVirtualTimer } from '../support/clock';
import { createTestDatabase } from '../support/database';
import { TELEGRAM_TEST_ENV } from '../support/telegram-app';

let database: DatabaseHandle;
let fake: FakeTelegram;
const clock = createFakeClock('2026-11-23T03:00:00Z'); // 10:00 in Vietnam, outside quiet hours
beforeAll(async () => {
  [database, fake] = await Promise.all([createTestDatabase(), startFakeTelegram()]);
});
afterAll(async () => {
  await database.close();
  await fake.stop();
});
beforeEach(async () => {
  fake.reset();
  await database.db.delete(outbox);
  await database.db.delete(identities);
});

const api = () => new Api(TELEGRAM_TEST_ENV.TELEGRAM_BOT_TOKEN, { apiRoot: fake.apiRoot });
const sender = (ratePerSecond = 1000) => createTelegramSender({ api: api(), ratePerSecond });
const worker = (ratePerSecond = 1000, timer: Timer = realTimer) =>
  createDeliveryLoop({ db: database.db, clock, timer, logger: silentLogger, senders: [sender(ratePerSecond)], batchSize: 50, leaseSeconds: 60 });

/** Telegram chats with one queued notice each; returns their outbox row ids. */
async function queue(chatIds: number[]): Promise<number[]> {
  const chats = await database.db
    .insert(identities)
    .values(chatIds.map((id) => ({ channel: 'telegram', externalId: String(id), createdAt: clock.now(), lastSeenAt: clock.now() })))
    .returning({ id: identities.id, externalId: identities.externalId });
  await enqueue(
    database.db,
    chats.map((c) => ({
      identityId: c.id,
      channel: 'telegram',
      kind: 'status_change',
      replies: [{ title: 'Hồ sơ', text: `Hồ sơ của chat ${c.externalId} đã có kết quả.` }],
    })),
    clock.now(),
  );
  const rows = await database.db.select({ id: outbox.id }).from(outbox);
  return rows.map((r) => r.id);
}

async function row(id: number) {
  const [found] = await database.db.select().from(outbox).where(eq(outbox.id, id));
  if (!found) throw new Error(`outbox row ${id} is gone`);
  return found;
}

describe('telegram sender', () => {
  it('renders the queued replies as HTML messages', async () => {
    const outcome = await sender().send('501', { kind: 'status_change', replies: [{ title: 'Kết quả', text: 'Phí < 50.000đ & miễn phí' }] });
    expect(outcome).toEqual({ status: 'sent' });
    expect(fake.messages('501')).toEqual([{ chat_id: '501', text: '<b>Kết quả</b>\nPhí &lt; 50.000đ &amp; miễn phí', parse_mode: 'HTML' }]);
  });

  it.each([
    ['a 429', { status: 429, description: 'Too Many Requests: retry after 3', retryAfter: 3 }, { status: 'retry', retryAfterMs: 3000 }],
    ['a 403', { status: 403, description: 'Forbidden: bot was blocked by the user' }, { status: 'blocked' }],
    ['a 400 chat not found', { status: 400, description: 'Bad Request: chat not found' }, { status: 'invalid' }],
    ['a 502', { status: 502, description: 'Bad Gateway' }, { status: 'retry' }],
  ])('maps %s to what the worker should do', async (_name, failure, expected) => {
    fake.failNext('sendMessage', failure);
    const outcome = await sender().send('502', { kind: 'status_change', replies: [{ text: 'x' }] });
    expect(outcome).toMatchObject(expected);
    if (expected.status !== 'retry' || !('retryAfterMs' in expected)) expect(outcome).not.toHaveProperty('retryAfterMs');
  });

  it('asks for a retry when the Bot API cannot be reached', async () => {
    const nowhere = createTelegramSender({ api: new Api(TELEGRAM_TEST_ENV.TELEGRAM_BOT_TOKEN, { apiRoot: 'http://127.0.0.1:9' }), ratePerSecond: 30 });
    expect(await nowhere.send('503', { kind: 'status_change', replies: [{ text: 'x' }] })).toMatchObject({
      status: 'retry',
      error: expect.stringMatching(/^network/),
    });
  });

  it('paces at the configured rate and one message a second per chat', () => {
    expect(createTelegramSender({ api: api(), ratePerSecond: 30 })).toMatchObject({ ratePerSecond: 30, perChatIntervalMs: 1000 });
  });
});

describe('outbox delivery over telegram', () => {
  it('pauses the channel on a 429 and sends the row after retry_after without spending an attempt', async () => {
    const [id = 0] = await queue([601]);
    // Longer than the per-chat spacing (1 s), so only the channel's pause explains the wait.
    fake.failNext('sendMessage', { status: 429, description: 'Too Many Requests: retry after 3', retryAfter: 3 });
    const timer = createVirtualTimer();
    const w = worker(1000, timer);
    expect(await w.runOnce()).toBe(1);
    const pausedAt = timer.nowMs();
    const waiting = await row(id);
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0, leaseOwner: null });
    expect(waiting.lastError).toContain('429');
    expect(waiting.notBefore.getTime()).toBe(clock.now().getTime() + 3000);

    // Not due yet on the clock: nothing is sent.
    expect(await w.runOnce()).toBe(0);
    clock.advance(3000);
    // Due on the clock, but the channel is still paused on the worker's timer: not even claimed.
    expect(await w.runOnce()).toBe(0);
    await timer.sleep(2000);
    expect(await w.runOnce()).toBe(1);
    const [limited, sent] = fake.calls('sendMessage');
    expect(sent?.status).toBe(200);
    // The whole channel held still until retry_after had passed (on the worker's timer).
    expect(limited?.status).toBe(429);
    expect(timer.nowMs() - pausedAt).toBeGreaterThanOrEqual(3000);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('marks the chat blocked and the row dead on a 403', async () => {
    const [id = 0] = await queue([602]);
    fake.block(602);
    await worker().runOnce();
    expect(await row(id)).toMatchObject({ status: 'dead', lastError: expect.stringContaining('403') });
    const [chat] = await database.db.select().from(identities).where(eq(identities.externalId, '602'));
    expect(chat?.blockedAt).toBeInstanceOf(Date);
    expect(fake.stats().sent).toBe(0);
  });

  it('never sends the same row twice when two workers share the database', async () => {
    const chats = Array.from({ length: 300 }, (_, i) => 700_000 + i);
    const ids = await queue(chats);
    const workers = [worker(), worker()];
    const claimedBy = [0, 0];
    // Both drain the table side by side until nothing is due.
    await Promise.all(
      workers.map(async (w, i) => {
        for (let claimed = await w.runOnce(); claimed > 0; claimed = await w.runOnce()) claimedBy[i] = (claimedBy[i] ?? 0) + claimed;
      }),
    );
    const stats = fake.stats();
    expect(stats.sent).toBe(300);
    expect([...stats.byChat.values()].every((n) => n === 1)).toBe(true);
    expect(stats.byChat.size).toBe(300);
    // Both workers took part, or the test proves nothing about sharing.
    expect(claimedBy.every((n) => n > 0)).toBe(true);
    const rows = await database.db.select({ status: outbox.status, attempts: outbox.attempts }).from(outbox).where(inArray(outbox.id, ids));
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });

  it('sends again a row whose worker died holding its lease, once the lease runs out', async () => {
    const [id = 0] = await queue([603]);
    const now = clock.now();
    const taken = await claimDue(database.db, { owner: 'dead-worker', now, leaseUntil: new Date(now.getTime() + 60_000), limit: 10, channels: ['telegram'] });
    expect(taken.map((m) => m.id)).toEqual([id]);

    const w = worker();
    expect(await w.runOnce()).toBe(0);
    expect(fake.stats().sent).toBe(0);
    clock.advance(60_001);
    expect(await w.runOnce()).toBe(1);
    expect(fake.messages('603')).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2, leaseOwner: null });
  });
});
