import { asc, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTranslator } from '../../bot/locales';
import { createBroadcastRenderer } from '../../bot/notices/render';
import { auditLog, broadcasts, citizens, identities, notificationSettings, outbox, webInbox } from '../../db/schema';
import { createDeliveryLoop } from '../../domain/messaging/delivery-loop';
import { updateSettings, upsertAreas } from '../../domain/messaging/notification-settings';
import type { ChatSender, SendOutcome } from '../../domain/messaging/senders';
import { advanceBroadcasts, broadcastProgress, createBroadcast, scheduleBroadcast } from '../../domain/outreach/broadcasts';
import { realTimer } from '../../lib/clock';
import { silentLogger } from '../../lib/logger';
import type { Actor } from '../../vocabulary/actors';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { createTestToken } from '../support/tokens';

let assistant: TestAssistant;
const tokens: Record<'official' | 'staff' | 'admin', string> = { official: '', staff: '', admin: '' };
const actor: Actor = { kind: 'token', id: 0, name: 'test official', role: 'official', officeId: null };

beforeAll(async () => {
  assistant = await createTestAssistant();
  for (const role of ['official', 'staff', 'admin'] as const) tokens[role] = await createTestToken(assistant.database.db, role);
  await upsertAreas(
    assistant.database.db,
    [
      { code: 'ben-thanh', name: 'Phường Bến Thành' },
      { code: 'tan-dinh', name: 'Phường Tân Định' },
    ],
    assistant.clock.now(),
  );
});
afterAll(async () => assistant.close());

const db = () => assistant.database.db;
const chats: Record<string, number> = {};

beforeEach(async () => {
  await db().delete(outbox);
  await db().delete(broadcasts);
  await db().delete(notificationSettings);
  await db().delete(identities);
  await db().delete(citizens);
  assistant.clock.set('2026-11-23T02:00:00Z'); // 09:00 in Vietnam
  const now = assistant.clock.now();
  const chat = async (
    name: string,
    channel: string,
    settings: { area?: string; topics?: string[]; stopped?: boolean },
    extra: { locale?: string; blocked?: boolean } = {},
  ) => {
    const [row] = await db()
      .insert(identities)
      .values({ channel, externalId: name, locale: extra.locale ?? 'vi', blockedAt: extra.blocked ? now : null, createdAt: now, lastSeenAt: now })
      .returning();
    if (!row) throw new Error('no identity');
    chats[name] = row.id;
    if (settings.area || settings.topics || settings.stopped) {
      await updateSettings(
        db(),
        { identityId: row.id, citizenId: null },
        () => ({ mutedKinds: [], area: settings.area ?? null, topics: settings.topics ?? [], stopped: settings.stopped ?? false }),
        now,
      );
    }
  };
  await chat('an', 'web', { area: 'ben-thanh' });
  await chat('binh', 'web', { area: 'ben-thanh', topics: ['land'] }, { locale: 'en' });
  await chat('cuong', 'web', { area: 'tan-dinh' });
  await chat('dung', 'telegram', { area: 'ben-thanh' });
  await chat('em', 'web', {}); // talked to the bot, subscribed to nothing
  await chat('giang', 'web', { area: 'ben-thanh', stopped: true });
  await chat('ha', 'web', { area: 'ben-thanh' }, { blocked: true });
});

async function call(method: string, path: string, token: string | null, body?: unknown) {
  const res = await assistant.app.request(path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string }; id?: number } };
}

const official = (method: string, path: string, body?: unknown) => call(method, path, tokens.official, body);

async function draft(body: Record<string, unknown>): Promise<number> {
  const created = await official('POST', '/api/v1/broadcasts', body);
  expect(created.status).toBe(201);
  return Number(created.body.id);
}

describe('broadcast audience', () => {
  it.each([
    [{ areas: ['ben-thanh'] }, 3, { web: 2, telegram: 1 }],
    [{ areas: ['ben-thanh'], channels: ['web'] }, 2, { web: 2 }],
    [{ areas: ['ben-thanh'], locales: ['en'] }, 1, { web: 1 }],
    [{ topics: ['land'] }, 1, { web: 1 }],
    [{}, 4, { web: 3, telegram: 1 }],
    [{ areas: ['tan-dinh', 'ben-thanh'], channels: ['zalo'] }, 0, {}],
  ])('counts only subscribers who can receive it: %j', async (audience, total, byChannel) => {
    const preview = await official('POST', '/api/v1/broadcasts/preview', { audience });
    expect(preview).toMatchObject({ status: 200, body: { total, byChannel } });
  });

  it('checks the text against each channel’s limit', async () => {
    const long = 'Thông báo. '.repeat(230).trim(); // about 2,530 characters
    const refused = await official('POST', '/api/v1/broadcasts', { text: long, audience: { areas: ['ben-thanh'] } });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toContain('zalo allows at most 2000');
    expect((await official('POST', '/api/v1/broadcasts', { text: long, audience: { channels: ['telegram'] } })).status).toBe(201);
    const tooLong = await official('POST', '/api/v1/broadcasts', { text: 'x'.repeat(4097), audience: { channels: ['telegram'] } });
    expect(tooLong.body.error?.message).toContain('telegram allows at most 4096');
  });

  it.each([
    ['an unknown topic', { text: 'a', audience: { topics: ['weather'] } }, 'audience.topics'],
    ['an http link', { text: 'a', link: { label: 'Xem', url: 'http://example.vn' } }, 'link.url'],
    ['an empty list', { text: 'a', audience: { areas: [] } }, 'audience.areas'],
    ['no text', { text: '  ' }, 'text'],
  ])('refuses %s with a 400 naming the field', async (_what, body, field) => {
    const refused = await official('POST', '/api/v1/broadcasts', body);
    expect(refused.status).toBe(400);
    expect(refused.body.error?.message).toContain(field);
    expect(await db().select().from(broadcasts)).toHaveLength(0);
  });
});

