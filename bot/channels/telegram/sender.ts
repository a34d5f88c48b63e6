import { type Api, GrammyError, HttpError } from 'grammy';
import type { ChatSender, SendOutcome } from '../../../domain/messaging/senders';
import { renderReplies } from './render';

export interface TelegramSenderDeps {
  api: Api;
  /** Messages per second to all chats together (Telegram allows about 30 without paid broadcasts). */
  ratePerSecond: number;
}

/** Telegram allows about one message per second in one chat. */
const PER_CHAT_INTERVAL_MS = 1000;

/**
 * The delivery loop's Telegram sender: renders the queued replies and sends them in order,
 * then says how it went in the worker's terms.
 *
 * @example
 * const sender = createTelegramSender({ api: bot.api, ratePerSecond: config.delivery.telegramPerSecond });
 * await sender.send('123456', { replies: [{ text: 'Hồ sơ đã có kết quả.' }], kind: 'status_change' });
 */
export function createTelegramSender(deps: TelegramSenderDeps): ChatSender {
  return {
    kind: 'chat',
    channel: 'telegram',
    ratePerSecond: deps.ratePerSecond,
    perChatIntervalMs: PER_CHAT_INTERVAL_MS,
    async send(externalId, { replies }) {
      try {
        for (const { text, ...options } of renderReplies(replies)) await deps.api.sendMessage(externalId, text, options);
        return { status: 'sent' };
      } catch (error) {
        return outcomeOf(error);
      }
    },
  };
}

/** Maps a Bot API failure to what the worker should do about it. */
export function outcomeOf(error: unknown): SendOutcome {
  if (error instanceof GrammyError) {
    const what = `${error.error_code}: ${error.description}`;
    if (error.error_code === 429) {
      const seconds = error.parameters.retry_after;
      return { status: 'retry', error: what, ...(seconds !== undefined ? { retryAfterMs: seconds * 1000 } : {}) };
    }
    if (error.error_code === 403) return { status: 'blocked', error: what };
    // Chat not found, message can't be parsed, ...: the same request will fail the same way.
    if (error.error_code === 400) return { status: 'invalid', error: what };
    return { status: 'retry', error: what };
  }
  if (error instanceof HttpError) return { status: 'retry', error: `network: ${error.message}` };
  return { status: 'retry', error: error instanceof Error ? error.message : String(error) };
}
