import { z } from 'zod';

/*
 * The shapes of settings that config/ parses from the environment and the layers above use:
 * config builds them, runtime/ hands them down, domain and the channel adapters read them.
 */

/**
 * The fee for one certified copy (chứng thực bản sao từ bản chính), per page in tiers, with a cap
 * per copy. Kept as configuration (CERTIFY_FEE_TABLE) because the Ministry of Finance sets it and
 * it changes by circular, not by release.
 */
export const feeTableSchema = z
  .object({
    /** From page `fromPage` on, each page costs `perPage` VND (until the next tier starts). */
    tiers: z
      .array(
        z.object({
          fromPage: z.number().int('fromPage: expected a whole number').min(1, 'fromPage: expected 1 or more'),
          perPage: z.number().int('perPage: expected whole VND').min(0, 'perPage: expected 0 or more'),
        }),
      )
      .min(1, 'tiers: expected at least one tier'),
    /** The most one copy may cost, VND; null for no cap. */
    maxPerCopy: z.number().int('maxPerCopy: expected whole VND').positive('maxPerCopy: expected a positive amount').nullable(),
  })
  .refine((t) => t.tiers[0]?.fromPage === 1, { message: 'tiers: the first tier must start at page 1' })
  .refine((t) => t.tiers.every((tier, i) => i === 0 || tier.fromPage > (t.tiers[i - 1]?.fromPage ?? 0)), {
    message: 'tiers: fromPage must increase from one tier to the next',
  });

export type FeeTable = z.infer<typeof feeTableSchema>;

/**
 * The national table (Thông tư 226/2016/TT-BTC, still in force): 2,000 VND per page for pages 1-2,
 * 1,000 VND per page from page 3, at most 200,000 VND per copy.
 */
export const NATIONAL_COPY_FEES: FeeTable = {
  tiers: [
    { fromPage: 1, perPage: 2_000 },
    { fromPage: 3, perPage: 1_000 },
  ],
  maxPerCopy: 200_000,
};

/** At most this many codes in 15 minutes and in 24 hours. */
export interface CodeLimits {
  quarterHour: number;
  day: number;
}

/**
 * The limits of one-time codes (NIST SP 800-63B out-of-band secrets, see shared/channels.md §6).
 *
 * Every code can be guessed `maxAttempts` times, only by the requester it was issued to. Codes for
 * one phone come from three budgets, so that nobody can use up another's:
 * - `perPhone`: chats that have not proved the phone (strangers, and a citizen's first chat);
 * - `perPhoneDesk`: the staff telephone desk, which no chat can exhaust;
 * - a chat already linked to the phone's citizen is held only by `perChat`: it has nothing to
 *   gain by guessing, so a stranger's requests never lock it out.
 * The chance of guessing a phone's code in a day is therefore at most
 * (perPhone.day + perPhoneDesk.day) * maxAttempts / 10^digits: (7 + 3) * 5 / 10^6 = 5e-5.
 */
export interface OtpPolicy {
  digits: number;
  ttlSeconds: number;
  /** Wrong tries after which a code is dead. */
  maxAttempts: number;
  perPhone: CodeLimits;
  perPhoneDesk: CodeLimits;
  perChat: CodeLimits;
  /**
   * Codes a day asked from one network address (the web chat), over all phones and chats: a new
   * web chat costs nothing, and every code is an SMS someone pays for.
   */
  perAddressDay: number;
}

/** The policy when the environment says nothing (config/ takes its defaults from here). */
export const DEFAULT_OTP_POLICY: OtpPolicy = {
  digits: 6,
  ttlSeconds: 300,
  maxAttempts: 5,
  perPhone: { quarterHour: 3, day: 7 },
  perPhoneDesk: { quarterHour: 3, day: 3 },
  perChat: { quarterHour: 3, day: 10 },
  perAddressDay: 30,
};

/** The Zalo OA channel, when ZALO_APP_ID, ZALO_APP_SECRET and ZALO_OA_SECRET_KEY are set. */
export interface ZaloConfig {
  appId: string;
  appSecret: string;
  oaSecretKey: string;
  apiBase: string;
  oauthBase: string;
  znsBase: string;
  /** Tokens from the environment, stored only when the database holds none yet. */
  seed: { accessToken?: string; refreshToken: string } | undefined;
  znsTemplates: Record<string, { id: string; params?: Record<string, string> }>;
  znsDevelopment: boolean;
  csWindowHours: number;
  webhookMaxAgeSeconds: number;
  requestInfoImageUrl: string | undefined;
}

/** The SMS gateway: a POST of a JSON body made from a template (see bot/channels/sms/gateway.ts). */
export interface SmsGatewayConfig {
  url: string;
  /** [name, value] of the header that authenticates us. */
  authHeader: [string, string] | undefined;
  body: Record<string, unknown>;
  successField: string | undefined;
  successValues: string[];
  ratePerSecond: number;
}
