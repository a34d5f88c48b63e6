import { type Api, GrammyError, HttpError } from 'grammy';
import type { ChatSender, SendOutcome } from '../../../domain/messaging/senders';
import { neverSent } from '../../../lib/transient';
import { renderReplies } from './render';

export interface TelegramSenderDeps {
  /** The Bot API client; its timeout should be {@link SEND_TIMEOUT_SECONDS} (createDeliveryApi). */
  api: Api;
  /** Messages per second to all chats together (Telegram allows about 30 without paid broadcasts). */
  ratePerSecond: number;
}

/** Telegram allows about one message per second in one chat. */
const PER_CHAT_INTERVAL_MS = 1000;

/**
 * Seconds a delivery send may take. Longer than the webhook's 10: a send given up while Telegram
 * is slow has often been accepted, and trying it again sends a second copy (issue 14, finding 10).
 */
export const SEND_TIMEOUT_SECONDS = 30;

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
    sendTimeoutMs: SEND_TIMEOUT_SECONDS * 1000,
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
  if (error instanceof HttpError) {
    // A timeout or a connection broken mid-request: Telegram may have sent the message.
    const maybeSent = !neverSent(codeOf(error.error));
    return { status: 'retry', error: `network: ${error.message}`, ...(maybeSent ? { maybeSent } : {}) };
  }
  return { status: 'retry', error: error instanceof Error ? error.message : String(error) };
}

/** The system error code under an HTTP client error (undici nests it in `cause`). */
function codeOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}
