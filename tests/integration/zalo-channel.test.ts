import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { channelPacing, citizens, identities, otpChallenges, outbox, zaloTokens } from '../../db/schema';
import { otpSealer } from '../../domain/certification/otp';
import { createDeliveryLoop } from '../../domain/messaging/delivery-loop';
import { enqueue, PRIORITY } from '../../domain/messaging/outbox';
import { linkVerifiedPhone } from '../../domain/people/citizens';
import { realTimer } from '../../lib/clock';
import { silentLogger } from '../../lib/logger';
import { type FakeZalo, signedZaloEvent } from '../fakes/zalo-server';
import type { TestAssistant } from '../support/assistant';
import { latestCode, seedCitizen, seedOffice, TEST_SECRET, uniquePhone } from '../support/certification';
import { startZaloApp } from '../support/zalo-app';

const KEYS = { appId: '3608465248940903967', oaSecretKey: 'oa-secret-key-for-tests' };
const APP_SECRET = 'zalo-app-secret';

let zalo: FakeZalo;
let assistant: TestAssistant;
let seq = 0;

/** A fake Zalo and the assistant as its OA, with a fresh token issued "now" by the test clock. */
async function openApp(): Promise<void> {
  ({ zalo, assistant } = await startZaloApp(
    { ...KEYS, appSecret: APP_SECRET },
    { ZALO_ZNS_TEMPLATES: JSON.stringify({ otp: '1001', status_change: { id: '1002', params: { ma_ho_so: 'code', trang_thai: 'status' } } }) },
  ));
  zalo.state.accessExpiresAt = assistant.clock.now().getTime() + 25 * 3_600_000;
}

beforeAll(openApp);
afterAll(async () => {
  await assistant.close();
  await zalo.close();
});
beforeEach(() => {
  zalo.calls.length = 0;
});

const db = () => assistant.database.db;
const nowMs = () => String(assistant.clock.now().getTime());
const nextUser = () => `24684588352919${String(++seq).padStart(4, '0')}`;

function post(body: string, headers: Record<string, string>) {
  return assistant.app.request('/webhooks/zalo', { method: 'POST', body, headers });
}
function sendEvent(event: { timestamp?: string } & Record<string, unknown>) {
  const { body, headers } = signedZaloEvent({ timestamp: nowMs(), ...event }, KEYS);
  return post(body, headers);
}
const textEvent = (userId: string, text: string, msgId = `msg-${userId}-${++seq}`) => ({
  event_name: 'user_send_text',
  sender: { id: userId },
  recipient: { id: '388613280879808645' },
  message: { msg_id: msgId, text },
});

async function identityOf(userId: string) {
  const [row] = await db().select().from(identities).where(eq(identities.externalId, userId));
  return row;
}
async function outboxOf(identityId: number) {
  return db().select().from(outbox).where(eq(outbox.identityId, identityId));
}
/** Runs the delivery loop until nothing is due. */
async function deliver() {
  while ((await assistant.delivery.runOnce()) > 0) {}
}
const csTo = (userId: string) => zalo.messagesTo(userId);

