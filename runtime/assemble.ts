import { sql } from 'drizzle-orm';
import type { Hono } from 'hono';
import { createApp, MAX_BODY_BYTES } from '../api/app';
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
import { createTelegramChannel } from '../bot/channels/telegram/channel';
import { createWebChatRoutes } from '../bot/channels/web/routes';
import { createWebSender } from '../bot/channels/web/sender';
import { createZaloChannel } from '../bot/channels/zalo/channel';
import { createDialog, type Dialog } from '../bot/core/dialog';
import type { ConversationStore } from '../bot/core/ports';
import type { Services } from '../bot/core/services';
import { createFlows, DEFAULT_FLOW, MENU_FLOW } from '../bot/flows';
import { createTranslator } from '../bot/locales';
import { createBroadcastRenderer, createReminderRenderer } from '../bot/notices/render';
import type { Config } from '../config/schema';
import { createConsoleTranslator } from '../console/i18n';
import { CONSOLE_IMPORT_MAX_BYTES, CONSOLE_IMPORT_PATH } from '../console/pages/catalog-import';
import { CONSOLE_UPLOAD_PATH } from '../console/pages/citizens';
import { renderTooLarge } from '../console/render';
import { createConsoleRoutes } from '../console/routes';
import type { Database } from '../db/types';
import { createChatOffices } from '../domain/catalog/chat-office';
import { createCatalog } from '../domain/catalog/store';
import { otpSealer } from '../domain/certification/otp';
import { createFeedback } from '../domain/dossiers/feedback';
import { createDossierLookup } from '../domain/dossiers/lookup';
import { createDossierService } from '../domain/dossiers/store';
import { createConversationStore } from '../domain/messaging/conversations';
import { createDeliveryLoop, type DeliveryLoop } from '../domain/messaging/delivery-loop';
import { createNotificationSettingsPort } from '../domain/messaging/notification-settings';
import { createScheduler, type Scheduler, withScheduler } from '../domain/messaging/scheduler';
import type { ChannelSender } from '../domain/messaging/senders';
import { dossierDueDateHook, dossierReminderHook } from '../domain/outreach/dossier-reminders';
import { claimLinkCode } from '../domain/people/staff-chats';
import type { RouteGroup } from '../http/route-group';
import type { BlobStore, BlobStoreConfig } from '../lib/blob-store';
import type { Clock, Timer } from '../lib/clock';
import type { PoolFactory } from '../lib/http-pool';
import type { Logger } from '../lib/logger';
import { assembleCertification, UPLOAD_MARGIN_BYTES } from './certification';

export interface AssembleDeps {
  config: Config;
  db: Database;
  clock: Clock;
  /** Waiting and elapsed time for delivery (lib/clock.ts): realTimer outside tests. */
  timer: Timer;
  logger: Logger;
  /** What differs between Node (runtime/node-platform.ts) and Workers (runtime/worker.ts). */
  platform: Platform;
}

/**
 * The parts only some runtimes have, chosen by the entry so that the Worker bundle never holds
 * Node's (undici, the filesystem).
 */
export interface Platform {
  /** Makes grammY's fetch; unset, grammY uses the platform's own. */
  telegramFetch?: () => typeof fetch;
  /** The connections of the Zalo client, per origin. */
  pools: PoolFactory;
  /** Opens the store of scanned documents the configuration names. */
  blobStore(config: BlobStoreConfig): BlobStore;
}

export interface Assistant {
  app: Hono;
  dialog: Dialog;
  /** The outbox delivery loop, with the reminder and broadcast scheduler beside it. */
  delivery: DeliveryLoop;
  /** The two apart, for Workers' cron triggers, which run each on its own schedule. */
  outbox: DeliveryLoop;
  scheduler: Scheduler;
  senders: ChannelSender[];
  /** True when one-time codes are shown by the development sender instead of sent (OTP_DEV_SENDER). */
  devOtpSender: boolean;
}

/**
 * Wires the assistant from its dependencies. The Node entries (npm start, the delivery process), the
 * Worker (runtime/worker.ts), the terminal chat and the integration tests build it here, so they
 * all run the same thing. Reads no environment.
 */
