import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { count, eq, sql } from 'drizzle-orm';
import { createTranslator } from '../../../bot/locales';
import { processedUpdates } from '../../../db/schema';
import { zaloSignedHeaders } from '../../fakes/zalo-server';
import { startZaloApp } from '../../support/zalo-app';
import type { WebhookHarness } from './harness';

const KEYS = { appId: '3608465248940903967', oaSecretKey: 'harness-oa-secret-key' };
const APP_SECRET = 'harness-zalo-app-secret';

/** Reads the body's timestamp the way the webhook does, to sign it; malformed bodies get none. */
function timestampOf(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'timestamp' in parsed) return String(parsed.timestamp);
  } catch {}
  return '';
}

/**
 * The Zalo webhook over the served app and the fake Zalo API. A send runs the delivery loop
 * until it is idle, since Zalo replies go through the outbox. A "handler error" is a database
 * failure injected for exactly one event (a trigger on processed_updates), inside the dialog.
 */
export async function zaloHarness(): Promise<WebhookHarness> {
  const { zalo: fake, assistant } = await startZaloApp({ ...KEYS, appSecret: APP_SECRET });
  const db = assistant.database.db;
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>((resolve) => {
    const server = serve({ fetch: assistant.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ server, port: info.port }));
  });
  const url = `http://127.0.0.1:${port}/webhooks/zalo`;
  let breakNext = false;

  async function injectFailure(on: boolean) {
    if (on) {
      await db.execute(sql`create or replace function harness_fail() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`);
      await db.execute(sql`create trigger harness_fail before insert on processed_updates for each row execute function harness_fail()`);
    } else {
      await db.execute(sql`drop trigger if exists harness_fail on processed_updates`);
    }
  }

  return {
    channel: 'zalo',
    textEvent: (eventId, user, text) =>
      JSON.stringify({
        app_id: KEYS.appId,
        event_name: 'user_send_text',
        sender: { id: String(user) },
        recipient: { id: '388613280879808645' },
        message: { msg_id: `m${eventId}`, text },
        timestamp: String(assistant.clock.now().getTime()),
      }),
    malformedBodies: [
      '{"event_name": "user_send_text", ',
      '[]',
      '"text"',
      '{"event_name": "user_send_text"}',
      '{"timestamp": "1763859600000"}',
      '{"event_name": "", "timestamp": "x"}',
    ],
    async send(body, auth) {
      const key = auth === 'wrong' ? 'someone-elses-oa-secret' : KEYS.oaSecretKey;
      const headers = auth === 'missing' ? { 'content-type': 'application/json' } : zaloSignedHeaders(body, timestampOf(body), { ...KEYS, oaSecretKey: key });
      const failing = breakNext;
      breakNext = false;
      if (failing) await injectFailure(true);
      try {
        const res = await fetch(url, { method: 'POST', headers, body });
        await res.clone().arrayBuffer();
        return res;
      } finally {
        if (failing) await injectFailure(false);
        while ((await assistant.delivery.runOnce()) > 0) {}
      }
    },
    delivered: (user) => fake.messagesTo(String(user)).flatMap((m) => (m.text === undefined ? [] : [m.text])),
    platformCalls: () => fake.calls.length,
    async processedEvents() {
      const [row] = await db.select({ n: count() }).from(processedUpdates).where(eq(processedUpdates.channel, 'zalo'));
      return row?.n ?? 0;
    },
    breakNextHandling() {
      breakNext = true;
    },
    apology: createTranslator()('vi')('common.apology'),
    async close() {
      await new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      });
      await assistant.close();
      await fake.close();
    },
  };
}
