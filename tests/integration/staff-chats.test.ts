import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identities, staffLinkCodes } from '../../db/schema';
import { claimLinkCode, issueLinkCode, LINK_CODE_MINUTES, linkedChats, unlinkChat } from '../../domain/people/staff-chats';
import type { Actor } from '../../vocabulary/actors';
import { TEST_START } from '../support/clock';
import { createStaffAccount } from '../support/console';
import { createTestDatabase } from '../support/database';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let serial = 0;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const at = (minutes: number) => new Date(TEST_START.getTime() + minutes * 60_000);

/** Each test its own official and chats, so the tests run in any order. */
async function officialWithChats(count: number): Promise<{ official: Actor; chats: number[] }> {
  const n = ++serial;
  const account = await createStaffAccount(database.db, { username: `lanhdao${n}`, role: 'official', name: `Lãnh Đạo ${n}` });
  const chats: number[] = [];
  for (let i = 0; i < count; i++) {
    const [row] = await database.db
      .insert(identities)
      .values({ channel: 'telegram', externalId: `chat-${n}-${i}`, createdAt: TEST_START, lastSeenAt: TEST_START })
      .returning();
    if (row) chats.push(row.id);
  }
  return { official: { kind: 'staff', id: account.id, name: `Lãnh Đạo ${n}`, role: 'official', officeId: null }, chats };
}

describe('linking a staff member’s chat', () => {
  it('links the chat that types the live code, once, and keeps only the code’s hash', async () => {
    const { official, chats } = await officialWithChats(2);
    const { code } = await issueLinkCode(database.db, official, TEST_START);
    const stored = await database.db.select().from(staffLinkCodes).where(eq(staffLinkCodes.staffId, official.id));
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(await claimLinkCode(database.db, chats[0] ?? 0, ` ${code.slice(0, 4)} ${code.slice(4)} `, at(1))).toEqual({
      ok: true,
      value: { staffName: official.name },
    });
    // Spent: a second chat cannot use it.
    expect((await claimLinkCode(database.db, chats[1] ?? 0, code, at(2))).ok).toBe(false);
    expect((await linkedChats(database.db, official.id)).map((c) => c.identityId)).toEqual([chats[0]]);
  });

  it('refuses an expired code and a code replaced by a newer one', async () => {
    const { official, chats } = await officialWithChats(1);
    const first = await issueLinkCode(database.db, official, TEST_START);
    const second = await issueLinkCode(database.db, official, at(1));
    expect((await claimLinkCode(database.db, chats[0] ?? 0, first.code, at(2))).ok).toBe(false);
    expect((await claimLinkCode(database.db, chats[0] ?? 0, second.code, at(1 + LINK_CODE_MINUTES + 1))).ok).toBe(false);
    expect(await linkedChats(database.db, official.id)).toEqual([]);
  });

  it('stops a chat after five wrong codes, even before the right one', async () => {
    const { official, chats } = await officialWithChats(1);
    const { code } = await issueLinkCode(database.db, official, TEST_START);
    for (let i = 0; i < 5; i++) expect(await claimLinkCode(database.db, chats[0] ?? 0, '00000000', at(1))).toMatchObject({ ok: false, reason: 'invalid_code' });
    expect(await claimLinkCode(database.db, chats[0] ?? 0, code, at(1))).toMatchObject({ ok: false, reason: 'rate_limited' });
  });

  it('unlinks only the account’s own chats', async () => {
    const { official, chats } = await officialWithChats(1);
    const { official: other } = await officialWithChats(0);
    const { code } = await issueLinkCode(database.db, official, TEST_START);
    expect((await claimLinkCode(database.db, chats[0] ?? 0, code, at(1))).ok).toBe(true);
    expect((await unlinkChat(database.db, other, chats[0] ?? 0, at(2))).ok).toBe(false);
    expect((await unlinkChat(database.db, official, chats[0] ?? 0, at(2))).ok).toBe(true);
    expect(await linkedChats(database.db, official.id)).toEqual([]);
  });
});
