import { z } from 'zod';
import { fail, ok, type Result } from '../lib/result';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' }).transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number({ error: 'expected a port number' }).int('expected a whole number').min(1, 'expected 1-65535').max(65535, 'expected 1-65535');
const positiveInt = (what: string) =>
  z.coerce
    .number({ error: `expected ${what}` })
    .int(`expected ${what}`)
    .positive(`expected ${what}`);
const url = (what: string) => z.url({ error: `expected ${what}` });

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
    DATABASE_POOL_SIZE: positiveInt('a positive whole number').default(10),
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
    TELEGRAM_RATE_PER_SECOND: positiveInt('messages per second').default(30),
  })
  .superRefine((env, ctx) => {
    if (env.TELEGRAM_BOT_TOKEN && !env.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_SECRET'], message: 'required when TELEGRAM_BOT_TOKEN is set' });
    }
    if (env.NODE_ENV === 'production' && !env.APP_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['APP_SECRET'], message: 'required in production (at least 32 characters of random text)' });
    }
  });

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  publicUrl: string;
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** Undefined outside production until the runtime supplies a generated one. */
  appSecret: string | undefined;
  telegram: { token: string; webhookSecret: string; apiRoot: string; username: string | undefined } | undefined;
  delivery: { enabled: boolean; intervalMs: number; batchSize: number; leaseSeconds: number; telegramPerSecond: number };
}

/**
 * Parses the environment into a typed Config. On failure, one line per bad variable:
 * `PORT: expected a port number (got "abc")`.
 */
export function parseConfig(source: Record<string, string | undefined>): Result<Config> {
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
  return ok({
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    logLevel: env.LOG_LEVEL,
    dataDir: env.DATA_DIR,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
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
    delivery: {
      enabled: env.DELIVERY_ENABLED,
      intervalMs: env.DELIVERY_INTERVAL_MS,
      batchSize: env.DELIVERY_BATCH_SIZE,
      leaseSeconds: env.DELIVERY_LEASE_SECONDS,
      telegramPerSecond: env.TELEGRAM_RATE_PER_SECOND,
    },
  });
}
