import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identities, staffLinkCodes } from '../../db/schema';
import { claimLinkCode, issueLinkCode, LINK_CODE_MINUTES, linkedChats, unlinkChat } from '../../domain/people/staff-chats';
import type { Actor } from '../../vocabulary/actors';
import { TEST_START } from '../support/clock';
import { createStaffAccount } from '../support/console';
import { createTestDatabase } from '../support/database';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let official: Actor;
const chatIds: number[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const account = await createStaffAccount(database.db, { username: 'lanhdao', role: 'official', name: 'Lãnh Đạo' });
  official = { kind: 'staff', id: account.id, name: 'Lãnh Đạo', role: 'official', officeId: null };
  for (const id of ['a', 'b', 'c']) {
    const [row] = await database.db
      .insert(identities)
      .values({ channel: 'telegram', externalId: id, createdAt: TEST_START, lastSeenAt: TEST_START })
      .returning();
    if (row) chatIds.push(row.id);
  }
});
afterAll(() => database?.close());

const at = (minutes: number) => new Date(TEST_START.getTime() + minutes * 60_000);

describe('linking a staff member’s chat', () => {
  it('links the chat that types the live code, once, and keeps only the code’s hash', async () => {
    const { code } = await issueLinkCode(database.db, official, TEST_START);
    const stored = await database.db.select().from(staffLinkCodes);
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(await claimLinkCode(database.db, chatIds[0] ?? 0, ` ${code.slice(0, 4)} ${code.slice(4)} `, at(1))).toEqual({
      ok: true,
      value: { staffName: 'Lãnh Đạo' },
    });
    // Spent: a second chat cannot use it.
    expect((await claimLinkCode(database.db, chatIds[1] ?? 0, code, at(2))).ok).toBe(false);
    expect((await linkedChats(database.db, official.id)).map((c) => c.identityId)).toEqual([chatIds[0]]);
  });

  it('refuses an expired code and a code replaced by a newer one', async () => {
    const first = await issueLinkCode(database.db, official, TEST_START);
    const second = await issueLinkCode(database.db, official, at(1));
    expect((await claimLinkCode(database.db, chatIds[1] ?? 0, first.code, at(2))).ok).toBe(false);
    expect((await claimLinkCode(database.db, chatIds[1] ?? 0, second.code, at(1 + LINK_CODE_MINUTES + 1))).ok).toBe(false);
  });

  it('stops a chat after five wrong codes, even before the right one', async () => {
    const { code } = await issueLinkCode(database.db, official, TEST_START);
    for (let i = 0; i < 5; i++)
      expect(await claimLinkCode(database.db, chatIds[2] ?? 0, '00000000', at(1))).toMatchObject({ ok: false, reason: 'invalid_code' });
    expect(await claimLinkCode(database.db, chatIds[2] ?? 0, code, at(1))).toMatchObject({ ok: false, reason: 'rate_limited' });
  });

  it('unlinks only the account’s own chats', async () => {
    const other: Actor = { ...official, id: official.id + 100 };
    expect((await unlinkChat(database.db, other, chatIds[0] ?? 0, TEST_START)).ok).toBe(false);
    expect((await unlinkChat(database.db, official, chatIds[0] ?? 0, TEST_START)).ok).toBe(true);
    expect(await linkedChats(database.db, official.id)).toEqual([]);
  });
});