describe('broadcast roles', () => {
  it.each([
    ['no token', null, 401],
    ['staff', 'staff', 403],
    ['an official', 'official', 200],
    ['an admin', 'admin', 200],
  ] as const)('%s', async (_who, role, status) => {
    const token = role ? tokens[role] : null;
    expect((await call('POST', '/api/v1/broadcasts/preview', token, { audience: {} })).status).toBe(status);
    expect((await call('GET', '/api/v1/broadcasts', token)).status).toBe(status);
  });
});

describe('sending a broadcast', () => {
  it('test-sends to one chat, sends to the audience once, and reports progress', async () => {
    const id = await draft({
      text: 'Phường Bến Thành thông báo lịch tiêm chủng.',
      link: { label: 'Chi tiết', url: 'https://benthanh.example.vn/tiem-chung' },
      audience: { areas: ['ben-thanh'] },
    });
    expect((await official('POST', `/api/v1/broadcasts/${id}/test`, { channel: 'web', externalId: 'cuong' })).status).toBe(202);
    expect((await official('POST', `/api/v1/broadcasts/${id}/test`, { channel: 'web', externalId: 'nobody' })).status).toBe(422);
    await assistant.delivery.runOnce();
    const tested = await db()
      .select()
      .from(webInbox)
      .where(eq(webInbox.identityId, chats.cuong ?? 0));
    expect(tested[0]?.payload).toEqual([
      {
        text: 'Phường Bến Thành thông báo lịch tiêm chủng.',
        buttons: [[{ label: 'Chi tiết', url: 'https://benthanh.example.vn/tiem-chung' }], [{ label: 'Ngừng nhận thông báo', action: 'stop' }]],
      },
    ]);
    expect(await db().select().from(outbox).where(eq(outbox.kind, 'broadcast'))).toHaveLength(0);

    expect((await official('POST', `/api/v1/broadcasts/${id}/send`, {})).body).toMatchObject({ status: 'scheduled' });
    await assistant.delivery.runOnce();
    await assistant.delivery.runOnce();
    const rows = await db().select().from(outbox).where(eq(outbox.kind, 'broadcast')).orderBy(asc(outbox.identityId));
    expect(rows.map((r) => [r.identityId, r.status])).toEqual([
      [chats.an, 'sent'],
      [chats.binh, 'sent'],
      [chats.dung, 'pending'], // no Telegram sender in this test
    ]);
    const english = await db()
      .select()
      .from(webInbox)
      .where(eq(webInbox.identityId, chats.binh ?? 0));
    expect(JSON.stringify(english[0]?.payload)).toContain('Stop announcements');
    const progress = await official('GET', `/api/v1/broadcasts/${id}/progress`);
    expect(progress.body).toMatchObject({ status: 'sending', recipients: 3, fanoutDone: true, pending: 1, sent: 2, failed: 0, blocked: 0 });
    expect((await official('GET', `/api/v1/broadcasts/${id}/report`)).status).toBe(409);

    const cancelled = await official('POST', `/api/v1/broadcasts/${id}/cancel`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledMessages: 1, progress: { sent: 2, cancelled: 1, pending: 0 } });
    expect((await official('POST', `/api/v1/broadcasts/${id}/send`)).status).toBe(409);
    const audit = await db()
      .select()
      .from(auditLog)
      .where(like(auditLog.subject, `broadcast:${id}`));
    expect(audit.map((a) => a.action).sort()).toEqual(['broadcast.cancel', 'broadcast.create', 'broadcast.schedule', 'broadcast.test']);
  });

  it('writes a final report once every message is settled', async () => {
    const id = await draft({ text: 'Thông báo lịch làm việc thứ Bảy.', audience: { channels: ['web'] } });
    await official('POST', `/api/v1/broadcasts/${id}/send`);
    await assistant.delivery.runOnce();
    await assistant.delivery.runOnce();
    const report = await official('GET', `/api/v1/broadcasts/${id}/report`);
    expect(report).toMatchObject({ status: 200, body: { recipients: 3, sent: 3, failed: 0, blocked: 0, undeliverable: 0, byChannel: { web: { sent: 3 } } } });
    expect((await official('GET', `/api/v1/broadcasts/${id}`)).body).toMatchObject({ status: 'completed' });
  });

  it('holds a scheduled broadcast until its time, and quiet hours until 07:00', async () => {
    const id = await draft({ text: 'Mất điện khu vực Tân Định.', audience: { areas: ['tan-dinh'] } });
    const scheduled = await official('POST', `/api/v1/broadcasts/${id}/send`, { at: '2026-11-23T22:30:00+07:00' });
    expect(scheduled.body).toMatchObject({ status: 'scheduled', sendAt: '2026-11-24T00:00:00.000Z' }); // 07:00 on 24/11
    assistant.clock.set('2026-11-23T23:59:00Z');
    await assistant.delivery.runOnce();
    expect(await db().select().from(outbox).where(eq(outbox.kind, 'broadcast'))).toHaveLength(0);
    assistant.clock.set('2026-11-24T00:00:00Z');
    await assistant.delivery.runOnce();
    expect((await db().select().from(outbox).where(eq(outbox.kind, 'broadcast'))).map((r) => r.status)).toEqual(['sent']);
  });

  it('an urgent broadcast goes during quiet hours', async () => {
    assistant.clock.set('2026-11-23T16:00:00Z'); // 23:00
    const id = await draft({ text: 'Cảnh báo lũ khẩn cấp.', audience: { areas: ['tan-dinh'] }, urgent: true });
    await official('POST', `/api/v1/broadcasts/${id}/send`);
    await assistant.delivery.runOnce();
    expect((await db().select().from(outbox).where(eq(outbox.kind, 'broadcast'))).map((r) => r.status)).toEqual(['sent']);
  });

  it('a chat that says /stop after the fan-out does not receive it', async () => {
    const id = await draft({ text: 'Thông báo.', audience: { areas: ['tan-dinh'] } });
    await scheduleBroadcast(db(), id, undefined, actor, assistant.clock.now());
    await advanceBroadcasts(db(), createBroadcastRenderer(createTranslator()), assistant.clock.now());
    await assistant.dialog.handle({ channel: 'web', externalId: 'cuong', message: { kind: 'text', text: '/stop' } });
    await assistant.delivery.runOnce();
    expect(await broadcastProgress(db(), id)).toMatchObject({ sent: 0, cancelled: 1 });
  });
});

