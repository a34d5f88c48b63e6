import type { Database } from '../../../db/types';
import { createChannelEvents } from '../../../domain/messaging/channel-events';
import { createConversationStore } from '../../../domain/messaging/conversations';
import type { ChatSender, PhoneSender } from '../../../domain/messaging/senders';
import type { RouteGroup } from '../../../http/route-group';
import type { Clock } from '../../../lib/clock';
import type { PoolFactory } from '../../../lib/http-pool';
import type { Logger } from '../../../lib/logger';
import { createSealer, type Sealer } from '../../../lib/seal';
import type { ZaloConfig } from '../../../vocabulary/settings';
import type { Dialog } from '../../core/dialog';
import { createZaloClient, type ZaloClient } from './client';
import { createZaloSender } from './sender';
import { createTokenManager, type TokenManager } from './tokens';
import { createZaloWebhookRoutes } from './webhook';
import { createZnsSender, type ZnsDeps } from './zns';

export interface ZaloChannelDeps {
  config: ZaloConfig;
  /** APP_SECRET: seals the stored OA tokens. */
  appSecret: string;
  /** Opens the one-time codes queued by domain/otp (createSealer(APP_SECRET, 'otp')). */
  otpSealer: Sealer;
  db: Database;
  clock: Clock;
  logger: Logger;
  dialog: Dialog;
  /** The HTTP connections to Zalo: undici pools on Node, fetch on Workers. */
  pools: PoolFactory;
}

export interface ZaloChannel {
  /** POST /webhooks/zalo. */
  group: RouteGroup;
  /** Chat messages to Zalo users (customer-service, or ZNS outside the window). */
  sender: ChatSender;
  /** Phone-addressed messages as ZNS templates (one-time codes, notifications). */
  phoneSender: PhoneSender;
  /** For /healthz: false while no valid token can be had (the OA needs re-authorising). */
  healthy: () => Promise<boolean>;
  tokens: TokenManager;
  client: ZaloClient;
  close(): Promise<void>;
}

/** The sealing purpose of the stored OA tokens (lib/seal). */
export const TOKEN_SEAL_PURPOSE = 'zalo-token';

/**
 * The Zalo OA channel as the composition root needs it: the webhook route group, the chat and
 * ZNS senders, and the health check, over one client and one token manager.
 *
 * @example
 * if (config.zalo) {
 *   const zalo = createZaloChannel({ config: config.zalo, appSecret, otpSealer, db, clock, logger, dialog, pools });
 *   groups.push(zalo.group);
 *   senders.push(zalo.sender, zalo.phoneSender);
 *   checks.zalo = zalo.healthy;
 * }
 */
export function createZaloChannel(deps: ZaloChannelDeps): ZaloChannel {
  const { config, db, clock, logger } = deps;
  const log = logger.child({ channel: 'zalo' });
  const client = createZaloClient({ ...config, logger: log, pools: deps.pools });
  const tokens = createTokenManager({
    db,
    clock,
    logger: log,
    appId: config.appId,
    sealer: createSealer(deps.appSecret, TOKEN_SEAL_PURPOSE),
    refresh: client.refreshToken,
    ...(config.seed ? { seed: config.seed } : {}),
  });
  const zns: ZnsDeps = { client, tokens, templates: config.znsTemplates, development: config.znsDevelopment, logger: log };
  return {
    group: {
      path: '/webhooks/zalo',
      routes: createZaloWebhookRoutes({
        clock,
        logger: log,
        dialog: deps.dialog,
        events: createChannelEvents({ db, clock, logger: log, store: createConversationStore(db, clock) }),
        appId: config.appId,
        oaSecretKey: config.oaSecretKey,
        maxAgeMs: config.webhookMaxAgeSeconds * 1000,
      }),
    },
    sender: createZaloSender({
      ...zns,
      db,
      clock,
      csWindowMs: config.csWindowHours * 3_600_000,
      ...(config.requestInfoImageUrl ? { render: { infoCardImageUrl: config.requestInfoImageUrl } } : {}),
    }),
    phoneSender: createZnsSender({ ...zns, otpSealer: deps.otpSealer }),
    healthy: tokens.healthy,
    tokens,
    client,
    close: client.close,
  };
}