describe('Zalo webhook', () => {
  it('answers a follow with the welcome menu, sent as a customer-service message with query buttons', async () => {
    const user = nextUser();
    const res = await sendEvent({ event_name: 'follow', oa_id: '388613280879808645', follower: { id: user }, source: 'oa_profile' });
    expect(res.status).toBe(200);
    await deliver();
    const [first] = csTo(user);
    expect(first?.text).toContain('Xin chào');
    expect(first?.buttons[0]).toMatchObject({ type: 'oa.query.hide', payload: '#ask' });
    expect(zalo.callsTo('cs')[0]?.headers.access_token).toBe('access-1');
  });

  it('maps a pressed button (hidden query payload) to its action', async () => {
    const user = nextUser();
    expect((await sendEvent(textEvent(user, '#settings:lang:en'))).status).toBe(200);
    await deliver();
    expect(csTo(user)[0]?.text).toBe('Switched to English.');
  });

  it('asks politely for text when the citizen sends a photo', async () => {
    const user = nextUser();
    await sendEvent({
      event_name: 'user_send_image',
      sender: { id: user },
      message: { msg_id: `img-${user}`, attachments: [{ type: 'image', payload: { url: 'https://x/y.jpg' } }] },
    });
    await deliver();
    expect(csTo(user)[0]?.text).toContain('Anh/Chị vui lòng gõ');
  });

  it('refuses a bad signature with 401 and processes nothing', async () => {
    const user = nextUser();
    const { body, headers } = signedZaloEvent({ timestamp: nowMs(), ...textEvent(user, 'menu') }, { ...KEYS, oaSecretKey: 'someone-elses-key' });
    const res = await post(body, headers);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const missing = await post(body, { 'content-type': 'application/json' });
    expect(missing.status).toBe(401);
    expect(await identityOf(user)).toBeUndefined();
  });

  it('refuses a body altered after signing (the signature covers the exact raw bytes)', async () => {
    const user = nextUser();
    const { body, headers } = signedZaloEvent({ timestamp: nowMs(), ...textEvent(user, 'menu') }, KEYS);
    const res = await post(body.replace('"menu"', '"help"'), headers);
    expect(res.status).toBe(401);
    expect(await identityOf(user)).toBeUndefined();
  });

  it('accepts the signature without the mac= prefix and in upper case', async () => {
    const user = nextUser();
    const { body, headers } = signedZaloEvent({ timestamp: nowMs(), ...textEvent(user, 'menu') }, KEYS);
    const res = await post(body, { ...headers, 'X-ZEvent-Signature': headers['X-ZEvent-Signature'].slice(4).toUpperCase() });
    expect(res.status).toBe(200);
    expect(await identityOf(user)).toBeDefined();
  });

  it('handles a replayed event once', async () => {
    const user = nextUser();
    const { body, headers } = signedZaloEvent({ timestamp: nowMs(), ...textEvent(user, 'menu', `dup-${user}`) }, KEYS);
    expect((await post(body, headers)).status).toBe(200);
    const again = await post(body, headers);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    const identity = await identityOf(user);
    expect(await outboxOf(identity?.id ?? 0)).toHaveLength(1);
  });

  it('handles a re-sent follow (no message id) once, keyed by event, user and timestamp', async () => {
    const user = nextUser();
    const event = { event_name: 'follow', follower: { id: user }, timestamp: nowMs() };
    await sendEvent(event);
    await sendEvent(event);
    expect(await outboxOf((await identityOf(user))?.id ?? 0)).toHaveLength(1);
  });

  it.each([
    ['too old', -3 * 3_600_000],
    ['in the future', 30 * 60_000],
  ])('refuses an event whose timestamp is %s with 401', async (_name, offset) => {
    const user = nextUser();
    const res = await sendEvent({ ...textEvent(user, 'menu'), timestamp: String(assistant.clock.now().getTime() + offset) });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'stale_event' } });
    expect(await identityOf(user)).toBeUndefined();
  });

  it('accepts Zalo re-sending an event an hour later (its retry schedule keeps the original timestamp)', async () => {
    const user = nextUser();
    const res = await sendEvent({ ...textEvent(user, 'menu'), timestamp: String(assistant.clock.now().getTime() - 3_600_000) });
    expect(res.status).toBe(200);
  });

  it.each([
    ['not JSON', '{oops', 'invalid_json'],
    ['no timestamp', JSON.stringify({ event_name: 'user_send_text' }), 'invalid_event'],
    ['no event name', JSON.stringify({ timestamp: '1732240000000' }), 'invalid_event'],
  ])('answers a body that is %s with 400', async (_name, body, code) => {
    const res = await post(body, { 'content-type': 'application/json', 'X-ZEvent-Signature': 'mac=00' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code } });
  });

  it('acknowledges an unknown or unreadable event with 200 and does nothing', async () => {
    const user = nextUser();
    expect((await sendEvent({ event_name: 'user_reacted_message', sender: { id: user }, message: { msg_id: 'r1', react_icon: ':>' } })).status).toBe(200);
    expect((await sendEvent({ event_name: 'user_send_text', sender: { id: 123 }, message: { msg_id: 'n1', text: 'numeric id' } })).status).toBe(200);
    expect(await identityOf(user)).toBeUndefined();
  });

  it('marks the chat blocked on unfollow, so proactive notices stop', async () => {
    const user = nextUser();
    await sendEvent(textEvent(user, 'menu'));
    await deliver();
    expect((await sendEvent({ event_name: 'unfollow', follower: { id: user } })).status).toBe(200);
    const identity = await identityOf(user);
    expect(identity?.blockedAt).toBeInstanceOf(Date);
    await enqueue(
      db(),
      [{ identityId: identity?.id ?? 0, channel: 'zalo', kind: 'status_change', replies: [{ text: 'Hồ sơ đã có kết quả.' }] }],
      assistant.clock.now(),
    );
    zalo.calls.length = 0;
    await deliver();
    expect(csTo(user)).toHaveLength(0);
  });

  it("treats the phone Zalo's form hands over as a claim: another citizen's number links nothing until its code is typed", async () => {
    const phone = uniquePhone();
    await seedCitizen(db(), { phone: phone.e164, officeId: await seedOffice(db()), documents: [{ title: 'Giấy khai sinh', pages: 2 }] });
    const user = nextUser();
    await sendEvent(textEvent(user, 'chung thuc'));
    const res = await sendEvent({
      event_name: 'user_submit_info',
      sender: { id: user },
      recipient: { id: '388613280879808645' },
      info: { name: 'Kẻ lạ', phone: phone.e164.replace('+', '') },
    });
    expect(res.status).toBe(200);
    // Not linked: the stranger sees neither the citizen's papers nor their dossiers.
    expect((await identityOf(user))?.citizenId).toBeNull();
    const [challenge] = await db().select().from(otpChallenges).where(eq(otpChallenges.phone, phone.e164));
    expect(challenge?.identityId).toBe((await identityOf(user))?.id);

    // Only the code sent to that phone proves it.
    await sendEvent(textEvent(user, String(await latestCode(db(), TEST_SECRET, phone.e164))));
    const [citizen] = await db().select().from(citizens).where(eq(citizens.phone, phone.e164));
    expect((await identityOf(user))?.citizenId).toBe(citizen?.id);
  });
});

