import { HttpError } from 'grammy';
import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { createTelegramBot } from '../../bot/channels/telegram/bot';
import { createTranslator } from '../../bot/locales';
import { silentLogger } from '../../lib/logger';
import { FAKE_BOT_INFO } from '../fakes/telegram-server';

/** "menu" typed by a citizen in their private chat. */
const menuFrom = (chatId: number): Update => ({
  update_id: chatId,
  message: {
    message_id: 1,
    from: { id: chatId, is_bot: false, first_name: 'Lan' },
    chat: { id: chatId, first_name: 'Lan', type: 'private' },
    date: 1_795_395_600,
    text: 'menu',
  },
});

/** A bot whose every sendMessage fails with `failure`, recording what it was asked to send. */
function botFailingWith(failure: Error) {
  const sent: string[] = [];
  const bot = createTelegramBot({
    token: '123456:TEST-token-for-the-fake-bot-api',
    apiRoot: 'http://127.0.0.1:9',
    botInfo: FAKE_BOT_INFO,
    dialog: { handle: async () => [{ text: 'Xin chào' }] },
    translator: createTranslator(),
    logger: silentLogger,
  });
  bot.api.config.use(async (_prev, method, payload) => {
    if (method === 'sendMessage') sent.push(String((payload as { text?: unknown }).text));
    throw failure;
  });
  return { bot, sent };
}

/**
 * Issue 14, finding 10, on the webhook side: a reply whose send timed out may have arrived, so
 * no apology follows it; a send that failed for sure still gets the apology.
 */
describe('Telegram replies that fail', () => {
  it('sends no apology after a reply that timed out (it may have arrived)', async () => {
    const { bot, sent } = botFailingWith(
      new HttpError("Network request for 'sendMessage' failed!", new Error("Request to 'sendMessage' timed out after 10 seconds")),
    );
    await bot.handleUpdate(menuFrom(8_800_001));
    expect(sent).toEqual(['Xin chào']);
  });

  it('apologises after a reply the Bot API could not be reached for', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const { bot, sent } = botFailingWith(new HttpError("Network request for 'sendMessage' failed!", refused));
    await bot.handleUpdate(menuFrom(8_800_002));
    expect(sent).toHaveLength(2);
    expect(sent[1]).toBe(createTranslator()('vi')('common.apology'));
  });
});
