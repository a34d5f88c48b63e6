import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { silentLogger } from '../../lib/logger';

/**
 * Issue 14, finding 9: during a network partition the database check never answered and probes
 * waited 10 s and more. /healthz must say "down" within a second whatever its checks do.
 */
const never = () => new Promise<boolean>(() => {});

describe('/healthz', () => {
  it('answers 503 "down" within a second when the database does not answer at all', async () => {
    const app = createApp({ logger: silentLogger, checkDatabase: never, groups: [] });
    const started = performance.now();
    const res = await app.request('/healthz');
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'down', database: 'down' });
  });

  it('counts a check that does not answer as degraded, within the same second', async () => {
    const app = createApp({ logger: silentLogger, checkDatabase: async () => true, groups: [], checks: { zalo: never, other: () => true } });
    const started = performance.now();
    const res = await app.request('/healthz');
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'degraded', database: 'ok', checks: { zalo: 'degraded', other: 'ok' } });
  });
});