describe('Zalo delivery rules', () => {
  async function chatWithPhone(lastSeenHoursAgo: number, phone?: string) {
    const user = nextUser();
    await sendEvent(textEvent(user, 'menu'));
    await deliver();
    const identity = await identityOf(user);
    const id = identity?.id ?? 0;
    if (phone) await linkVerifiedPhone(db(), id, phone, assistant.clock.now());
    await db()
      .update(identities)
      .set({ lastSeenAt: new Date(assistant.clock.now().getTime() - lastSeenHoursAgo * 3_600_000) })
      .where(eq(identities.id, id));
    zalo.calls.length = 0;
    return { user, id };
  }
  const notice = (identityId: number, kind: string, template?: { kind: string; params: Record<string, string> }) =>
    enqueue(
      db(),
      [{ identityId, channel: 'zalo', kind, replies: [{ text: 'Hồ sơ 000.00.24.H29-241122-0001 đã có kết quả.' }], ...(template ? { template } : {}) }],
      assistant.clock.now(),
    );

  it('sends a notice inside the window as a customer-service message', async () => {
    const { user, id } = await chatWithPhone(5, '+84911111111');
    await notice(id, 'status_change', { kind: 'status_change', params: { code: 'H29-0001', status: 'ready' } });
    await deliver();
    expect(csTo(user)).toHaveLength(1);
    expect(zalo.callsTo('zns')).toHaveLength(0);
  });

  it('sends a notice outside the window as the configured ZNS template to the verified phone', async () => {
    const { user, id } = await chatWithPhone(72, '+84922222222');
    await notice(id, 'status_change', { kind: 'status_change', params: { code: 'H29-0001', status: 'ready' } });
    await deliver();
    expect(csTo(user)).toHaveLength(0);
    const [zns] = zalo.callsTo('zns');
    expect(zns?.body).toMatchObject({ phone: '84922222222', template_id: '1002', template_data: { ma_ho_so: 'H29-0001', trang_thai: 'ready' } });
    expect(String(zns?.body.tracking_id)).toMatch(/^[0-9a-f]{1,48}$/);
    const [row] = await outboxOf(id).then((rows) => rows.filter((r) => r.kind === 'status_change'));
    expect(row?.status).toBe('sent');
  });

  it('records a notice outside the window with no template for its kind as undeliverable, with the reason', async () => {
    const { id } = await chatWithPhone(72, '+84933333333');
    await notice(id, 'reminder_appointment', { kind: 'reminder_appointment', params: { date: '25/11/2026' } });
    await deliver();
    const [row] = (await outboxOf(id)).filter((r) => r.kind === 'reminder_appointment');
    expect(row?.status).toBe('undeliverable');
    expect(row?.lastError).toContain('no ZNS template configured for "reminder_appointment"');
    expect(row?.lastError).toContain('window');
    expect(zalo.callsTo('zns')).toHaveLength(0);
  });

  it('records a notice outside the window for a chat without a verified phone as undeliverable', async () => {
    const { id } = await chatWithPhone(200);
    await notice(id, 'status_change', { kind: 'status_change', params: { code: 'H29-0001', status: 'ready' } });
    await deliver();
    const [row] = (await outboxOf(id)).filter((r) => r.kind === 'status_change');
    expect(row?.status).toBe('undeliverable');
    expect(row?.lastError).toContain('no verified phone');
  });

  it('falls back to ZNS when Zalo itself says the window is closed', async () => {
    const { user, id } = await chatWithPhone(1, '+84944444444');
    zalo.closeWindow(user);
    await notice(id, 'status_change', { kind: 'status_change', params: { code: 'H29-0002', status: 'ready' } });
    await deliver();
    expect(zalo.callsTo('zns')[0]?.body).toMatchObject({ phone: '84944444444', template_id: '1002' });
  });

  it('sends a one-time code through ZNS, unsealed only for the send', async () => {
    const sealedCode = otpSealer(assistant.config.appSecret ?? '').seal('482913');
    await enqueue(
      db(),
      [{ channel: 'zns', phone: '+84955555555', kind: 'otp', priority: PRIORITY.otp, message: { purpose: 'otp', sealedCode, ttlMinutes: 5 } }],
      assistant.clock.now(),
    );
    await deliver();
    expect(zalo.callsTo('zns')[0]?.body).toMatchObject({ phone: '84955555555', template_id: '1001', template_data: { otp: '482913' } });
  });

  it('treats a user who unfollowed (Zalo -213) as blocked', async () => {
    const { user, id } = await chatWithPhone(1);
    zalo.unfollow(user);
    await notice(id, 'status_change');
    await deliver();
    expect((await identityOf(user))?.blockedAt).toBeInstanceOf(Date);
  });
});

