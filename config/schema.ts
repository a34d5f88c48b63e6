import { z } from 'zod';
import { fail, ok, type Result } from '../lib/result';
import type { ZaloConfig } from '../vocabulary/settings';
import { type CertificationConfig, certificationConfig, certificationEnv, checkCertificationEnv } from './certification';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' }).transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number({ error: 'expected a port number' }).int('expected a whole number').min(1, 'expected 1-65535').max(65535, 'expected 1-65535');
const positiveInt = (what: string) =>
  z.coerce
    .number({ error: `expected ${what}` })
    .int(`expected ${what}`)
    .positive(`expected ${what}`);
const url = (what: string) => z.url({ error: `expected ${what}` });

/**
 * ZALO_ZNS_TEMPLATES: approved ZNS template ids per notification kind, as JSON, e.g.
 * {"otp":"248179","status_change":{"id":"248180","params":{"ma_ho_so":"code"}}}; the object form
 * maps the template's parameter names to ours.
 */
const znsTemplates = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'expected JSON such as {"otp":"248179"}' });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(
      z.string(),
      z.union(
        [
          z
            .string()
            .regex(/^\d+$/, 'expected a numeric template id')
            .transform((id) => ({ id })),
          z.object({ id: z.string().regex(/^\d+$/, 'expected a numeric template id'), params: z.record(z.string(), z.string()).optional() }),
        ],
        { error: 'expected a template id or {"id":"…","params":{…}}' },
      ),
    ),
  )
  .refine((templates) => Object.keys(templates).every((kind) => /^[a-z][a-z0-9_]*$/.test(kind)), {
    error: 'expected notification kinds such as otp or status_change as keys',
  });

