import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Auth } from '../api/middleware/auth';
import { createCertificationRoutes } from '../api/routes/certification';
import { createCitizenDocumentRoutes, UPLOAD_PATH } from '../api/routes/citizen-documents';
import { createDevOtpSender } from '../bot/channels/sms/dev-sender';
import { createSmsGatewaySender } from '../bot/channels/sms/gateway';
import type { CertifyPort } from '../bot/core/certify';
import type { Config } from '../config/schema';
import type { CertificationSettings } from '../console/context';
import type { Database } from '../db/types';
import { createCertifyService } from '../domain/certification/chat-service';
import type { OtpDeps } from '../domain/certification/otp';
import { otpSealer } from '../domain/certification/otp';
import type { ChannelSender, PhoneSender } from '../domain/messaging/senders';
import type { BlobStore } from '../lib/blob-store';
import type { Clock } from '../lib/clock';
import { randomToken } from '../lib/crypto';
import type { Logger } from '../lib/logger';
import type { Locale, Translate } from '../vocabulary/locales';

/** Room beside the file in an upload's body (the form's other fields and multipart framing). */
export const UPLOAD_MARGIN_BYTES = 1024 * 1024;

/** Said at start-up whenever the development sender runs: it must never go unnoticed. */
export const DEV_SENDER_WARNING =
  'DEVELOPMENT OTP SENDER IS ON: one-time codes are NOT sent to phones; they are written to this log and shown in the web chat that asked (OTP_DEV_SENDER). Never use this where citizens can reach the service.';

export interface CertificationParts {
  /** The SMS gateway, or the development sender when OTP_DEV_SENDER has it on, for the OTP channel. */
  phoneSenders: PhoneSender[];
  /** Whether the development sender is among them (start-up says so loudly). */
  devOtpSender: boolean;
  /** The flow's port; `senders()` lists what the delivery loop sends through (codes need a sender for their channel). */
  service(senders: () => ChannelSender[]): CertifyPort;
  routes(auth: Auth): OpenAPIHono[];
  /** What the console's certification pages use (the same settings as the API's routes). */
  consoleSettings: CertificationSettings;
  /** Uploads of scans are bigger than the app's default body limit. */
  largeBodies: { path: RegExp; maxBytes: number }[];
}

/**
 * Wires repeat certification: OTP policy and sealing, the phone sender for codes, the blob store
 * for scans, the flow's port and the staff routes. Called from assemble.
 */
export function assembleCertification(deps: {
  config: Config;
  db: Database;
  clock: Clock;
  logger: Logger;
  translator: (locale: Locale) => Translate;
  /** Where scans are kept (the entry opens it: a folder exists only on Node). */
  blobs: BlobStore;
}): CertificationParts {
  const { config, db, clock, logger, translator, blobs } = deps;
  const settings = config.certification;
  if (!config.appSecret) logger.warn('APP_SECRET is not set: one-time codes use a secret that lasts until restart');
  const secret = config.appSecret ?? randomToken(48);
  const otp: OtpDeps = { secret, policy: settings.otp, channel: settings.otp.channel };
  const sealer = otpSealer(secret);

  const phoneSenders: PhoneSender[] = [];
  if (settings.sms) {
    phoneSenders.push(createSmsGatewaySender({ config: settings.sms, otpText: settings.otpText, sealer }));
  }
  // Only where the configuration asks for it (OTP_DEV_SENDER, or the zero-configuration local
  // start) and no real sender carries the OTP channel are codes shown in the log and the web chat.
  const realSender = settings.otp.channel === 'sms' ? settings.sms !== undefined : config.zalo !== undefined;
  const devOtpSender = config.devOtpSender && !realSender;
  if (devOtpSender) {
    logger.warn(DEV_SENDER_WARNING, { publicUrl: config.publicUrl });
    phoneSenders.push(createDevOtpSender({ db, clock, logger, sealer, otpText: settings.otpText, translator, env: config.env, channel: settings.otp.channel }));
  }

  return {
    phoneSenders,
    devOtpSender,
    service: (senders) =>
      createCertifyService({
        db,
        clock,
        otp,
        feeTable: settings.feeTable,
        canSendCodes: () => senders().some((s) => s.kind === 'phone' && s.channel === otp.channel),
      }),
    routes: (auth) => [
      createCitizenDocumentRoutes({ db, clock, auth, blobs, uploadMaxBytes: settings.uploadMaxBytes }),
      createCertificationRoutes({ db, clock, auth, otp, feeTable: settings.feeTable, translator }),
    ],
    consoleSettings: { otp, feeTable: settings.feeTable, citizenTexts: translator, blobs, uploadMaxBytes: settings.uploadMaxBytes },
    largeBodies: [{ path: UPLOAD_PATH, maxBytes: settings.uploadMaxBytes + UPLOAD_MARGIN_BYTES }],
  };
}
