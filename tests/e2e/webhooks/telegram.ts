import { count, eq } from 'drizzle-orm';
import { createTranslator } from '../../../bot/locales';
import { processedUpdates } from '../../../db/schema';
import { startTelegramApp, textUpdate } from '../../support/telegram-app';
import { seenText } from '../../support/telegram-view';
import type { WebhookHarness } from './harness';

/** The Telegram webhook over the served app and the fake Bot API. */
export async function telegramHarness(): Promise<WebhookHarness> {
  const app = await startTelegramApp();
  return {
    channel: 'telegram',
    textEvent: (eventId, user, text) => JSON.stringify(textUpdate(user, text, eventId)),
    malformedBodies: ['{"update_id": 1, "message": ', '[]', '"text"', '{"update_id": "12"}', '{"update_id": 1.5}', '{"message": {"text": "hi"}}'],
    send: (body, auth) => app.post(body, { secret: auth === 'valid' ? undefined : auth === 'wrong' ? 'wrong-secret-wrong-secret-00' : null }),
    delivered: (user) => app.fake.messages(user).map(seenText),
    platformCalls: () => app.fake.calls().length,
    async processedEvents() {
      const [row] = await app.assistant.database.db.select({ n: count() }).from(processedUpdates).where(eq(processedUpdates.channel, 'telegram'));
      return row?.n ?? 0;
    },
    breakNextHandling: () => app.fake.failNext('sendMessage', { status: 500, description: 'Internal Server Error' }),
    apology: createTranslator()('vi')('common.apology'),
    close: () => app.close(),
  };
}