/**
 * Every environment variable the service reads. The README's configuration table lists the same
 * variables; keep them together.
 */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production'], { error: 'expected development, test or production' }).default('development'),
    PORT: port.default(8787),
    HOST: z.string().min(1, 'expected a host name or address').default('127.0.0.1'),
    PUBLIC_URL: url('the public https:// address of this service').optional(),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], { error: 'expected debug, info, warn or error' }).default('info'),
    DATA_DIR: z.string().min(1, 'expected a folder path').default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// connection URL')
      .optional(),
    // Unset: two per CPU core, at least 4 (db/open.ts defaultPoolSize).
    DATABASE_POOL_SIZE: positiveInt('a positive whole number').optional(),
    // Node waits minutes for a slow client by default; a public service cuts it sooner.
    HTTP_HEADERS_TIMEOUT_MS: positiveInt('milliseconds as a positive whole number').default(15_000),
    HTTP_REQUEST_TIMEOUT_MS: positiveInt('milliseconds as a positive whole number').default(120_000),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt('milliseconds as a positive whole number').default(10_000),
    APP_SECRET: z.string().min(32, 'expected at least 32 characters of random text').optional(),
    TELEGRAM_BOT_TOKEN: z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'expected a bot token from @BotFather, like 123456:ABC...')
      .optional(),
    TELEGRAM_WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'expected 16-256 characters of A-Z a-z 0-9 _ -')
      .optional(),
    TELEGRAM_API_ROOT: url('the Bot API address, e.g. https://api.telegram.org').default('https://api.telegram.org'),
    TELEGRAM_BOT_USERNAME: z
      .string()
      .regex(/^[A-Za-z0-9_]{5,32}$/, 'expected the bot username without @')
      .optional(),
    DELIVERY_ENABLED: bool.default(true),
    DELIVERY_INTERVAL_MS: positiveInt('milliseconds as a positive whole number').default(500),
    DELIVERY_BATCH_SIZE: positiveInt('a positive whole number').default(100),
    DELIVERY_LEASE_SECONDS: positiveInt('seconds as a positive whole number').default(60),
    DELIVERY_CONCURRENCY: positiveInt('a positive whole number').default(64),
    TELEGRAM_RATE_PER_SECOND: positiveInt('messages per second').default(30),
    OTP_DEV_SENDER: bool.optional(),
    ...certificationEnv,
    ZALO_APP_ID: z
      .string()
      .regex(/^\d{5,30}$/, 'expected the numeric app id from developers.zalo.me')
      .optional(),
    ZALO_APP_SECRET: z.string().min(8, 'expected the app secret key from the Zalo developer console').optional(),
    ZALO_OA_SECRET_KEY: z.string().min(8, "expected the OA secret key from the Zalo app's webhook settings").optional(),
    ZALO_API_BASE: url('the Zalo OA API address, e.g. https://openapi.zalo.me').default('https://openapi.zalo.me'),
    ZALO_OAUTH_BASE: url('the Zalo OAuth address, e.g. https://oauth.zaloapp.com').default('https://oauth.zaloapp.com'),
    ZALO_ZNS_BASE: url('the ZNS address, e.g. https://business.openapi.zalo.me').default('https://business.openapi.zalo.me'),
    ZALO_ACCESS_TOKEN: z.string().min(8, 'expected an OA access token').optional(),
    ZALO_REFRESH_TOKEN: z.string().min(8, 'expected an OA refresh token').optional(),
    ZALO_ZNS_TEMPLATES: znsTemplates.default({}),
    ZALO_ZNS_DEVELOPMENT: bool.default(false),
    ZALO_CS_WINDOW_HOURS: positiveInt('hours as a positive whole number').max(168, "expected at most 168 (Zalo's 7-day limit)").default(48),
    ZALO_WEBHOOK_MAX_AGE_SECONDS: positiveInt('seconds as a positive whole number').default(7200),
    ZALO_REQUEST_INFO_IMAGE_URL: url('an https:// image address for the phone request card').optional(),
  })
  .superRefine((env, ctx) => {
    checkCertificationEnv(env, ctx);
    const zaloKeys = ['ZALO_APP_ID', 'ZALO_APP_SECRET', 'ZALO_OA_SECRET_KEY'] as const;
    if (zaloKeys.some((k) => env[k] !== undefined)) {
      for (const key of zaloKeys) {
        if (env[key] === undefined) ctx.addIssue({ code: 'custom', path: [key], message: `required with ${zaloKeys.filter((k) => k !== key).join(' and ')}` });
      }
    }
    if (env.ZALO_ACCESS_TOKEN && !env.ZALO_REFRESH_TOKEN) {
      ctx.addIssue({
        code: 'custom',
        path: ['ZALO_REFRESH_TOKEN'],
        message: 'required with ZALO_ACCESS_TOKEN (an access token alone expires within 25 hours)',
      });
    }
    if (env.TELEGRAM_BOT_TOKEN && !env.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_SECRET'], message: 'required when TELEGRAM_BOT_TOKEN is set' });
    }
    if (env.OTP_DEV_SENDER && env.NODE_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['OTP_DEV_SENDER'], message: 'refused in production: it shows one-time codes instead of sending them' });
    } else if (env.OTP_DEV_SENDER && env.PUBLIC_URL && !isLocalUrl(env.PUBLIC_URL)) {
      ctx.addIssue({
        code: 'custom',
        path: ['OTP_DEV_SENDER'],
        message: 'refused while PUBLIC_URL is not a local address: anyone on the web chat would see the codes and learn which phones are registered',
      });
    }
    if (env.NODE_ENV === 'production' && !env.APP_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['APP_SECRET'], message: 'required in production (at least 32 characters of random text)' });
    }
  });

export type Env = z.infer<typeof envSchema>;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);
/** Whether an address names this machine only (localhost, 127.x, ::1). */
const isLocalHost = (host: string) => LOCAL_HOSTS.has(host) || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host);
const isLocalUrl = (url: string) => isLocalHost(new URL(url).hostname);

/**
 * Whether the development OTP sender is on: as OTP_DEV_SENDER says, or, when it is not set, only
 * for the zero-configuration local start (not production, no PUBLIC_URL, listening on this
 * machine only), so `npm start` can try certification with no SMS contract. Any deployment
 * (a PUBLIC_URL, or a HOST open to the network) has it off unless it is asked for.
 */
const devOtpSenderOn = (env: Env): boolean => env.OTP_DEV_SENDER ?? (env.NODE_ENV !== 'production' && env.PUBLIC_URL === undefined && isLocalHost(env.HOST));

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  publicUrl: string;
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  databaseUrl: string | undefined;
  /** Unset: db/open.ts chooses by the number of CPU cores. */
  databasePoolSize: number | undefined;
  /** The Node server's client timeouts (runtime/http-server.ts). */
  http: { headersTimeoutMs: number; requestTimeoutMs: number; keepAliveTimeoutMs: number };
  /** Undefined outside production until the runtime supplies a generated one. */
  appSecret: string | undefined;
  telegram: { token: string; webhookSecret: string; apiRoot: string; username: string | undefined } | undefined;
  delivery: { enabled: boolean; intervalMs: number; batchSize: number; leaseSeconds: number; concurrency: number; telegramPerSecond: number };
  zalo: ZaloConfig | undefined;
  /** OTP limits and senders, the copy fee table, scanned files (config/certification.ts). */
  certification: CertificationConfig;
  /** Show one-time codes in the log and the asking web chat instead of sending them (OTP_DEV_SENDER; local only). */
  devOtpSender: boolean;
}

