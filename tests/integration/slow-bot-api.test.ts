import { eq } from 'drizzle-orm';
import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramSender } from '../../bot/channels/telegram/sender';
import type { DatabaseHandle } from '../../db/open';
import { identities, outbox } from '../../db/schema';
import { createDeliveryLoop } from '../../domain/messaging/delivery-loop';
import { realTimer } from '../../lib/clock';
import { silentLogger } from '../../lib/logger';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server';
import { createFakeClock } from '../support/clock';
import { createTestDatabase } from '../support/database';
import { waitFor } from '../support/processes';
import { TELEGRAM_TEST_ENV } from '../support/telegram-app';

/**
 * Issue 14, finding 10: with the Bot API answering after the client's timeout, every attempt
 * was delivered and counted as failed, so one message went out up to 8 times. A timed-out send
 * may have arrived: the row records that, and such a message is tried at most once more.
 */
let database: DatabaseHandle;
let fake: FakeTelegram;
beforeAll(async () => {
  // Answers after 1.5 s, half again the client's timeout below: each send arrives and times out.
  [database, fake] = await Promise.all([createTestDatabase(), startFakeTelegram({ delayMs: 1_500 })]);
});
afterAll(async () => {
  await database.close();
  await fake.stop();
});

describe('delivery while the Bot API answers after the timeout', () => {
  it('sends a message at most twice, then gives it up as maybe delivered', async () => {
    const clock = createFakeClock();
    const at = clock.now();
    const [chat] = await database.db.insert(identities).values({ channel: 'telegram', externalId: '7001', createdAt: at, lastSeenAt: at }).returning();
    const [row] = await database.db
      .insert(outbox)
      .values({
        identityId: chat?.id ?? 0,
        channel: 'telegram',
        kind: 'status_change',
        payload: { replies: [{ text: 'Hồ sơ đã có kết quả.' }] },
        notBefore: at,
        createdAt: at,
      })
      .returning();
    const api = new Api(TELEGRAM_TEST_ENV.TELEGRAM_BOT_TOKEN, { apiRoot: fake.apiRoot, timeoutSeconds: 1 });
    const worker = createDeliveryLoop({
      db: database.db,
      clock,
      timer: realTimer,
      logger: silentLogger,
      senders: [createTelegramSender({ api, ratePerSecond: 1000 })],
      batchSize: 10,
      leaseSeconds: 120,
      pacing: 'local',
    });
    for (let pass = 0; pass < 5; pass++) {
      await worker.runOnce();
      clock.advance(3 * 3_600_000); // past any backoff
    }
    // The last timed-out call is still being answered by the fake; wait for it to land.
    await waitFor(async () => fake.messages('7001').length >= 2, 10_000);
    expect(fake.messages('7001')).toHaveLength(2);
    const [settled] = await database.db
      .select()
      .from(outbox)
      .where(eq(outbox.id, row?.id ?? 0));
    expect(settled).toMatchObject({ status: 'dead', attempts: 2 });
    expect(settled?.lastError).toMatch(/^maybe sent: /);
  });

  it('knows that a refused connection sent nothing, and that a timeout may have', async () => {
    const nowhere = createTelegramSender({ api: new Api(TELEGRAM_TEST_ENV.TELEGRAM_BOT_TOKEN, { apiRoot: 'http://127.0.0.1:9' }), ratePerSecond: 30 });
    expect(await nowhere.send('1', { kind: 'reply', replies: [{ text: 'x' }] })).not.toHaveProperty('maybeSent');
    const slow = createTelegramSender({ api: new Api(TELEGRAM_TEST_ENV.TELEGRAM_BOT_TOKEN, { apiRoot: fake.apiRoot, timeoutSeconds: 1 }), ratePerSecond: 30 });
    expect(await slow.send('2', { kind: 'reply', replies: [{ text: 'x' }] })).toMatchObject({ status: 'retry', maybeSent: true });
  });
});
