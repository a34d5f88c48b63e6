import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/open';
import { chatActivity, identities } from '../../db/schema';
import { createConversationStore } from '../../domain/messaging/conversations';
import { createFakeClock } from '../support/clock';
import { createTestDatabase } from '../support/database';

let database: DatabaseHandle;
const clock = createFakeClock('2026-11-23T03:00:00Z');
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.close());

const store = () => createConversationStore(database.db, clock);
const activity = async (identityId: number) => database.db.select().from(chatActivity).where(eq(chatActivity.identityId, identityId));

describe('conversation store: one statement per inbound message', () => {
  it('creates the chat, counts the message and returns no state for a newcomer', async () => {
    const received = await store().receive('telegram', 'cs-1', 'u-1', 'Lan');
    expect(received?.state).toBeNull();
    expect(received?.identity).toMatchObject({ channel: 'telegram', externalId: 'cs-1', locale: 'vi', displayName: 'Lan', citizenId: null });
    expect(await activity(received?.identity.id ?? 0)).toEqual([{ day: '2026-11-23', identityId: received?.identity.id, messages: 1 }]);
  });

  it('writes nothing for a redelivered update id', async () => {
    const first = await store().receive('telegram', 'cs-2', 'u-2');
    expect(await store().receive('telegram', 'cs-2', 'u-2')).toBeNull();
    expect((await activity(first?.identity.id ?? 0))[0]?.messages).toBe(1);
  });

  it('returns the stored state and language, keeps the name when none is given, and counts again', async () => {
    const s = store();
    const first = await s.receive('web', 'cs-3', 'u-3', 'Bình');
    const id = first?.identity.id ?? 0;
    await s.save(id, { flow: 'dossier', step: 'code', data: { tries: 1 } }, 'en');
    const again = await s.receive('web', 'cs-3', 'u-4');
    expect(again?.identity).toMatchObject({ id, locale: 'en', displayName: 'Bình' });
    expect(again?.state).toEqual({ flow: 'dossier', step: 'code', data: { tries: 1 } });
    expect((await activity(id))[0]?.messages).toBe(2);
  });

  it('unblocks a chat that writes again', async () => {
    const s = store();
    const first = await s.receive('telegram', 'cs-5', 'u-5');
    await database.db
      .update(identities)
      .set({ blockedAt: clock.now() })
      .where(eq(identities.id, first?.identity.id ?? 0));
    await s.receive('telegram', 'cs-5', 'u-6');
    const [row] = await database.db
      .select()
      .from(identities)
      .where(eq(identities.id, first?.identity.id ?? 0));
    expect(row?.blockedAt).toBeNull();
  });

  it('handles a message without an update id every time', async () => {
    const s = store();
    expect(await s.receive('cli', 'cs-7', undefined)).not.toBeNull();
    expect(await s.receive('cli', 'cs-7', undefined)).not.toBeNull();
  });
});
