import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeUpdate } from '../../bot/channels/telegram/normalize';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/telegram/${name}.json`, import.meta.url), 'utf8'));
const message = (text: string, chatType = 'private') => ({
  update_id: 1,
  message: { message_id: 1, chat: { id: 42, type: chatType }, from: { id: 42, first_name: 'Lan' }, text },
});

describe('telegram normalize', () => {
  it('maps a text message to a text envelope with the chat id and update id', () => {
    expect(normalizeUpdate(fixture('text'))).toEqual({
      envelope: { channel: 'telegram', externalId: '5012345678', updateId: '804512001', displayName: 'Lan', message: { kind: 'text', text: 'tro giup' } },
      chatId: 5012345678,
      languageCode: 'vi',
    });
  });

  it('reads /start with a deep-link payload as a start', () => {
    expect(normalizeUpdate(fixture('start-payload'))).toMatchObject({ envelope: { message: { kind: 'start', payload: 'p_1.001193' } } });
  });

  it.each([
    ['/start', { kind: 'start' }],
    ['/start@MotCuaTestBot', { kind: 'start' }],
    ['/start@MotCuaTestBot abc_1', { kind: 'start', payload: 'abc_1' }],
    ['/start <script>', { kind: 'start' }],
    ['/help@MotCuaTestBot', { kind: 'text', text: '/help' }],
    ['/lang@MotCuaTestBot en', { kind: 'text', text: '/lang en' }],
    ['/lang en', { kind: 'text', text: '/lang en' }],
    ['a/b', { kind: 'text', text: 'a/b' }],
  ])('reads %j as %j', (text, inbound) => {
    expect(normalizeUpdate(message(text))).toMatchObject({ envelope: { message: inbound } });
  });

  it('maps a button press to its action and keeps the query id to answer', () => {
    expect(normalizeUpdate(fixture('callback-query'))).toEqual({
      envelope: {
        channel: 'telegram',
        externalId: '5012345678',
        updateId: '804512003',
        displayName: 'Lan',
        message: { kind: 'action', action: 'settings:lang:en' },
      },
      chatId: 5012345678,
      callbackQueryId: '2157423091283746512',
      languageCode: 'vi',
    });
  });

  it('trusts a shared contact only when it is the sender’s own', () => {
    expect(normalizeUpdate(fixture('contact-own'))).toMatchObject({ envelope: { message: { kind: 'contact', phone: '+84912345678', verified: true } } });
    expect(normalizeUpdate(fixture('contact-other'))).toMatchObject({ envelope: { message: { kind: 'contact', phone: '+84987654321', verified: false } } });
  });

  it('does not trust a contact card without a Telegram user id', () => {
    const update = { update_id: 3, message: { message_id: 1, chat: { id: 42, type: 'private' }, from: { id: 42 }, contact: { phone_number: '0912345678' } } };
    expect(normalizeUpdate(update)).toMatchObject({ envelope: { message: { kind: 'contact', phone: '0912345678', verified: false } } });
  });

  it('marks a photo as unsupported', () => {
    expect(normalizeUpdate(fixture('photo'))).toMatchObject({ envelope: { message: { kind: 'unsupported', what: 'photo' } } });
  });

  it('ignores edited messages and group chats', () => {
    expect(normalizeUpdate(fixture('edited-message'))).toEqual({ ignored: 'update type not handled' });
    expect(normalizeUpdate(fixture('group-message'))).toEqual({ ignored: 'message in a supergroup chat' });
  });

  it('ignores a button in a group but still hands back the query id to answer', () => {
    const update = { update_id: 4, callback_query: { id: 'q1', from: { id: 42 }, data: 'menu', message: { chat: { id: -100, type: 'group' } } } };
    expect(normalizeUpdate(update)).toEqual({ ignored: 'callback in a group chat', callbackQueryId: 'q1' });
  });

  it('ignores what it cannot read instead of failing', () => {
    expect(normalizeUpdate({ update_id: 5, message: { chat: 'nope' } })).toEqual({ ignored: 'unreadable message' });
    expect(normalizeUpdate('not an object')).toEqual({ ignored: 'not an update' });
  });
});
