import { sql } from 'drizzle-orm';
import type { Hono } from 'hono';
import type { RouteGroup } from '../api/app';
import { createApp } from '../api/app';
import { createAuth } from '../api/middleware/auth';
import type { ChannelSender } from '../bot/channels/port';
import { createTelegramChannel } from '../bot/channels/telegram/channel';
import { createWebChatRoutes } from '../bot/channels/web/routes';
import { createWebSender } from '../bot/channels/web/sender';
import { createZaloChannel } from '../bot/channels/zalo/channel';
import { createDialog, type Dialog } from '../bot/core/dialog';
import type { Services } from '../bot/core/services';
import { createFlows, DEFAULT_FLOW, MENU_FLOW } from '../bot/flows';
import { createTranslator } from '../bot/locales';
import type { Config } from '../config/schema';
import type { Database } from '../db/types';
import { createConversationStore } from '../domain/conversations';
import { createDeliveryWorker, type DeliveryWorker } from '../domain/delivery';
import { otpSealer } from '../domain/otp';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';

export interface AssembleDeps {
  config: Config;
  db: Database;
  clock: Clock;
  logger: Logger;
}

export interface Assistant {
  app: Hono;
  dialog: Dialog;
  worker: DeliveryWorker;
  senders: ChannelSender[];
}

/**
 * Wires the assistant from its dependencies. Both runtimes (Node, Workers), the terminal chat
 * and the integration tests build it here, so they all run the same thing. Reads no environment.
 */
export async function assemble(deps: AssembleDeps): Promise<Assistant> {
  const { config, db, clock, logger } = deps;
  const services: Services = {};
  const translator = createTranslator();
  const dialog = createDialog({
    store: createConversationStore(db, clock),
    flows: createFlows(),
    defaultFlow: DEFAULT_FLOW,
    menuFlow: MENU_FLOW,
    translator,
    services,
    clock,
    logger,
  });

  // Staff-side routes take `auth.requireRole(...)`.
  const auth = createAuth({ db, clock });
  const senders: ChannelSender[] = [createWebSender(db)];
  const groups: RouteGroup[] = [{ path: '/', routes: createWebChatRoutes({ db, dialog, secureCookies: config.publicUrl.startsWith('https://') }) }];
  if (config.telegram) {
    const telegram = createTelegramChannel({ settings: config.telegram, ratePerSecond: config.delivery.telegramPerSecond, dialog, translator, logger });
    groups.push(telegram.group);
    senders.push(telegram.sender);
  }
  const checks: Record<string, () => Promise<boolean>> = {};
  if (config.zalo) {
    if (!config.appSecret) throw new Error('the Zalo channel needs APP_SECRET (it seals the stored OA tokens)');
    const zalo = createZaloChannel({ config: config.zalo, appSecret: config.appSecret, otpSealer: otpSealer(config.appSecret), db, clock, logger, dialog });
    groups.push(zalo.group);
    senders.push(zalo.sender, zalo.phoneSender);
    checks.zalo = zalo.healthy;
  }

  const app = createApp({
    logger,
    checkDatabase: async () => {
      await db.execute(sql`select 1`);
      return true;
    },
    groups,
    checks,
  });
  const worker = createDeliveryWorker({
    db,
    clock,
    logger,
    senders,
    batchSize: config.delivery.batchSize,
    leaseSeconds: config.delivery.leaseSeconds,
  });
  return { app, dialog, worker, senders };
}
