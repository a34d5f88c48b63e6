import { join } from 'node:path';
import { z } from 'zod';
import type { BlobStoreConfig } from '../lib/blob-store';
import { DEFAULT_OTP_POLICY, type FeeTable, feeTableSchema, NATIONAL_COPY_FEES, type OtpPolicy, type SmsGatewayConfig } from '../vocabulary/settings';

const count = (what: string, max: number) =>
  z.coerce
    .number({ error: `expected ${what}` })
    .int(`expected ${what} as a whole number`)
    .min(1, `expected ${what} of at least 1`)
    .max(max, `expected ${what} of at most ${max}`);

/** A JSON value in an environment variable, with a clear message when it does not parse. */
const jsonText = (example: string) =>
  z.string().transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: `expected JSON such as ${example}` });
      return z.NEVER;
    }
  });

/** The SMS text of a code. `{{code}}` and `{{minutes}}` are filled in; register it with the gateway exactly as written. */
export const DEFAULT_SMS_OTP_TEXT =
  'MOT CUA: Ma xac thuc cua Anh/Chi la {{code}}, hieu luc {{minutes}} phut. Tuyet doi KHONG chia se ma nay cho bat ky ai, ke ca can bo.';

/** Environment variables of certification: OTP limits and senders, the fee table, scanned files. */
export const certificationEnv = {
  OTP_TTL_SECONDS: count('seconds', 600).default(DEFAULT_OTP_POLICY.ttlSeconds),
  OTP_MAX_ATTEMPTS: count('tries', 100).default(DEFAULT_OTP_POLICY.maxAttempts),
  OTP_PER_PHONE_15MIN: count('codes', 100).default(DEFAULT_OTP_POLICY.perPhone.quarterHour),
  OTP_PER_PHONE_DAY: count('codes', 1000).default(DEFAULT_OTP_POLICY.perPhone.day),
  OTP_PER_PHONE_DESK_15MIN: count('codes', 100).default(DEFAULT_OTP_POLICY.perPhoneDesk.quarterHour),
  OTP_PER_PHONE_DESK_DAY: count('codes', 1000).default(DEFAULT_OTP_POLICY.perPhoneDesk.day),
  OTP_PER_CHAT_15MIN: count('codes', 100).default(DEFAULT_OTP_POLICY.perChat.quarterHour),
  OTP_PER_CHAT_DAY: count('codes', 1000).default(DEFAULT_OTP_POLICY.perChat.day),
  OTP_PER_ADDRESS_DAY: count('codes', 100_000).default(DEFAULT_OTP_POLICY.perAddressDay),
  OTP_CHANNEL: z.enum(['sms', 'zns'], { error: 'expected sms or zns' }).default('sms'),
  SMS_GATEWAY_URL: z.url({ error: 'expected the https:// address of the SMS gateway' }).optional(),
  SMS_GATEWAY_AUTH_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]+: ?\S.*$/, 'expected a header line such as "Authorization: Basic dG9rZW46eA=="')
    .optional(),
  SMS_GATEWAY_BODY: jsonText('{"Phone":"{{phoneNational}}","Content":"{{text}}","RequestId":"{{requestId}}"}')
    .pipe(z.record(z.string(), z.unknown(), { error: 'expected a JSON object' }))
    .optional(),
  SMS_GATEWAY_SUCCESS_FIELD: z
    .string()
    .regex(/^[A-Za-z0-9_.]+$/, 'expected a field name of the gateway answer, e.g. CodeResult')
    .optional(),
  SMS_GATEWAY_SUCCESS_VALUES: z.string().default('100,124'),
  SMS_OTP_TEXT: z
    .string()
    .refine((text) => text.includes('{{code}}'), 'expected a text containing {{code}}')
    .default(DEFAULT_SMS_OTP_TEXT),
  SMS_RATE_PER_SECOND: count('messages per second', 1000).default(1),
  CERTIFY_FEE_TABLE: jsonText('{"tiers":[{"fromPage":1,"perPage":2000},{"fromPage":3,"perPage":1000}],"maxPerCopy":200000}').pipe(feeTableSchema).optional(),
  UPLOAD_MAX_BYTES: count('bytes', 500 * 1024 * 1024).default(20 * 1024 * 1024),
  S3_ENDPOINT: z.url({ error: 'expected the https:// endpoint of the S3-compatible service' }).optional(),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected a bucket name (3-63 of a-z 0-9 . -)')
    .optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_REGION: z.string().min(1).default('auto'),
};