describe('Zalo tokens and health', () => {
  // Each test moves the clock past the token's life or breaks the refresh: it gets an app of its
  // own, so neither it nor the tests around it depend on the order they run in.
  let shared: { zalo: FakeZalo; assistant: TestAssistant };
  beforeEach(async () => {
    shared = { zalo, assistant };
    await openApp();
    zalo.calls.length = 0;
  });
  afterEach(async () => {
    await assistant.close();
    await zalo.close();
    ({ zalo, assistant } = shared);
  });

  it('reports the channel healthy while the token is good', async () => {
    const res = await assistant.app.request('/healthz');
    expect(await res.json()).toMatchObject({ status: 'ok', checks: { zalo: 'ok' } });
  });

  it('refreshes an expired token once, stores the new single-use refresh token, and sends with the new access token', async () => {
    const user = nextUser();
    assistant.clock.advance(26 * 3_600_000);
    await sendEvent(textEvent(user, 'menu'));
    await deliver();
    expect(zalo.callsTo('oauth')).toHaveLength(1);
    expect(zalo.callsTo('oauth')[0]?.headers.secret_key).toBe(APP_SECRET);
    expect(csTo(user)[0]?.text).toContain('Xin chào');
    expect(zalo.callsTo('cs').at(-1)?.headers.access_token).toBe(zalo.state.accessToken);
    const [row] = await db().select().from(zaloTokens);
    // Sealed at rest: the database copy does not hold the tokens in clear text.
    expect(row?.refreshToken).not.toContain(zalo.state.refreshToken);
    expect(row?.accessExpiresAt.getTime()).toBe(assistant.clock.now().getTime() + 90_000_000);
  });

  it('keeps a message pending and shows the channel degraded when the refresh fails, then recovers', async () => {
    const user = nextUser();
    assistant.clock.advance(26 * 3_600_000);
    zalo.script('oauth', { error: -14014, message: 'Invalid refresh token' });
    await sendEvent(textEvent(user, 'menu'));
    await deliver();
    const identity = await identityOf(user);
    const [row] = await outboxOf(identity?.id ?? 0);
    expect(row?.status).toBe('pending');
    expect(row?.lastError).toContain('refresh failed');
    expect(csTo(user)).toHaveLength(0);
    const health = await assistant.app.request('/healthz');
    expect(await health.json()).toMatchObject({ status: 'degraded', checks: { zalo: 'degraded' } });

    // The refresh token was still good: once the pause is over (here: skipped, and a new
    // worker), the message goes out and the channel is healthy again.
    assistant.clock.advance(2 * 60_000);
    await db()
      .update(outbox)
      .set({ notBefore: assistant.clock.now() })
      .where(eq(outbox.id, row?.id ?? 0));
    // The shared timeline forgets the pause: a channel with no timeline starts a new one now.
    await db().delete(channelPacing).where(eq(channelPacing.channel, 'zalo'));
    const later = createDeliveryLoop({
      db: db(),
      clock: assistant.clock,
      timer: realTimer,
      logger: silentLogger,
      senders: assistant.senders,
      batchSize: 10,
      leaseSeconds: 30,
    });
    await later.runOnce();
    expect(csTo(user)[0]?.text).toContain('Xin chào');
    expect(await (await assistant.app.request('/healthz')).json()).toMatchObject({ checks: { zalo: 'ok' } });
  });
});
