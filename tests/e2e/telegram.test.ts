import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { escapeHtml } from '../../bot/channels/telegram/render';
import { createTranslator } from '../../bot/locales';
import { callbackUpdate, contactUpdate, startTelegramApp, type TelegramApp, textUpdate } from '../support/telegram-app';

const vi = createTranslator()('vi');
const en = createTranslator()('en');
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/telegram/${name}.json`, import.meta.url), 'utf8'));
/** The chat of the recorded fixtures. */
const FIXTURE_CHAT = 5012345678;

const menuKeyboard = (t: typeof vi, other: 'vi' | 'en') => ({
  inline_keyboard: [
    [{ text: t('menu.ask'), callback_data: 'ask' }],
    [{ text: t('menu.dossier'), callback_data: 'dossier' }],
    [{ text: t('menu.certify'), callback_data: 'certify' }],
    [
      { text: t('menu.settings'), callback_data: 'settings' },
      { text: t('menu.help'), callback_data: 'help' },
    ],
    [{ text: t('menu.language'), callback_data: `settings:lang:${other}` }],
  ],
});

let app: TelegramApp;
let chat = 81_000_000;
beforeAll(async () => {
  app = await startTelegramApp();
});
afterAll(async () => app.close());
beforeEach(() => {
  chat++;
});

async function deliver(update: unknown) {
  const res = await app.post(update);
  expect(res.status).toBe(200);
}

describe('telegram end to end', () => {
  it('greets /start by name with the main menu as an inline keyboard', async () => {
    await deliver(textUpdate(chat, '/start'));
    expect(app.fake.messages(chat)).toEqual([
      {
        chat_id: chat,
        text: escapeHtml(`${vi('menu.greeting', { name: ' Lan' })}\n\n${vi('menu.prompt')}`),
        parse_mode: 'HTML',
        reply_markup: menuKeyboard(vi, 'en'),
      },
    ]);
  });

  it('switches language from a button, answers the button, and remembers the language', async () => {
    const press = callbackUpdate(chat, 'settings:lang:en');
    await deliver(press);
    expect(app.fake.calls('answerCallbackQuery').map((c) => c.payload)).toContainEqual({ callback_query_id: press.callback_query.id });
    expect(app.fake.messages(chat)).toEqual([
      { chat_id: chat, text: en('settings.languageChanged'), parse_mode: 'HTML' },
      { chat_id: chat, text: escapeHtml(en('menu.prompt')), parse_mode: 'HTML', reply_markup: menuKeyboard(en, 'vi') },
    ]);

    await deliver(textUpdate(chat, 'menu'));
    expect(app.fake.messages(chat)[2]?.text).toBe(escapeHtml(`${en('menu.greeting', { name: ' Lan' })}\n\n${en('menu.prompt')}`));
  });

  it('sends help with a bold title and a button back to the menu', async () => {
    await deliver(textUpdate(chat, '/help@MotCuaTestBot'));
    expect(app.fake.messages(chat)).toEqual([
      {
        chat_id: chat,
        text: `<b>${escapeHtml(vi('help.title'))}</b>\n${escapeHtml(vi('help.body'))}`,
        parse_mode: 'HTML',
        reply_markup: { inline_keyboard: [[{ text: vi('menu.backToMenu'), callback_data: 'menu' }]] },
      },
    ]);
  });

  it('thanks for an unexpected contact and takes the contact keyboard away', async () => {
    await deliver(contactUpdate(chat, '84912345678', true));
    expect(app.fake.messages(chat)).toEqual([
      { chat_id: chat, text: escapeHtml(vi('common.contactUnexpected')), parse_mode: 'HTML', reply_markup: { remove_keyboard: true } },
    ]);
  });

  it('asks for text when a photo arrives (recorded update)', async () => {
    await deliver(fixture('photo'));
    expect(app.fake.messages(FIXTURE_CHAT).map((m) => m.text)).toEqual([escapeHtml(vi('common.pleaseType'))]);
  });

  it('stays silent on edits and group chats but answers their requests with 200', async () => {
    // grammY asks getMe at the first update it sees, whichever test delivers it: not a reply.
    const replies = () => app.fake.calls().filter((c) => c.method !== 'getMe').length;
    const before = replies();
    await deliver(fixture('edited-message'));
    await deliver(fixture('group-message'));
    expect(replies()).toBe(before);
  });

  it('answers a button press in a group without replying there', async () => {
    const press = callbackUpdate(chat, 'menu');
    const inGroup = {
      ...press,
      callback_query: { ...press.callback_query, message: { ...press.callback_query.message, chat: { id: -100123, type: 'group' } } },
    };
    await deliver(inGroup);
    expect(app.fake.calls('answerCallbackQuery').map((c) => c.payload.callback_query_id)).toContain(press.callback_query.id);
    expect(app.fake.messages(-100123)).toEqual([]);
  });

  it('still answers the button when sending the reply fails, and apologises', async () => {
    app.fake.failNext('sendMessage', { status: 502, description: 'Bad Gateway' });
    const press = callbackUpdate(chat, 'help');
    await deliver(press);
    expect(app.fake.calls('answerCallbackQuery').map((c) => c.payload.callback_query_id)).toContain(press.callback_query.id);
    expect(app.fake.messages(chat).map((m) => m.text)).toEqual([vi('common.apology')]);
  });

  it('asks Telegram who the bot is only once', async () => {
    // Two updates of its own, whichever tests ran before: grammY asks getMe at the first update only.
    await deliver(textUpdate(chat, 'menu'));
    await deliver(textUpdate(chat, 'menu'));
    expect(app.fake.calls('getMe')).toHaveLength(1);
  });
});
