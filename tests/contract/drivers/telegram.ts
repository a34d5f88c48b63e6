import { callbackUpdate, startTelegramApp, type TelegramApp, textUpdate } from '../../support/telegram-app';
import { seenMessage } from '../../support/telegram-view';
import type { ChannelDriver, Citizen, SeenReply } from './types';

/** Telegram: updates POSTed to the served webhook, replies read from the fake Bot API. */
export function telegramDriver(): ChannelDriver {
  let app: TelegramApp | undefined;
  let nextChat = 62_000_000;
  const running = () => {
    if (!app) throw new Error('telegram driver is not open');
    return app;
  };
  return {
    name: 'telegram',
    // The fake updates come from a user whose first name is Lan.
    displayName: 'Lan',
    async open() {
      app = await startTelegramApp();
    },
    async close() {
      await app?.close();
    },
    assistant: () => running().assistant,
    citizen(): Citizen {
      const chat = ++nextChat;
      let seen = 0;
      const send = async (update: unknown): Promise<SeenReply[]> => {
        const res = await running().post(update);
        if (res.status !== 200) throw new Error(`telegram webhook answered ${res.status}: ${await res.text()}`);
        // Replies are sent before the webhook answers, so they are all recorded by now.
        const messages = running().fake.messages(chat).slice(seen);
        seen += messages.length;
        return messages.map(seenMessage).map(({ title, text, buttons }) => ({ ...(title ? { title } : {}), text, buttons }));
      };
      return {
        start: (payload) => send(textUpdate(chat, payload ? `/start ${payload}` : '/start')),
        say: (text) => send(textUpdate(chat, text)),
        press: (action) => send(callbackUpdate(chat, action)),
      };
    },
  };
}
