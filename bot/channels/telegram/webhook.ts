import { type Bot, BotError, webhookCallback } from 'grammy';
import { Hono } from 'hono';
import { apiError, parseJsonBody } from '../../../api/errors';
import { constantTimeEqual } from '../../../lib/crypto';
import { DialogUnavailable } from '../../core/dialog';
import { updateEnvelopeSchema } from './schema';

export const SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token';

export interface TelegramWebhookDeps {
  bot: Bot;
  /** The secret given to setWebhook; Telegram sends it back in {@link SECRET_HEADER}. */
  secret: string;
}

/**
 * POST / (mounted at /webhooks/telegram). The checks run before grammY sees anything:
 * a wrong or missing secret is 401, a body that is not JSON or has no integer update_id is 400,
 * each with the JSON error envelope and nothing processed. Then grammY's webhookCallback (hono
 * adapter) reads the body again (Hono caches it) and runs the bot.
 *
 * Replies are sent before the request ends, so Telegram's per-chat order holds; a handler still
 * running after 9 s is answered 200 and finishes on its own rather than be re-delivered
 * (the update id is already recorded, so a re-delivery would be dropped anyway). An update the
 * dialog could not handle now (its record or its flow failed on the database) is answered 503,
 * with nothing recorded, so Telegram delivers it again.
 */
export function createTelegramWebhookRoutes(deps: TelegramWebhookDeps): Hono {
  const app = new Hono();
  const handle = webhookCallback(deps.bot, 'hono', { secretToken: deps.secret, onTimeout: 'return', timeoutMilliseconds: 9_000 });

  app.post('/', async (c) => {
    const header = c.req.header(SECRET_HEADER);
    if (header === undefined || !constantTimeEqual(header, deps.secret)) {
      return apiError(c, 401, 'unauthorized', `Missing or wrong ${SECRET_HEADER} header.`);
    }
    const read = await parseJsonBody(c, () => c.req.json(), updateEnvelopeSchema, 'invalid_update');
    if (!read.ok) return read.answer;
    try {
      return await handle(c);
    } catch (error) {
      const cause = error instanceof BotError ? error.error : error;
      if (cause instanceof DialogUnavailable)
        return apiError(c, 503, 'unavailable', 'The update could not be handled now; it will be accepted when delivered again.');
      throw error;
    }
  });
  return app;
}