/** Where the service runs: a Node process, or Cloudflare Workers (runtime/worker.ts). */
export type Runtime = 'node' | 'workers';

/**
 * What Workers cannot do, said as configuration errors rather than found at the first upload:
 * they have no filesystem (scans need a bucket) and nowhere to keep a generated secret.
 */
const WORKERS_RULES: { variable: string; broken: (env: Env) => boolean; message: string }[] = [
  {
    variable: 'S3_ENDPOINT',
    broken: (env) => env.S3_ENDPOINT === undefined,
    message:
      'required on Workers, which have no filesystem for scanned documents: set S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (an R2 bucket through its S3 API works)',
  },
  {
    variable: 'APP_SECRET',
    broken: (env) => env.APP_SECRET === undefined,
    message: 'required on Workers (at least 32 characters of random text; wrangler secret put APP_SECRET)',
  },
];

/**
 * Parses the environment into a typed Config. On failure, one line per bad variable:
 * `PORT: expected a port number (got "abc")`.
 */
export function parseConfig(source: Record<string, string | undefined>, runtime: Runtime = 'node'): Result<Config> {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const got = cleaned[name];
      const shown = got === undefined ? 'not set' : /SECRET|TOKEN|PASSWORD|DATABASE_URL/.test(name) ? 'got a value' : `got ${JSON.stringify(got)}`;
      return `${name}: ${issue.message} (${shown})`;
    });
    return fail('invalid_config', lines.join('\n'));
  }
  const env = parsed.data;
  if (runtime === 'workers') {
    const broken = WORKERS_RULES.filter((rule) => rule.broken(env));
    if (broken.length > 0) return fail('invalid_config', broken.map((rule) => `${rule.variable}: ${rule.message} (not set)`).join('\n'));
  }
  return ok({
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    logLevel: env.LOG_LEVEL,
    dataDir: env.DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    http: { headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS, keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS },
    appSecret: env.APP_SECRET,
    telegram:
      env.TELEGRAM_BOT_TOKEN && env.TELEGRAM_WEBHOOK_SECRET
        ? {
            token: env.TELEGRAM_BOT_TOKEN,
            webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
            apiRoot: env.TELEGRAM_API_ROOT.replace(/\/$/, ''),
            username: env.TELEGRAM_BOT_USERNAME,
          }
        : undefined,
    zalo:
      env.ZALO_APP_ID && env.ZALO_APP_SECRET && env.ZALO_OA_SECRET_KEY
        ? {
            appId: env.ZALO_APP_ID,
            appSecret: env.ZALO_APP_SECRET,
            oaSecretKey: env.ZALO_OA_SECRET_KEY,
            apiBase: env.ZALO_API_BASE,
            oauthBase: env.ZALO_OAUTH_BASE,
            znsBase: env.ZALO_ZNS_BASE,
            seed: env.ZALO_REFRESH_TOKEN
              ? { refreshToken: env.ZALO_REFRESH_TOKEN, ...(env.ZALO_ACCESS_TOKEN ? { accessToken: env.ZALO_ACCESS_TOKEN } : {}) }
              : undefined,
            znsTemplates: env.ZALO_ZNS_TEMPLATES,
            znsDevelopment: env.ZALO_ZNS_DEVELOPMENT,
            csWindowHours: env.ZALO_CS_WINDOW_HOURS,
            webhookMaxAgeSeconds: env.ZALO_WEBHOOK_MAX_AGE_SECONDS,
            requestInfoImageUrl: env.ZALO_REQUEST_INFO_IMAGE_URL,
          }
        : undefined,
    delivery: {
      enabled: env.DELIVERY_ENABLED,
      intervalMs: env.DELIVERY_INTERVAL_MS,
      batchSize: env.DELIVERY_BATCH_SIZE,
      leaseSeconds: env.DELIVERY_LEASE_SECONDS,
      concurrency: env.DELIVERY_CONCURRENCY,
      telegramPerSecond: env.TELEGRAM_RATE_PER_SECOND,
    },
    certification: certificationConfig(env),
    devOtpSender: devOtpSenderOn(env),
  });
}
