import { type Bot, BotError } from 'grammy';
import type { Update } from 'grammy/types';
import { type Context, Hono } from 'hono';
import { apiError, parseJsonBody } from '../../../http/errors';
import { constantTimeEqual } from '../../../lib/crypto';
import { DialogUnavailable } from '../../core/dialog';
import { updateEnvelopeSchema } from './schema';

export const SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token';

/** Under grammY's 10 s default (Telegram's own patience is not documented: channels.md). */
const TIMEOUT_MS = 9_000;

export interface TelegramWebhookDeps {
  bot: Bot;
  /** The secret given to setWebhook; Telegram sends it back in {@link SECRET_HEADER}. */
  secret: string;
}

/**
 * POST / (mounted at /webhooks/telegram). The checks run before grammY sees anything:
 * a wrong or missing secret is 401, a body that is not JSON or has no integer update_id is 400,
 * each with the JSON error envelope and nothing processed. Then the bot handles the update.
 *
 * Replies are sent before the request ends, so Telegram's per-chat order holds. An update the
 * dialog could not handle now (its record or its flow failed on the database) is answered 503,
 * with nothing recorded, so Telegram delivers it again. So is a handler still running after
 * 9 s (the database not answering): it finishes on its own, and if it did record the update the
 * redelivery is dropped as a duplicate, while a 200 would lose the update if it then failed.
 *
 * This does what grammY's webhookCallback does (init, handleUpdate, a timeout) itself, because
 * webhookCallback leaves a handler that fails after its timeout as an unhandled rejection, which
 * ends a Node process.
 */
export function createTelegramWebhookRoutes(deps: TelegramWebhookDeps): Hono {
  const app = new Hono();
  const unavailable = (c: Context) => apiError(c, 503, 'unavailable', 'The update could not be handled now; it will be accepted when delivered again.');

  app.post('/', async (c) => {
    const header = c.req.header(SECRET_HEADER);
    if (header === undefined || !constantTimeEqual(header, deps.secret)) {
      return apiError(c, 401, 'unauthorized', `Missing or wrong ${SECRET_HEADER} header.`);
    }
    const read = await parseJsonBody(c, () => c.req.json(), updateEnvelopeSchema, 'invalid_update');
    if (!read.ok) return read.answer;
    if (!deps.bot.isInited()) await deps.bot.init();
    // The whole update goes to grammY as Telegram sent it (the schema checked only its envelope).
    const task = deps.bot.handleUpdate(read.json as Update);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS);
    });
    try {
      if ((await Promise.race([task, timedOut])) === 'timeout') {
        // Still running: whatever it ends with was logged by the bot or the dialog.
        task.catch(() => {});
        return unavailable(c);
      }
      return c.body(null, 200);
    } catch (error) {
      if ((error instanceof BotError ? error.error : error) instanceof DialogUnavailable) return unavailable(c);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  });
  return app;
}