export async function assemble(deps: AssembleDeps): Promise<Assistant> {
  const { config, db, clock, logger } = deps;
  const catalog = createCatalog({ db, clock, logger, links: { publicUrl: config.publicUrl, telegramUsername: config.telegram?.username } });
  await catalog.start();
  const translator = createTranslator();
  const certification = assembleCertification({ config, db, clock, logger, translator, blobs: deps.platform.blobStore(config.certification.blobs) });
  // The appointment reminder follows the dossier: planned on receipt, moved with the due date, cancelled on closing.
  const dossiers = createDossierService({ db, translator, onStatusChange: [dossierReminderHook], onDueDateChange: [dossierDueDateHook] });
  // The dialog's ports (bot/core) are met by domain objects, checked here and nowhere else.
  const services = {
    procedures: catalog,
    offices: createChatOffices({ db, clock, catalog }),
    notifications: createNotificationSettingsPort(db, clock),
    dossiers: createDossierLookup({ db, clock }),
    feedback: createFeedback({ db, clock }),
    // Read when a code is asked for: the Zalo ZNS sender joins the list further down.
    certify: certification.service(() => senders),
    staffLinks: { claim: (identityId, code) => claimLinkCode(db, identityId, code, clock.now()) },
  } satisfies Services;
  const dialog = createDialog({
    store: createConversationStore(db, clock) satisfies ConversationStore,
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
  const senders: ChannelSender[] = [createWebSender(db, clock), ...certification.phoneSenders];
  const groups: RouteGroup[] = [{ path: '/', routes: createWebChatRoutes({ db, clock, dialog, secureCookies: config.publicUrl.startsWith('https://') }) }];
  const renderBroadcast = createBroadcastRenderer(translator);
  groups.push(
    ...createApiGroups([
      createCatalogRoutes({ catalog, auth, db }),
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
  const consoleTexts = createConsoleTranslator();
  const consoleTooLarge = renderTooLarge(consoleTexts);
  groups.push({
    path: '/console',
    routes: createConsoleRoutes({
      db,
      clock,
      logger,
      translator: consoleTexts,
      secureCookies,
      certification: certification.consoleSettings,
      dossiers,
      catalog,
      renderBroadcast,
    }) as unknown as Hono,
  });
  if (config.telegram) {
    const telegram = createTelegramChannel({
      settings: config.telegram,
      ratePerSecond: config.delivery.telegramPerSecond,
      ...(deps.platform.telegramFetch ? { fetch: deps.platform.telegramFetch } : {}),
      dialog,
      translator,
      logger,
    });
    groups.push(telegram.group);
    senders.push(telegram.sender);
  }
  const checks: Record<string, () => Promise<boolean>> = {};
  if (config.zalo) {
    if (!config.appSecret) throw new Error('the Zalo channel needs APP_SECRET (it seals the stored OA tokens)');
    const zalo = createZaloChannel({
      config: config.zalo,
      appSecret: config.appSecret,
      otpSealer: otpSealer(config.appSecret),
      db,
      clock,
      logger,
      dialog,
      pools: deps.platform.pools,
    });
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
    largeBodies: [
      ...certification.largeBodies,
      // The console's forms are refused with a page of its own, not the API's JSON.
      { path: CONSOLE_UPLOAD_PATH, maxBytes: config.certification.uploadMaxBytes + UPLOAD_MARGIN_BYTES, refuse: consoleTooLarge },
      // A catalog file travels twice (the upload, then the preview's confirmation): above 1 MiB.
      { path: CONSOLE_IMPORT_PATH, maxBytes: CONSOLE_IMPORT_MAX_BYTES, refuse: consoleTooLarge },
      { path: /^\/console\//, maxBytes: MAX_BODY_BYTES, refuse: consoleTooLarge },
    ],
  });
  const deliveryLoop = createDeliveryLoop({
    db,
    clock,
    timer: deps.timer,
    logger,
    senders,
    batchSize: config.delivery.batchSize,
    leaseSeconds: config.delivery.leaseSeconds,
    concurrency: config.delivery.concurrency,
  });
  // Reminders and broadcasts are planned rows turned into outbox rows by the scheduler pass,
  // which runs beside delivery in every Node process that delivers; on Workers, cron triggers
  // run the two passes (runtime/worker.ts, wrangler.toml).
  const scheduler = createScheduler({ db, clock, logger, renderReminder: createReminderRenderer(translator), renderBroadcast });
  return {
    app,
    dialog,
    delivery: withScheduler(deliveryLoop, scheduler, logger),
    outbox: deliveryLoop,
    scheduler,
    senders,
    devOtpSender: certification.devOtpSender,
  };
}
