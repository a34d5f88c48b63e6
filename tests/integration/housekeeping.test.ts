import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/open';
import { identities, processedUpdates, webInbox } from '../../db/schema';
import { pruneOldRows } from '../../domain/messaging/housekeeping';
import { createTestDatabase } from '../support/database';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.close());

describe('housekeeping', () => {
  it('forgets event ids after three days and fetched web messages after a week, keeping the rest', async () => {
    const now = new Date('2026-11-23T00:00:00Z');
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
    await database.db.insert(processedUpdates).values([
      { channel: 'telegram', updateId: 'old', receivedAt: daysAgo(4) },
      { channel: 'telegram', updateId: 'recent', receivedAt: daysAgo(2) },
    ]);
    const [chat] = await database.db
      .insert(identities)
      .values({ channel: 'web', externalId: 'x', createdAt: daysAgo(40), lastSeenAt: daysAgo(1) })
      .returning();
    if (!chat) throw new Error('no chat');
    await database.db.insert(webInbox).values([
      { identityId: chat.id, payload: [{ text: 'fetched long ago' }], createdAt: daysAgo(9), deliveredAt: daysAgo(8) },
      { identityId: chat.id, payload: [{ text: 'never fetched' }], createdAt: daysAgo(30) },
      { identityId: chat.id, payload: [{ text: 'fetched yesterday' }], createdAt: daysAgo(2), deliveredAt: daysAgo(1) },
    ]);
    await pruneOldRows(database.db, now);
    expect((await database.db.select().from(processedUpdates)).map((r) => r.updateId)).toEqual(['recent']);
    expect((await database.db.select().from(webInbox)).map((r) => r.payload[0]?.text).sort()).toEqual(['fetched yesterday', 'never fetched']);
  });
});