type CertificationEnv = z.infer<z.ZodObject<typeof certificationEnv>>;

export interface CertificationConfig {
  otp: OtpPolicy & { channel: 'sms' | 'zns' };
  sms: SmsGatewayConfig | undefined;
  /** The SMS text of a code (SMS_OTP_TEXT), for the gateway and the development sender. */
  otpText: string;
  feeTable: FeeTable;
  uploadMaxBytes: number;
  blobs: BlobStoreConfig;
}

const S3_VARIABLES = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;

/** Cross-field rules, called from the schema's superRefine. */
export function checkCertificationEnv(env: CertificationEnv, ctx: z.RefinementCtx): void {
  const setS3 = S3_VARIABLES.filter((name) => env[name] !== undefined);
  if (setS3.length > 0 && setS3.length < S3_VARIABLES.length) {
    for (const name of S3_VARIABLES.filter((n) => env[n] === undefined)) {
      ctx.addIssue({ code: 'custom', path: [name], message: `required with ${setS3.join(', ')} (an S3 bucket needs all four)` });
    }
  }
  if (env.SMS_GATEWAY_URL === undefined && (env.SMS_GATEWAY_BODY || env.SMS_GATEWAY_AUTH_HEADER)) {
    ctx.addIssue({ code: 'custom', path: ['SMS_GATEWAY_URL'], message: 'required when SMS_GATEWAY_BODY or SMS_GATEWAY_AUTH_HEADER is set' });
  }
}

export function certificationConfig(env: CertificationEnv & { DATA_DIR: string }): CertificationConfig {
  const header = env.SMS_GATEWAY_AUTH_HEADER?.match(/^([A-Za-z0-9-]+): ?(.*)$/);
  return {
    otp: {
      digits: DEFAULT_OTP_POLICY.digits,
      ttlSeconds: env.OTP_TTL_SECONDS,
      maxAttempts: env.OTP_MAX_ATTEMPTS,
      perPhone: { quarterHour: env.OTP_PER_PHONE_15MIN, day: env.OTP_PER_PHONE_DAY },
      perPhoneDesk: { quarterHour: env.OTP_PER_PHONE_DESK_15MIN, day: env.OTP_PER_PHONE_DESK_DAY },
      perChat: { quarterHour: env.OTP_PER_CHAT_15MIN, day: env.OTP_PER_CHAT_DAY },
      perAddressDay: env.OTP_PER_ADDRESS_DAY,
      channel: env.OTP_CHANNEL,
    },
    sms: env.SMS_GATEWAY_URL
      ? {
          url: env.SMS_GATEWAY_URL,
          authHeader: header?.[1] && header[2] ? [header[1], header[2]] : undefined,
          body: env.SMS_GATEWAY_BODY ?? { phone: '{{phone}}', text: '{{text}}', requestId: '{{requestId}}' },
          successField: env.SMS_GATEWAY_SUCCESS_FIELD,
          successValues: env.SMS_GATEWAY_SUCCESS_VALUES.split(',')
            .map((v) => v.trim())
            .filter(Boolean),
          ratePerSecond: env.SMS_RATE_PER_SECOND,
        }
      : undefined,
    otpText: env.SMS_OTP_TEXT,
    feeTable: env.CERTIFY_FEE_TABLE ?? NATIONAL_COPY_FEES,
    uploadMaxBytes: env.UPLOAD_MAX_BYTES,
    blobs:
      env.S3_ENDPOINT && env.S3_BUCKET && env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
        ? {
            kind: 's3',
            endpoint: env.S3_ENDPOINT,
            bucket: env.S3_BUCKET,
            region: env.S3_REGION,
            accessKeyId: env.S3_ACCESS_KEY_ID,
            secretAccessKey: env.S3_SECRET_ACCESS_KEY,
          }
        : { kind: 'local', dir: join(env.DATA_DIR, 'blobs') },
  };
}
