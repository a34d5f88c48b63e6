/**
 * The baseline of the webhook benchmark: a bare grammY bot behind Hono that echoes text, with
 * the same webhook secret check grammY does. No database, no dialog.
 *   node --import tsx bench/echo-bot.ts --port 9000 --api-root http://127.0.0.1:9001 --secret s3cret
 */
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { Bot, webhookCallback } from 'grammy';
import { Hono } from 'hono';

const { values } = parseArgs({ options: { port: { type: 'string' }, 'api-root': { type: 'string' }, secret: { type: 'string' }, token: { type: 'string' } } });
const port = Number(values.port);
if (!values['api-root'] || !values.secret || !values.token || !Number.isInteger(port)) {
  process.stderr.write('usage: echo-bot.ts --port N --api-root URL --secret S --token T\n');
  process.exit(2);
}

const bot = new Bot(values.token, { client: { apiRoot: values['api-root'] } });
bot.on('message:text', (ctx) => ctx.reply(ctx.message.text));

const app = new Hono();
app.get('/healthz', (c) => c.json({ status: 'ok' }));
app.post('/webhooks/telegram', webhookCallback(bot, 'hono', { secretToken: values.secret }));
const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
process.on('SIGTERM', () => server.close(() => process.exit(0)));
