import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/open';
import { identities, outbox } from '../../db/schema';
import { createDeliveryLoop } from '../../domain/messaging/delivery-loop';
import type { ChatSender } from '../../domain/messaging/senders';
import { realTimer } from '../../lib/clock';
import { createLogger } from '../../lib/logger';
import { createFakeClock } from '../support/clock';
import { createTestDatabase } from '../support/database';
import { waitFor } from '../support/processes';
import { injectQueryFaults } from '../support/query-faults';

/**
 * Issue 14, finding 12: rows sent while the database was away were settled by nobody and went
 * out a second time one lease later. A failed settle is now kept and tried again.
 */
let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.close());

describe('delivery when recording sent rows fails', () => {
  it('records them once the database answers again, so they are not sent twice', async () => {
    // Every time here is set from this clock (due, lease), none by the database.
    const clock = createFakeClock();
    const at = clock.now();
    const [chat] = await database.db.insert(identities).values({ channel: 'telegram', externalId: 'settle-1', createdAt: at, lastSeenAt: at }).returning();
    await database.db.insert(outbox).values(
      [1, 2, 3].map((n) => ({
        identityId: chat?.id ?? 0,
        channel: 'telegram',
        kind: 'reply',
        payload: { replies: [{ text: `r${n}` }] },
        notBefore: at,
        createdAt: at,
      })),
    );
    const sent: string[] = [];
    const sender: ChatSender = {
      kind: 'chat',
      channel: 'telegram',
      ratePerSecond: 1000,
      perChatIntervalMs: 0,
      async send(_chat, { replies }) {
        sent.push(replies[0]?.text ?? '');
        return { status: 'sent' };
      },
    };
    const logs: string[] = [];
    const worker = createDeliveryLoop({
      db: database.db,
      clock,
      timer: realTimer,
      logger: createLogger({ level: 'warn', write: (line) => logs.push(line) }),
      senders: [sender],
      batchSize: 10,
      leaseSeconds: 60,
      pacing: 'local',
    });
    const faults = injectQueryFaults(database.db);
    faults.failNext(/update outbox set status = 'sent'/);

    expect(await worker.runOnce()).toBe(3);
    expect(faults.pending()).toBe(0);
    const pending = async () => (await database.db.select().from(outbox).where(eq(outbox.status, 'pending'))).length;
    await waitFor(async () => (await pending()) === 0, 10_000, 50);
    // The lease ran out for nobody: a later pass finds nothing to send again.
    clock.advance(120_000);
    expect(await worker.runOnce()).toBe(0);
    expect(sent.sort()).toEqual(['r1', 'r2', 'r3']);
    expect(logs.join('\n')).toContain('settling sent rows failed; trying again');
    await worker.stop();
  });
});
