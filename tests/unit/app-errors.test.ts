import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { silentLogger } from '../../lib/logger';

/** What a route's unexpected failure turns into at the HTTP edge (api/app.ts). */
function appFailingWith(error: Error) {
  const routes = new Hono();
  routes.get('/', () => {
    throw error;
  });
  return createApp({ logger: silentLogger, checkDatabase: async () => true, groups: [{ path: '/thing', routes }] });
}

describe('errors at the HTTP edge', () => {
  it('answers 503 with Retry-After when the database is away (a connection error), not 500', async () => {
    const res = await appFailingWith(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })).request('/thing');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toMatchObject({ error: { code: 'unavailable' } });
  });

  it('answers 500 for a bug', async () => {
    const res = await appFailingWith(new TypeError('x is undefined')).request('/thing');
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: { code: 'internal' } });
  });
});