describe('broadcast fan-out and delivery outcomes', () => {
  it('fans out in chunks, resumes from its cursor, and never writes a chat twice', async () => {
    const id = (await createBroadcast(db(), { text: 'Chunked', audience: {}, urgent: false }, actor, assistant.clock.now())).id;
    await scheduleBroadcast(db(), id, undefined, actor, assistant.clock.now());
    const render = createBroadcastRenderer(createTranslator());
    // A budget of 0 ms writes one chunk per pass, as if the process stopped after each.
    let passes = 0;
    while ((await advanceBroadcasts(db(), render, assistant.clock.now(), { chunk: 2, budgetMs: 0 })) > 0) passes++;
    // The fan-out walks only the chats it can reach (chat_audience): 4 here, in chunks of 2, then
    // the pass that finds no more and marks the fan-out done.
    expect(passes).toBe(3);
    const rows = await db()
      .select()
      .from(outbox)
      .where(eq(outbox.subject, `broadcast:${id}`));
    expect(rows.map((r) => r.identityId).sort()).toEqual([chats.an, chats.binh, chats.cuong, chats.dung].sort());
    expect((await broadcastProgress(db(), id))?.recipients).toBe(4);
  });

  it('counts blocked, failed and undeliverable messages separately', async () => {
    const outcomes: Record<string, SendOutcome> = {
      an: { status: 'sent' },
      binh: { status: 'blocked', error: 'Forbidden: bot was blocked by the user' },
      cuong: { status: 'undeliverable', error: 'outside the interaction window' },
    };
    const sender: ChatSender = {
      kind: 'chat',
      channel: 'web',
      ratePerSecond: 1000,
      perChatIntervalMs: 0,
      send: async (to) => outcomes[to] ?? { status: 'invalid', error: 'chat not found' },
    };
    const id = (await createBroadcast(db(), { text: 'Outcomes', audience: { channels: ['web'] }, urgent: false }, actor, assistant.clock.now())).id;
    await scheduleBroadcast(db(), id, undefined, actor, assistant.clock.now());
    await advanceBroadcasts(db(), createBroadcastRenderer(createTranslator()), assistant.clock.now());
    const worker = createDeliveryLoop({
      db: db(),
      clock: assistant.clock,
      timer: realTimer,
      logger: silentLogger,
      senders: [sender],
      batchSize: 10,
      leaseSeconds: 60,
    });
    await worker.runOnce();
    expect(await broadcastProgress(db(), id)).toMatchObject({ recipients: 3, pending: 0, sent: 1, blocked: 1, undeliverable: 1, failed: 0 });
    await advanceBroadcasts(db(), createBroadcastRenderer(createTranslator()), assistant.clock.now());
    const report = (await official('GET', `/api/v1/broadcasts/${id}/report`)).body;
    expect(report).toMatchObject({ sent: 1, blocked: 1, undeliverable: 1, byChannel: { web: { sent: 1, blocked: 1, undeliverable: 1 } } });
  });
});
