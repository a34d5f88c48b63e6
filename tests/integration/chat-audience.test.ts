import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatAudience, identities, notificationSettings } from '../../db/schema';
import { rowsOf } from '../../db/types';
import { markBlocked } from '../../domain/messaging/conversations';
import { settingsColumns, settingsJoins, updateSettings } from '../../domain/messaging/notification-settings';
import { linkVerifiedPhone } from '../../domain/people/citizens';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { seedOffice } from '../support/certification';

/**
 * chat_audience (migration 0015) is kept by triggers; what it must hold is what the application
 * reads as a chat's effective settings (domain/messaging/notification-settings.ts): every chat not
 * blocked, not stopped, and following an area or a topic. After each kind of write, the table is
 * compared with that reading. Each test works on chats of its own.
 */
let assistant: TestAssistant;
let chats = 0;
beforeAll(async () => {
  assistant = await createTestAssistant();
});
afterAll(async () => assistant.close());

const db = () => assistant.database.db;
const now = () => assistant.clock.now();

interface Member {
  id: number;
  channel: string;
  locale: string;
  office: number | null;
  area: string | null;
  topics: string[];
}

/** The reachable chats among `ids`, read through the application's own settings joins. */
async function expected(ids: number[]): Promise<Member[]> {
  const result = await db().execute(sql`
    select i.id, i.channel, i.locale, i.office_id as office, ${settingsColumns.area} as area, ${settingsColumns.topics} as topics
    from identities i ${settingsJoins(sql`i`)}
    where i.id in ${ids} and i.blocked_at is null and ${settingsColumns.stoppedAt} is null
      and (${settingsColumns.area} is not null or cardinality(${settingsColumns.topics}) > 0)
    order by i.id`);
  return rowsOf<Member & { id: number | string; office: number | string | null; topics: string[] | string }>(result).map(normal);
}

async function stored(ids: number[]): Promise<Member[]> {
  const rows = await db().select().from(chatAudience).where(sql`${chatAudience.identityId} in ${ids}`).orderBy(chatAudience.identityId);
  return rows.map((r) => normal({ id: r.identityId, channel: r.channel, locale: r.locale, office: r.officeId, area: r.area, topics: r.topics }));
}

function normal(row: {
  id: number | string;
  channel: string;
  locale: string;
  office: number | string | null;
  area: string | null;
  topics: string[] | string;
}): Member {
  const topics = typeof row.topics === 'string' ? row.topics.replace(/[{}]/g, '').split(',').filter(Boolean) : row.topics;
  return {
    id: Number(row.id),
    channel: row.channel,
    locale: row.locale,
    office: row.office === null ? null : Number(row.office),
    area: row.area,
    topics: [...topics].sort(),
  };
}

async function newChat(): Promise<number> {
  const [row] = await db()
    .insert(identities)
    .values({ channel: 'telegram', externalId: `audience-${++chats}`, createdAt: now(), lastSeenAt: now() })
    .returning({ id: identities.id });
  if (!row) throw new Error('no chat');
  return row.id;
}

const settle = (identityId: number, citizenId: number | null, settings: { area?: string | null; topics?: string[]; stopped?: boolean }) =>
  updateSettings(
    db(),
    { identityId, citizenId },
    (current) => ({
      ...current,
      area: settings.area === undefined ? current.area : settings.area,
      topics: settings.topics ?? current.topics,
      stopped: settings.stopped ?? current.stopped,
    }),
    now(),
  );

async function expectInStep(ids: number[], reachable: number[]) {
  const table = await stored(ids);
  expect(table).toEqual(await expected(ids));
  expect(table.map((m) => m.id)).toEqual(reachable);
}

describe('the chats an announcement reaches (chat_audience)', () => {
  it('follows a chat’s own settings: an area or a topic adds it, /stop and clearing both remove it', async () => {
    const chat = await newChat();
    await expectInStep([chat], []);
    await settle(chat, null, { area: 'p1' });
    await expectInStep([chat], [chat]);
    await settle(chat, null, { area: null, topics: ['land'] });
    await expectInStep([chat], [chat]);
    await settle(chat, null, { stopped: true });
    await expectInStep([chat], []);
    await settle(chat, null, { stopped: false });
    await expectInStep([chat], [chat]);
    await settle(chat, null, { topics: [] });
    await expectInStep([chat], []);
  });

  it('follows blocking, writing again, the language and the office of the chat', async () => {
    const office = await seedOffice(db(), 'UBND xã Audience (dữ liệu mẫu)');
    const chat = await newChat();
    await settle(chat, null, { area: 'p2' });
    await markBlocked(db(), chat, now());
    await expectInStep([chat], []);
    // A message from a chat that had blocked the bot clears blocked_at (the arrival statement).
    await assistant.dialog.handle({ channel: 'telegram', externalId: `audience-${chats}`, message: { kind: 'text', text: 'xin chào' } });
    await expectInStep([chat], [chat]);
    await db().update(identities).set({ locale: 'en', officeId: office }).where(eq(identities.id, chat));
    await expectInStep([chat], [chat]);
    expect((await stored([chat]))[0]).toMatchObject({ locale: 'en', office });
  });

  it('takes the citizen’s settings for every chat linked to them, and follows their changes', async () => {
    const [zalo, web] = [await newChat(), await newChat()];
    await settle(zalo, null, { area: 'own-area' });
    const citizen = await linkVerifiedPhone(db(), zalo, '+84912000777', now());
    await linkVerifiedPhone(db(), web, '+84912000777', now());
    // No citizen row yet: each chat keeps its own settings (the web chat has none).
    await expectInStep([zalo, web], [zalo]);
    await settle(zalo, citizen, { area: 'family-area' });
    await expectInStep([zalo, web], [zalo, web]);
    expect((await stored([zalo, web])).map((m) => m.area)).toEqual(['family-area', 'family-area']);
    await settle(web, citizen, { stopped: true });
    await expectInStep([zalo, web], []);
    await db().delete(notificationSettings).where(eq(notificationSettings.citizenId, citizen));
    await expectInStep([zalo, web], [zalo]);
  });

  it('forgets a chat that is deleted', async () => {
    const chat = await newChat();
    await settle(chat, null, { area: 'p3' });
    await expectInStep([chat], [chat]);
    await db().delete(identities).where(eq(identities.id, chat));
    expect(await stored([chat])).toEqual([]);
  });
});
