import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookHarness } from './webhooks/harness';
import { telegramHarness } from './webhooks/telegram';
import { zaloHarness } from './webhooks/zalo';

/**
 * Webhook hygiene, the same for every channel (STYLE #4, #12). Add a channel by writing its
 * harness in ./webhooks and listing it here.
 */
const channels: [string, () => Promise<WebhookHarness>][] = [
  ['telegram', telegramHarness],
  ['zalo', zaloHarness],
];

let nextUser = 71_000_000;
let nextEvent = 500_000_000;

describe.each(channels)('%s webhook security', (_name, start) => {
  let h: WebhookHarness;
  beforeAll(async () => {
    h = await start();
  });
  afterAll(async () => h.close());

  it.each(['wrong', 'missing'] as const)('refuses a %s secret with 401 JSON and processes nothing', async (auth) => {
    const user = ++nextUser;
    const callsBefore = h.platformCalls();
    const processedBefore = await h.processedEvents();
    const res = await h.send(h.textEvent(++nextEvent, user, 'help'), auth);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect(h.platformCalls()).toBe(callsBefore);
    expect(await h.processedEvents()).toBe(processedBefore);
    expect(h.delivered(user)).toEqual([]);
  });

  it('handles the same event delivered twice once', async () => {
    const user = ++nextUser;
    const body = h.textEvent(++nextEvent, user, 'help');
    const processedBefore = await h.processedEvents();
    const first = await h.send(body, 'valid');
    const again = await h.send(body, 'valid');
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(h.delivered(user)).toHaveLength(1);
    expect(await h.processedEvents()).toBe(processedBefore + 1);
  });

  it('answers a malformed body with 400 JSON and processes nothing', async () => {
    const processedBefore = await h.processedEvents();
    const callsBefore = h.platformCalls();
    for (const body of h.malformedBodies) {
      const res = await h.send(body, 'valid');
      expect(res.status, body).toBe(400);
      expect(res.headers.get('content-type'), body).toMatch(/application\/json/);
      const json: unknown = await res.json();
      expect(json, body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    }
    expect(await h.processedEvents()).toBe(processedBefore);
    expect(h.platformCalls()).toBe(callsBefore);
  });

  it('apologises after a handler error and keeps serving the next event', async () => {
    const user = ++nextUser;
    h.breakNextHandling();
    const failed = await h.send(h.textEvent(++nextEvent, user, 'help'), 'valid');
    expect(failed.status).toBe(200);
    expect(h.delivered(user)).toEqual([h.apology]);

    const next = await h.send(h.textEvent(++nextEvent, user, 'help'), 'valid');
    expect(next.status).toBe(200);
    const delivered = h.delivered(user);
    expect(delivered).toHaveLength(2);
    expect(delivered[1]).not.toBe(h.apology);
  });
});
