import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createZaloClient, type ZaloClient } from '../../bot/channels/zalo/client';
import { ZaloApiError, ZaloNetworkError, ZaloTokenUnavailableError } from '../../bot/channels/zalo/errors';
import { createTokenManager, type TokenManagerDeps } from '../../bot/channels/zalo/tokens';
import type { DatabaseHandle } from '../../db/open';
import { zaloTokens } from '../../db/schema';
import { silentLogger } from '../../lib/logger';
import { createSealer } from '../../lib/seal';
import { nodePlatform } from '../../runtime/node-platform';
import { type FakeZalo, startFakeZalo } from '../fakes/zalo-server';
import { createFakeClock } from '../support/clock';
import { createTestDatabase } from '../support/database';

const APP = { appId: '3608465248940903967', appSecret: 'zalo-app-secret' };
const clock = createFakeClock();
const sealer = createSealer('test-secret-test-secret-test-secret-1234', 'zalo-token');

let database: DatabaseHandle;
let zalo: FakeZalo;
const clients: ZaloClient[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  zalo = await startFakeZalo({ ...APP, accessToken: 'access-0', refreshToken: 'refresh-0', refreshDelayMs: 50, now: () => clock.now().getTime() });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await zalo.close();
  await database.close();
});
beforeEach(async () => {
  await database.db.delete(zaloTokens);
  zalo.calls.length = 0;
  zalo.state.accessToken = 'access-0';
  zalo.state.refreshToken = 'refresh-0';
  zalo.state.issued = 0;
  zalo.state.accessExpiresAt = clock.now().getTime() + 3_600_000;
});

function client(url = zalo.url) {
  const c = createZaloClient({ apiBase: url, oauthBase: url, znsBase: url, ...APP, logger: silentLogger, backoffMs: 1, pools: nodePlatform.pools });
  clients.push(c);
  return c;
}
/** One "process": its own client and token manager over the shared database. */
function instance(overrides: Partial<TokenManagerDeps> = {}) {
  const zaloClient = client();
  const tokens = createTokenManager({ db: database.db, clock, logger: silentLogger, appId: APP.appId, sealer, refresh: zaloClient.refreshToken, ...overrides });
  const send = (userId: string) => tokens.withToken((token) => zaloClient.sendMessage(token, userId, { text: 'Xin chào' }));
  return { tokens, send };
}

describe('Zalo token refresh', () => {
  it('refreshes an expired token exactly once when many senders in two processes need it at the same moment', async () => {
    const a = instance();
    const b = instance();
    await a.tokens.install('refresh-0', { token: 'access-0', expiresAt: new Date(clock.now().getTime() - 1000) });
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).send(`user-${i}`)));
    expect(results).toHaveLength(24);
    expect(zalo.callsTo('oauth')).toHaveLength(1);
    const used = new Set(zalo.callsTo('cs').map((c) => c.headers.access_token));
    expect([...used]).toEqual(['access-1']);
    // The new single-use refresh token was saved (sealed) before anyone used the new access token.
    const [row] = await database.db.select().from(zaloTokens);
    expect(row && sealer.unseal(row.refreshToken)).toEqual({ ok: true, value: 'refresh-1' });
  });

  it('refreshes once when Zalo refuses a token the database still thinks is good (-220), and every sender retries with the new one', async () => {
    const a = instance();
    const b = instance();
    await a.tokens.install('refresh-0', { token: 'access-0', expiresAt: new Date(clock.now().getTime() + 3_600_000) });
    zalo.expireAccessToken();
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).send(`user-${i}`)));
    expect(zalo.callsTo('oauth')).toHaveLength(1);
    const retried = zalo.callsTo('cs').filter((c) => c.headers.access_token === 'access-1');
    expect(retried).toHaveLength(10);
  });

  it('moves a process that holds an old token onto the one another process stored, without refreshing again', async () => {
    const a = instance();
    const b = instance();
    await a.tokens.install('refresh-0', { token: 'access-0', expiresAt: new Date(clock.now().getTime() + 3_600_000) });
    await a.send('user-1');
    // Process b got a new pair (Zalo invalidated access-0 with it) and stored it.
    zalo.state.accessToken = 'access-9';
    await b.tokens.install('refresh-9', { token: 'access-9', expiresAt: new Date(clock.now().getTime() + 3_600_000) });
    await a.send('user-2');
    expect(zalo.callsTo('cs').map((c) => c.headers.access_token)).toEqual(['access-0', 'access-0', 'access-9']);
    expect(zalo.callsTo('oauth')).toHaveLength(0);
  });

  it('refreshes ahead of expiry, inside the margin', async () => {
    const a = instance();
    await a.tokens.install('refresh-0', { token: 'access-0', expiresAt: new Date(clock.now().getTime() + 5 * 60_000) });
    await a.send('user-1');
    expect(zalo.callsTo('oauth')).toHaveLength(1);
    expect(zalo.callsTo('cs')[0]?.headers.access_token).toBe('access-1');
  });

  it('reports a failed refresh as unhealthy, does not hammer Zalo, and recovers after the pause', async () => {
    const a = instance();
    await a.tokens.install('refresh-0');
    zalo.script('oauth', { error: -14014, message: 'Invalid refresh token' });
    await expect(a.send('user-1')).rejects.toBeInstanceOf(ZaloTokenUnavailableError);
    expect(await a.tokens.healthy()).toBe(false);
    await expect(a.send('user-1')).rejects.toThrow(/refresh failed recently/);
    expect(zalo.callsTo('oauth')).toHaveLength(1);

    clock.advance(2 * 60_000);
    await a.send('user-1');
    expect(zalo.callsTo('oauth')).toHaveLength(2);
    expect(await a.tokens.healthy()).toBe(true);
  });

  it('uses the configured tokens only while the database holds none', async () => {
    const seeded = instance({ seed: { refreshToken: 'refresh-0', accessToken: 'access-0' } });
    await seeded.send('user-1');
    expect(zalo.callsTo('cs')[0]?.headers.access_token).toBe('access-0');
    expect(zalo.callsTo('oauth')).toHaveLength(0);

    const later = instance({ seed: { refreshToken: 'stale-refresh', accessToken: 'stale-access' } });
    await later.send('user-2');
    expect(zalo.callsTo('cs')[1]?.headers.access_token).toBe('access-0');
  });

  it('is unhealthy with no token anywhere, and says how to fix it', async () => {
    const bare = instance();
    expect(await bare.tokens.healthy()).toBe(false);
    await expect(bare.send('user-1')).rejects.toThrow(/npm run zalo:tokens/);
  });
});

