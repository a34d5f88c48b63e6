import { Bot } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Logger } from '../../../lib/logger';
import type { Locale, Translate } from '../../../vocabulary/locales';
import { type Dialog, DialogUnavailable } from '../../core/dialog';
import { isIgnored, normalizeUpdate } from './normalize';
import { type OutgoingTelegramMessage, renderReplies } from './render';
import { outcomeOf } from './sender';

export interface TelegramBotDeps {
  token: string;
  /** The Bot API address: Telegram's, a self-hosted Bot API server, or the tests' fake. */
  apiRoot: string;
  /** The stored getMe answer; without it the first webhook request calls getMe once. */
  botInfo?: UserFromGetMe;
  /** grammY's HTTP client: pooled undici on Node (bot-api-fetch.ts); unset, grammY's own (fetch on Workers). */
  fetch?: typeof fetch;
  dialog: Dialog;
  translator: (locale: Locale) => Translate;
  logger: Logger;
}

/** Seconds before a Bot API call is given up (grammY's default is minutes, far beyond a webhook's patience). */
const API_TIMEOUT_SECONDS = 10;

/**
 * The Telegram adapter's bot: one middleware that maps the update to the dialog's envelope,
 * runs the dialog and sends the rendered replies. The dialog already dedupes update ids and
 * turns its own failures into an apology; the error boundary here covers the Telegram side
 * (a failed send) so the citizen still hears from us and the process lives on.
 *
 * @example
 * const bot = createTelegramBot({ token, apiRoot: 'https://api.telegram.org', dialog, translator, logger });
 * app.route('/webhooks/telegram', createTelegramWebhookRoutes({ bot, secret, logger }));
 */
export function createTelegramBot(deps: TelegramBotDeps): Bot {
  const bot = new Bot(deps.token, {
    ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
    client: { apiRoot: deps.apiRoot, timeoutSeconds: API_TIMEOUT_SECONDS, ...(deps.fetch ? { fetch: deps.fetch } : {}) },
  });
  const log = deps.logger.child({ channel: 'telegram' });

  // The error boundary (not bot.catch, which grammY consults only when polling): a failure on the
  // Telegram side is logged with the update id, the citizen gets the apology, and the webhook
  // still answers 200 so Telegram does not re-send what was already handled. An update the
  // dialog could not handle now (the database down) goes on to the webhook, which answers 503
  // so Telegram sends it again.
  const guarded = bot.errorBoundary(async (error) => {
    if (error.error instanceof DialogUnavailable) throw error.error;
    const update = error.ctx.update;
    log.error('telegram update failed', { updateId: update.update_id, error: error.error });
    // A reply that timed out may well have arrived: an apology after it would be a second
    // message about nothing (issue 14, finding 10).
    const outcome = outcomeOf(error.error);
    if (outcome.status === 'retry' && outcome.maybeSent) return;
    const normalized = normalizeUpdate(update);
    if (isIgnored(normalized)) return;
    const t = deps.translator(normalized.languageCode?.startsWith('en') ? 'en' : 'vi');
    await sendAll(bot, normalized.chatId, renderReplies([{ text: t('common.apology') }])).catch((sendError: unknown) =>
      log.error('apology not sent', { updateId: update.update_id, error: sendError }),
    );
  });

  guarded.use(async (ctx) => {
    const normalized = normalizeUpdate(ctx.update);
    let answered = false;
    // The button's spinner runs until the query is answered, whatever else happens.
    const answerQuery = async (id: string | undefined) => {
      if (!id || answered) return;
      answered = true;
      await ctx.api.answerCallbackQuery(id).catch((error: unknown) => log.warn('answerCallbackQuery failed', { updateId: ctx.update.update_id, error }));
    };
    if (isIgnored(normalized)) {
      log.debug('update ignored', { updateId: ctx.update.update_id, reason: normalized.ignored });
      await answerQuery(normalized.callbackQueryId);
      return;
    }
    try {
      const replies = await deps.dialog.handle(normalized.envelope);
      await answerQuery(normalized.callbackQueryId);
      if (!replies) return;
      const messages = renderReplies(replies, { removeKeyboard: normalized.envelope.message.kind === 'contact' });
      await sendAll(bot, normalized.chatId, messages);
    } finally {
      await answerQuery(normalized.callbackQueryId);
    }
  });

  return bot;
}

/** Sends rendered messages in order; the first failure stops the rest. */
export async function sendAll(bot: Bot, chatId: number | string, messages: OutgoingTelegramMessage[]): Promise<void> {
  for (const { text, ...options } of messages) await bot.api.sendMessage(chatId, text, options);
}
