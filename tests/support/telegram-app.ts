import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { SECRET_HEADER } from '../../bot/channels/telegram/webhook';
import { type FakeTelegram, type FakeTelegramOptions, startFakeTelegram } from '../fakes/telegram-server';
import { createTestAssistant, type TestAssistant } from './assistant';

/** Telegram settings for tests; the token only has to look like one, the fake accepts any. */
export const TELEGRAM_TEST_ENV = {
  TELEGRAM_BOT_TOKEN: '123456:TEST-token-for-the-fake-bot-api',
  TELEGRAM_WEBHOOK_SECRET: 'test-webhook-secret-0123456789',
} as const;

export interface TelegramApp {
  assistant: TestAssistant;
  fake: FakeTelegram;
  /** http://127.0.0.1:<port>/webhooks/telegram */
  webhookUrl: string;
  /** POSTs a body to the webhook; `secret: null` sends no secret header. */
  post(body: unknown, options?: { secret?: string | null }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The whole assistant served on 127.0.0.1 (a random port) with Telegram switched on and its
 * Bot API pointing at a fresh fake: what Telegram and the citizen would see, over real sockets.
 */
export async function startTelegramApp(fakeOptions: FakeTelegramOptions = {}, env: Record<string, string> = {}): Promise<TelegramApp> {
  const fake = await startFakeTelegram(fakeOptions);
  const assistant = await createTestAssistant({ ...TELEGRAM_TEST_ENV, TELEGRAM_API_ROOT: fake.apiRoot, ...env });
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>((resolve) => {
    const server = serve({ fetch: assistant.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ server, port: info.port }));
  });
  const webhookUrl = `http://127.0.0.1:${port}/webhooks/telegram`;
  return {
    assistant,
    fake,
    webhookUrl,
    post(body, options = {}) {
      const secret = options.secret === undefined ? TELEGRAM_TEST_ENV.TELEGRAM_WEBHOOK_SECRET : options.secret;
      return fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(secret === null ? {} : { [SECRET_HEADER]: secret }) },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
    async close() {
      await new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      });
      await assistant.close();
      await fake.stop();
    },
  };
}

let nextUpdateId = 900_000_000;
/** Update ids as Telegram hands them out: unique and increasing. */
export const newUpdateId = () => ++nextUpdateId;

const user = (chatId: number) => ({ id: chatId, is_bot: false, first_name: 'Lan', language_code: 'vi' });
const privateChat = (chatId: number) => ({ id: chatId, first_name: 'Lan', type: 'private' });

/** A text message from a citizen in their private chat. */
export function textUpdate(chatId: number, text: string, updateId = newUpdateId()) {
  return { update_id: updateId, message: { message_id: updateId % 1_000_000, from: user(chatId), chat: privateChat(chatId), date: 1_795_395_600, text } };
}

/** A press on an inline button the bot sent. */
export function callbackUpdate(chatId: number, data: string, updateId = newUpdateId()) {
  return {
    update_id: updateId,
    callback_query: {
      id: `cq-${updateId}`,
      from: user(chatId),
      message: { message_id: 1, from: { id: 7000001, is_bot: true, first_name: 'Một Cửa' }, chat: privateChat(chatId), date: 1_795_395_600, text: '…' },
      chat_instance: `ci-${chatId}`,
      data,
    },
  };
}

/** A shared contact: the sender's own (`own`) or a card from the address book. */
export function contactUpdate(chatId: number, phone: string, own: boolean, updateId = newUpdateId()) {
  return {
    update_id: updateId,
    message: {
      message_id: updateId % 1_000_000,
      from: user(chatId),
      chat: privateChat(chatId),
      date: 1_795_395_600,
      contact: { phone_number: phone, first_name: 'Lan', ...(own ? { user_id: chatId } : { user_id: chatId + 1 }) },
    },
  };
}
