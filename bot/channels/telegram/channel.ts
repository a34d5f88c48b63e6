import { Api, type Bot } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { ChatSender } from '../../../domain/messaging/senders';
import type { RouteGroup } from '../../../http/route-group';
import type { Logger } from '../../../lib/logger';
import type { Locale, Translate } from '../../../vocabulary/locales';
import type { Dialog } from '../../core/dialog';
import { createTelegramBot } from './bot';
import { createTelegramSender, SEND_TIMEOUT_SECONDS } from './sender';
import { createTelegramWebhookRoutes } from './webhook';

export interface TelegramChannelDeps {
  settings: { token: string; webhookSecret: string; apiRoot: string };
  /** Messages per second the delivery loop may send to Telegram. */
  ratePerSecond: number;
  botInfo?: UserFromGetMe;
  /**
   * Makes grammY's HTTP client, one per Bot API client: pooled undici on Node (createBotApiFetch);
   * unset, grammY's own, which is the platform's fetch on Workers.
   */
  fetch?: () => typeof fetch;
  dialog: Dialog;
  translator: (locale: Locale) => Translate;
  logger: Logger;
}

export interface TelegramChannel {
  bot: Bot;
  /** POST /webhooks/telegram. */
  group: RouteGroup;
  sender: ChatSender;
}

/**
 * The Telegram channel as the composition root needs it: the webhook route group and the
 * delivery sender, over one bot.
 *
 * @example
 * if (config.telegram) {
 *   const telegram = createTelegramChannel({ settings: config.telegram, ratePerSecond: 30, dialog, translator, logger });
 *   groups.push(telegram.group);
 *   senders.push(telegram.sender);
 * }
 */
export function createTelegramChannel(deps: TelegramChannelDeps): TelegramChannel {
  const bot = createTelegramBot({
    token: deps.settings.token,
    apiRoot: deps.settings.apiRoot,
    ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
    ...(deps.fetch ? { fetch: deps.fetch() } : {}),
    dialog: deps.dialog,
    translator: deps.translator,
    logger: deps.logger,
  });
  return {
    bot,
    group: { path: '/webhooks/telegram', routes: createTelegramWebhookRoutes({ bot, secret: deps.settings.webhookSecret }) },
    // Its own client: delivery waits longer for an answer than a webhook can (sender.ts says why).
    sender: createTelegramSender({
      api: new Api(deps.settings.token, {
        apiRoot: deps.settings.apiRoot,
        timeoutSeconds: SEND_TIMEOUT_SECONDS,
        ...(deps.fetch ? { fetch: deps.fetch() } : {}),
      }),
      ratePerSecond: deps.ratePerSecond,
    }),
  };
}
