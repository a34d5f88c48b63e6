/**
 * Registers this service's webhook with Telegram:
 *   npm run telegram:webhook -- --url https://bot.example.vn [--drop-pending]
 * The URL may be the service's address (the webhook path is added) or the full webhook URL. The
 * secret token and the update types are always sent, because Telegram keeps the previous
 * allowed_updates when they are left out. Prints Telegram's webhook info afterwards.
 */
import { parseArgs } from 'node:util';
import { Api, GrammyError } from 'grammy';
import { loadConfigOrExit } from '../runtime/load-config';

const WEBHOOK_PATH = '/webhooks/telegram';
/** What the assistant reads; everything else Telegram would send is left at Telegram. */
const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

function usage(problem: string): never {
  process.stderr.write(`${problem}\nUsage: npm run telegram:webhook -- --url https://your.domain [--drop-pending]\n`);
  process.exit(2);
}

function webhookUrl(given: string): string {
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    usage(`--url: expected an https:// address (got ${JSON.stringify(given)})`);
  }
  if (url.protocol !== 'https:') usage('--url: Telegram only calls https:// webhooks');
  if (url.pathname === '/' || url.pathname === '') url.pathname = WEBHOOK_PATH;
  return url.toString();
}

async function main() {
  const { values } = parseArgs({ options: { url: { type: 'string' }, 'drop-pending': { type: 'boolean', default: false } }, strict: true });
  const config = loadConfigOrExit();
  if (!config.telegram) usage('Telegram is not configured: set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET.');
  const given = values.url ?? (config.publicUrl.startsWith('https://') ? config.publicUrl : undefined);
  if (!given) usage('--url is required (or set PUBLIC_URL to the https:// address of this service).');
  const url = webhookUrl(given);

  const api = new Api(config.telegram.token, { apiRoot: config.telegram.apiRoot });
  await api.setWebhook(url, {
    secret_token: config.telegram.webhookSecret,
    allowed_updates: [...ALLOWED_UPDATES],
    drop_pending_updates: values['drop-pending'],
  });
  const info = await api.getWebhookInfo();
  process.stdout.write(`Webhook set to ${url}\n${JSON.stringify(info, null, 2)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    const reason = error instanceof GrammyError ? `Telegram refused: ${error.description}` : error instanceof Error ? error.message : String(error);
    process.stderr.write(`Could not set the webhook. ${reason}\n`);
    process.exit(1);
  },
);
