import { sql } from 'drizzle-orm';
import type { Hono } from 'hono';
import type { RouteGroup } from '../api/app';
import { createApp } from '../api/app';
import { createAuth } from '../api/middleware/auth';
import { createApiGroups } from '../api/openapi';
import { createAuditRoutes } from '../api/routes/audit';
import { createAuthRoutes } from '../api/routes/auth';
import { createBroadcastRoutes } from '../api/routes/broadcasts';
import { createCatalogRoutes } from '../api/routes/catalog';
import { createDossierRoutes } from '../api/routes/dossiers';
import { createPermitRoutes } from '../api/routes/permits';
import { createPosterRoutes } from '../api/routes/posters';
import { createStatsRoutes } from '../api/routes/stats';
import { createTokenRoutes } from '../api/routes/tokens';
import type { ChannelSender } from '../bot/channels/port';
import { createTelegramChannel } from '../bot/channels/telegram/channel';
import { createWebChatRoutes } from '../bot/channels/web/routes';
import { createWebSender } from '../bot/channels/web/sender';
import { createZaloChannel } from '../bot/channels/zalo/channel';
import { createDialog, type Dialog } from '../bot/core/dialog';
import type { Services } from '../bot/core/services';
import { createFlows, DEFAULT_FLOW, MENU_FLOW } from '../bot/flows';
import { createTranslator } from '../bot/locales';
import { createBroadcastRenderer, createReminderRenderer } from '../bot/notices/render';
import type { Config } from '../config/schema';
import type { Database } from '../db/types';
import { createCatalog } from '../domain/catalog';
import { createConversationStore } from '../domain/conversations';
import { createDeliveryWorker, type DeliveryWorker } from '../domain/delivery';
import { dossierDueDateHook, dossierReminderHook } from '../domain/dossier-reminders';
import { createDossierLookup } from '../domain/dossiers/lookup';
import { createDossierService } from '../domain/dossiers/store';
import { createFeedback } from '../domain/feedback';
import { createNotificationSettingsPort } from '../domain/notification-settings';
import { otpSealer } from '../domain/otp';
import { createScheduler, withScheduler } from '../domain/scheduler';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import { assembleCertification } from './certification';

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
  /** True when one-time codes are shown by the development sender instead of sent (OTP_DEV_SENDER). */
  devOtpSender: boolean;
}

/**
 * Wires the assistant from its dependencies. Both runtimes (Node, Workers), the terminal chat
 * and the integration tests build it here, so they all run the same thing. Reads no environment.
 */
export async function assemble(deps: AssembleDeps): Promise<Assistant> {
  const { config, db, clock, logger } = deps;
  const catalog = createCatalog({ db, clock, logger, links: { publicUrl: config.publicUrl, telegramUsername: config.telegram?.username } });
  await catalog.start();
  const translator = createTranslator();
  const certification = assembleCertification({ config, db, clock, logger, translator });
  // The appointment reminder follows the dossier: planned on receipt, moved with the due date, cancelled on closing.
  const dossiers = createDossierService({ db, translator, onStatusChange: [dossierReminderHook], onDueDateChange: [dossierDueDateHook] });
  const services: Services = {
    procedures: catalog,
    notifications: createNotificationSettingsPort(db, clock),
    dossiers: createDossierLookup({ db, clock }),
    feedback: createFeedback({ db, clock }),
    // Read when a code is asked for: the Zalo ZNS sender joins the list further down.
    certify: certification.service(() => senders),
  };
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
  const secureCookies = config.publicUrl.startsWith('https://');
  const senders: ChannelSender[] = [createWebSender(db), ...certification.phoneSenders];
  const groups: RouteGroup[] = [{ path: '/', routes: createWebChatRoutes({ db, dialog, secureCookies: config.publicUrl.startsWith('https://') }) }];
  const renderBroadcast = createBroadcastRenderer(translator);
  groups.push(
    ...createApiGroups([
      createCatalogRoutes({ catalog, auth }),
      createBroadcastRoutes({ db, clock, auth, render: renderBroadcast }),
      createPermitRoutes({ db, clock, auth }),
      createAuthRoutes({ db, clock, auth, secureCookies }),
      createTokenRoutes({ db, clock, auth }),
      createAuditRoutes({ db, auth }),
      createDossierRoutes({ db, clock, auth, dossiers }),
      createStatsRoutes({ db, clock, auth }),
      ...certification.routes(auth),
    ]),
    { path: '/', routes: createPosterRoutes({ catalog, translator }) },
  );
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
    largeBodies: certification.largeBodies,
  });
  const delivery = createDeliveryWorker({
    db,
    clock,
    logger,
    senders,
    batchSize: config.delivery.batchSize,
    leaseSeconds: config.delivery.leaseSeconds,
    concurrency: config.delivery.concurrency,
  });
  // Reminders and broadcasts are planned rows turned into outbox rows by the scheduler pass,
  // which runs beside delivery in every process that delivers (no cron needed).
  const scheduler = createScheduler({ db, clock, logger, renderReminder: createReminderRenderer(translator), renderBroadcast });
  const worker = withScheduler(delivery, scheduler, logger);
  return { app, dialog, worker, senders, devOtpSender: certification.devOtpSender };
}
