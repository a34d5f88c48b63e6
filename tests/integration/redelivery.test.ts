import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../bot/locales';
import { identities, outbox, processedUpdates } from '../../db/schema';
import { signedZaloEvent } from '../fakes/zalo-server';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { injectQueryFaults } from '../support/query-faults';
import { callbackUpdate, startTelegramApp, type TelegramApp, textUpdate } from '../support/telegram-app';
import { seenText } from '../support/telegram-view';
import { startZaloApp } from '../support/zalo-app';

/**
 * Issue 14, finding 8: an event the database could not take must not be acknowledged. Answered
 * non-2xx, with nothing recorded, so the channel delivers it again and the redelivery is handled
 * in full; only errors a redelivery would not cure end in an apology.
 */
const apology = createTranslator()('vi')('common.apology');
// The arrival statement (update id, chat, count, state) and the state write after a flow.
const ARRIVAL = /insert into processed_updates/;
const STATE_WRITE = /insert into "conversation_state"/;

describe('Telegram: an update the database could not take is redelivered, not lost', () => {
  let app: TelegramApp;
  beforeAll(async () => {
    app = await startTelegramApp();
  });
  afterAll(async () => app.close());

  const recorded = async (updateId: number) =>
    (
      await app.assistant.database.db
        .select()
        .from(processedUpdates)
        .where(and(eq(processedUpdates.channel, 'telegram'), eq(processedUpdates.updateId, String(updateId))))
    ).length;

  it('answers 503 when the update cannot be recorded, and handles the redelivery', async () => {
    const faults = injectQueryFaults(app.assistant.database.db);
    const update = textUpdate(8_100_001, 'menu');
    faults.failNext(ARRIVAL);
    const failed = await app.post(update);
    expect(failed.status).toBe(503);
    expect(await recorded(update.update_id)).toBe(0);
    expect(app.fake.messages(8_100_001)).toEqual([]);

    const again = await app.post(update);
    expect(again.status).toBe(200);
    expect(app.fake.messages(8_100_001).map(seenText)).toEqual([expect.stringContaining('Xin chào')]);
  });

  it('answers 503 when the flow fails on the database after the update was recorded, and handles the redelivery', async () => {
    const faults = injectQueryFaults(app.assistant.database.db);
    const update = callbackUpdate(8_100_002, 'dossier');
    faults.failNext(STATE_WRITE);
    const failed = await app.post(update);
    expect(failed.status).toBe(503);
    expect(faults.pending()).toBe(0);
    expect(await recorded(update.update_id)).toBe(0);
    expect(app.fake.messages(8_100_002)).toEqual([]);

    const again = await app.post(update);
    expect(again.status).toBe(200);
    const seen = app.fake.messages(8_100_002).map(seenText);
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toBe(apology);
  });
});

describe('Zalo: an event the database could not take is redelivered, not lost', () => {
  const KEYS = { appId: '3608465248940903967', oaSecretKey: 'oa-secret-key-for-redelivery' };
  let assistant: TestAssistant;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const started = await startZaloApp({ ...KEYS, appSecret: 'zalo-app-secret' });
    assistant = started.assistant;
    close = async () => {
      await assistant.close();
      await started.zalo.close();
    };
  });
  afterAll(async () => close());

  const post = (event: Record<string, unknown>) => {
    const { body, headers } = signedZaloEvent({ timestamp: String(assistant.clock.now().getTime()), ...event }, KEYS);
    return assistant.app.request('/webhooks/zalo', { method: 'POST', body, headers });
  };
  const text = (user: string, msgId: string) => ({
    event_name: 'user_send_text',
    sender: { id: user },
    recipient: { id: '388613280879808645' },
    message: { msg_id: msgId, text: 'menu' },
  });
  const repliesTo = async (user: string) =>
    assistant.database.db
      .select({ kind: outbox.kind })
      .from(outbox)
      .innerJoin(identities, eq(identities.id, outbox.identityId))
      .where(eq(identities.externalId, user));

  it('answers 503 when the event cannot be recorded, and queues the reply on redelivery', async () => {
    const faults = injectQueryFaults(assistant.database.db);
    faults.failNext(ARRIVAL);
    expect((await post(text('2468000000000001', 'm-zr-1'))).status).toBe(503);
    expect(await repliesTo('2468000000000001')).toEqual([]);
    expect((await post(text('2468000000000001', 'm-zr-1'))).status).toBe(200);
    expect(await repliesTo('2468000000000001')).toEqual([{ kind: 'reply' }]);
  });

  it('answers 503 and forgets the event when its reply cannot be queued, and queues it on redelivery', async () => {
    const faults = injectQueryFaults(assistant.database.db);
    faults.failNext(/insert into "outbox"/);
    expect((await post(text('2468000000000002', 'm-zr-2'))).status).toBe(503);
    expect(faults.pending()).toBe(0);
    expect(await repliesTo('2468000000000002')).toEqual([]);
    expect((await post(text('2468000000000002', 'm-zr-2'))).status).toBe(200);
    expect(await repliesTo('2468000000000002')).toEqual([{ kind: 'reply' }]);
  });
});

describe('web chat: a message the database could not take is answered 503 and taken when sent again', () => {
  let assistant: TestAssistant;
  beforeAll(async () => {
    assistant = await createTestAssistant();
  });
  afterAll(async () => assistant.close());

  it('answers 503, then the same message (same id) gets its replies', async () => {
    const faults = injectQueryFaults(assistant.database.db);
    const send = (cookie?: string) =>
      assistant.app.request('/chat/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify({ id: 'message-0001', start: '' }),
      });
    faults.failNext(ARRIVAL);
    const failed = await send();
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ error: { code: 'unavailable' } });
    const cookie = failed.headers.get('set-cookie')?.split(';')[0];
    const again = await send(cookie);
    expect(again.status).toBe(200);
    const { replies, duplicate } = (await again.json()) as { replies: { text: string }[]; duplicate: boolean };
    expect(duplicate).toBe(false);
    expect(replies[0]?.text).toContain('Xin chào');
  });
});
