import { eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../bot/locales';
import { createBroadcastRenderer } from '../../bot/notices/render';
import { areas, identities, outbox } from '../../db/schema';
import { updateSettings, upsertAreas } from '../../domain/messaging/notification-settings';
import { advanceBroadcasts, countAudience, createBroadcast, scheduleBroadcast } from '../../domain/outreach/broadcasts';
import { linkVerifiedPhone } from '../../domain/people/citizens';
import type { Actor } from '../../vocabulary/actors';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { seedOffice } from '../support/certification';
import { createTestToken } from '../support/tokens';

/**
 * Offices A (communes a1, a2), B (commune b1) and C (none), and chats that belong to an office by
 * its own choice (identities.office_id: a poster, a link, a dossier) or by the commune they chose
 * in settings. Nothing here changes after the set-up, so the tests run in any order.
 */
let assistant: TestAssistant;
const office = { a: 0, b: 0, c: 0 };
const chat: Record<string, number> = {};
const actor: Actor = { kind: 'token', id: 0, name: 'test official', role: 'official', officeId: null };

beforeAll(async () => {
  assistant = await createTestAssistant();
  const db = assistant.database.db;
  const now = assistant.clock.now();
  office.a = await seedOffice(db, 'UBND xã A (dữ liệu mẫu)');
  office.b = await seedOffice(db, 'UBND xã B (dữ liệu mẫu)');
  office.c = await seedOffice(db, 'UBND xã C (dữ liệu mẫu)');
  await upsertAreas(
    db,
    [
      { code: 'a1', name: 'Xã A Một' },
      { code: 'a2', name: 'Xã A Hai' },
      { code: 'b1', name: 'Xã B Một' },
    ],
    now,
  );
  await db.update(areas).set({ officeId: office.a }).where(like(areas.code, 'a%'));
  await db.update(areas).set({ officeId: office.b }).where(eq(areas.code, 'b1'));

  const add = async (name: string, own: number | null, settings: { area?: string; topics?: string[]; stopped?: boolean } | null, phone?: string) => {
    const [row] = await db.insert(identities).values({ channel: 'web', externalId: name, officeId: own, createdAt: now, lastSeenAt: now }).returning();
    if (!row) throw new Error('no chat');
    chat[name] = row.id;
    const citizenId = phone ? await linkVerifiedPhone(db, row.id, phone, now) : null;
    if (settings)
      await updateSettings(
        db,
        { identityId: row.id, citizenId },
        () => ({ mutedKinds: [], area: settings.area ?? null, topics: settings.topics ?? [], stopped: settings.stopped ?? false }),
        now,
      );
  };
  await add('posterA', office.a, { topics: ['general'] }); // chose office A by its poster, subscribed to a topic
  await add('livesA1', null, { area: 'a1' });
  await add('citizenA2', null, { area: 'a2' }, '+84912000001'); // settings kept on the citizen
  await add('posterBLivesA1', office.b, { area: 'a1' }); // in A by commune, in B by its own choice
  await add('livesB1', null, { area: 'b1', topics: ['land'] });
  await add('stoppedA', office.a, { area: 'a1', stopped: true });
  await add('unsubscribedA', office.a, null); // talked to the bot, subscribed to nothing
  await add('provinceOnly', null, { topics: ['land'] });
});
afterAll(async () => assistant.close());

describe('the audience of one office, several, or the province', () => {
  it.each([
    ['office A: its own chats and the chats of its communes', () => ({ offices: [office.a] }), 4],
    ['office B', () => ({ offices: [office.b] }), 2],
    ['offices A and B, each chat once', () => ({ offices: [office.a, office.b] }), 5],
    ['the province (no office chosen)', () => ({}), 6],
    ['an office with no chats', () => ({ offices: [office.c] }), 0],
    ['office B and a topic', () => ({ offices: [office.b], topics: ['land' as const] }), 1],
  ])('%s', async (_name, audience, expected) => {
    expect((await countAudience(assistant.database.db, audience())).total).toBe(expected);
  });

  it('fans out to the same chats it counted', async () => {
    const db = assistant.database.db;
    const now = assistant.clock.now();
    const render = createBroadcastRenderer(createTranslator());
    const draft = await createBroadcast(db, { text: 'Lịch tiếp dân xã B (dữ liệu mẫu).', audience: { offices: [office.b] }, urgent: true }, actor, now);
    await scheduleBroadcast(db, draft.id, undefined, actor, now);
    await advanceBroadcasts(db, render, now, { chunk: 3 });
    const rows = await db
      .select({ identityId: outbox.identityId })
      .from(outbox)
      .where(eq(outbox.subject, `broadcast:${draft.id}`));
    expect(rows.map((r) => r.identityId).sort()).toEqual([chat.posterBLivesA1, chat.livesB1].sort());
  });
});

describe('who may address which office', () => {
  const preview = (token: string, audience: unknown) =>
    assistant.app.request('/api/v1/broadcasts/preview', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ audience }),
    });

  it('lets a provincial official count any office or the province', async () => {
    const province = await createTestToken(assistant.database.db, 'official');
    expect(await (await preview(province, { offices: [office.a, office.b] })).json()).toMatchObject({ total: 5 });
    expect(await (await preview(province, {})).json()).toMatchObject({ total: 6 });
    const unknown = await preview(province, { offices: [999_999] });
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('unknown_office');
  });

  it('keeps an official of office B to office B: the province is narrowed, office A is refused', async () => {
    const own = await createTestToken(assistant.database.db, 'official', { officeId: office.b });
    expect(await (await preview(own, {})).json()).toMatchObject({ total: 2 });
    expect(await (await preview(own, { offices: [office.b] })).json()).toMatchObject({ total: 2 });
    const other = await preview(own, { offices: [office.a] });
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('forbidden_office');
    const created = await assistant.app.request('/api/v1/broadcasts', {
      method: 'POST',
      headers: { authorization: `Bearer ${own}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Thông báo của xã B (dữ liệu mẫu).' }),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ audience: { offices: [office.b] }, audienceCount: { total: 2 } });
  });

  it('shows an official of office A only office A’s broadcasts, and refuses to act on the others as missing', async () => {
    const province = await createTestToken(assistant.database.db, 'official');
    const ownA = await createTestToken(assistant.database.db, 'official', { officeId: office.a });
    const api = (token: string, method: string, path: string, body?: unknown) =>
      assistant.app.request(`/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const draft = async (audience: unknown) =>
      ((await (await api(province, 'POST', '/broadcasts', { text: 'Thông báo (dữ liệu mẫu).', audience })).json()) as { id: number }).id;
    const forA = await draft({ offices: [office.a] });
    const forB = await draft({ offices: [office.b] });
    const forProvince = await draft({});

    const listed = ((await (await api(ownA, 'GET', '/broadcasts')).json()) as { items: { id: number }[] }).items.map((b) => b.id);
    expect(listed).toContain(forA);
    expect(listed).not.toContain(forB);
    expect(listed).not.toContain(forProvince);
    expect((await api(ownA, 'GET', `/broadcasts/${forA}`)).status).toBe(200);
    for (const other of [forB, forProvince]) {
      expect((await api(ownA, 'GET', `/broadcasts/${other}`)).status, `get ${other}`).toBe(404);
      expect((await api(ownA, 'GET', `/broadcasts/${other}/progress`)).status, `progress ${other}`).toBe(404);
      expect((await api(ownA, 'POST', `/broadcasts/${other}/send`, {})).status, `send ${other}`).toBe(404);
      expect((await api(ownA, 'POST', `/broadcasts/${other}/cancel`)).status, `cancel ${other}`).toBe(404);
      expect((await api(ownA, 'POST', `/broadcasts/${other}/test`, { channel: 'web', externalId: 'nobody' })).status, `test ${other}`).toBe(404);
    }
    // Nothing was changed by the refusals; the province still sees and may act on all three.
    for (const id of [forA, forB, forProvince]) {
      expect(await (await api(province, 'GET', `/broadcasts/${id}`)).json()).toMatchObject({ id, status: 'draft' });
    }
  });
});