describe('Zalo client retries', () => {
  beforeEach(async () => {
    await instance().tokens.install('refresh-0', { token: 'access-0', expiresAt: new Date(clock.now().getTime() + 3_600_000) });
  });

  it('retries a send Zalo refused with a rate-limit answer (-32), which was not delivered', async () => {
    zalo.script('cs', { error: -32, message: 'Rate limit exceeded' }, 2);
    await instance().send('user-1');
    expect(zalo.callsTo('cs')).toHaveLength(3);
  });

  it('gives up with the typed Zalo error after the last attempt', async () => {
    zalo.script('cs', { error: -32, message: 'Rate limit exceeded' }, 3);
    const error = await instance()
      .send('user-1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZaloApiError);
    expect(error).toMatchObject({ code: -32, zaloMessage: 'Rate limit exceeded' });
  });

  it('never repeats a send whose connection dropped after the request went out (it may have been delivered)', async () => {
    zalo.script('cs', 'drop');
    const error = await instance()
      .send('user-1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZaloNetworkError);
    expect(error).toMatchObject({ delivered: 'unknown' });
    expect(zalo.callsTo('cs')).toHaveLength(1);
  });

  it('repeats a read whose connection dropped', async () => {
    zalo.users.set('user-9', { displayName: 'Trần Thị Bình', phone: '84912345678' });
    zalo.script('user', 'drop');
    const profile = await client().getUser('access-0', 'user-9');
    expect(profile).toEqual({ userId: 'user-9', displayName: 'Trần Thị Bình', isFollower: true, sharedPhone: '84912345678' });
    expect(zalo.callsTo('user')).toHaveLength(2);
  });

  it('reports a send whose connection could not be made as not delivered (safe to send again)', async () => {
    const closed = await startFakeZalo({ ...APP, accessToken: 'x', refreshToken: 'y' });
    const url = closed.url;
    await closed.close();
    const error = await client(url)
      .sendMessage('access-0', 'user-1', { text: 'x' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ZaloNetworkError', delivered: 'no', causeCode: 'ECONNREFUSED' });
  });

  it('turns a Zalo error answer into a typed error with its code and message', async () => {
    const error = await client()
      .sendZnsTemplate('access-0', { phone: '0912', templateId: '1', templateData: {}, trackingId: 't1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZaloApiError);
    expect(error).toMatchObject({ code: -108, endpoint: 'zns/template' });
  });
});
