import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { silentLogger } from '../../lib/logger';

/**
 * The HTTP shell every route runs in (api/app.ts), served on a real socket: body limits with and
 * without a declared length, and which answers carry the browser-protection headers.
 */
const LIMIT = 1024 * 1024;
const UPLOAD_LIMIT = 3 * 1024 * 1024;
let handled = 0;
let base: string;
let server: ReturnType<typeof serve>;

const echo = () => {
  const routes = new Hono();
  routes.post('/', async (c) => {
    handled++;
    return c.json({ bytes: (await c.req.text()).length });
  });
  routes.get('/', (c) => c.html('<p>Xin chào</p>'));
  return routes;
};

beforeAll(async () => {
  const app = createApp({
    logger: silentLogger,
    checkDatabase: async () => true,
    groups: [
      { path: '/webhooks/test', routes: echo() },
      { path: '/page', routes: echo() },
      { path: '/upload', routes: echo() },
    ],
    largeBodies: [{ path: /^\/upload/, maxBytes: UPLOAD_LIMIT }],
  });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      base = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A body sent chunked: no Content-Length, so only counting the stream can find its size. */
function chunked(bytes: number): ReadableStream<Uint8Array> {
  let left = bytes;
  return new ReadableStream({
    pull(controller) {
      const size = Math.min(left, 64 * 1024);
      left -= size;
      controller.enqueue(new Uint8Array(size).fill(0x61));
      if (left === 0) controller.close();
    },
  });
}

const post = (path: string, body: string | ReadableStream<Uint8Array>) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body, duplex: 'half' } as RequestInit);

describe('request body limits', () => {
  it.each([
    ['declares its length', (n: number) => 'a'.repeat(n)],
    ['comes chunked', (n: number) => chunked(n)],
  ])('refuse a body over the limit that %s with 413 JSON, without running the route', async (_how, body) => {
    const before = handled;
    const res = await post('/webhooks/test', body(LIMIT + 1));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'body_too_large', message: `The request body is larger than ${LIMIT} bytes.` } });
    expect(handled).toBe(before);
  });

  it.each([
    ['declares its length', (n: number) => 'a'.repeat(n)],
    ['comes chunked', (n: number) => chunked(n)],
  ])('let a body at the limit that %s through, read whole', async (_how, body) => {
    const res = await post('/webhooks/test', body(LIMIT));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ bytes: LIMIT });
  });

  it('give routes that take files their own larger limit', async () => {
    expect((await post('/upload', 'a'.repeat(UPLOAD_LIMIT))).status).toBe(200);
    expect((await post('/upload', 'a'.repeat(UPLOAD_LIMIT + 1))).status).toBe(413);
    expect((await post('/page', 'a'.repeat(LIMIT + 1))).status).toBe(413);
  });
});

describe('browser-protection headers', () => {
  it('are on pages and API answers', async () => {
    for (const res of [await fetch(`${base}/page`), await fetch(`${base}/healthz`), await post('/page', 'x')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
    }
  });

  it("are left off webhook answers (Telegram's and Zalo's servers are not browsers), which keep their request id", async () => {
    const res = await post('/webhooks/test', '{}');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBeNull();
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
