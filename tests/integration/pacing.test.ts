import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/open';
import { ts } from '../../db/sql';
import { rowsOf } from '../../db/types';
import { createSharedPacer } from '../../domain/messaging/pacing';
import { createVirtualTimer, TEST_START } from '../support/clock';
import { createTestDatabase } from '../support/database';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.close());

/**
 * Pacers on one virtual timer whose database timeline reads the same virtual time: every wait
 * and every reservation is then exact, however slow the machine or the database is.
 */
function virtualPacers(count: number, options: { channel: string; ratePerSecond: number; blockMs?: number }) {
  const timer = createVirtualTimer();
  const timelineNow = () => ts(new Date(TEST_START.getTime() + timer.nowMs()));
  const pacers = Array.from({ length: count }, () => createSharedPacer({ db: database.db, timer, timelineNow, ...options }));
  return { timer, pacers };
}

describe('shared channel pacing', () => {
  it('two workers together keep to the channel rate instead of each taking all of it', async () => {
    const rate = 200;
    const { timer, pacers } = virtualPacers(2, { channel: 'pace-test', ratePerSecond: rate });
    const times: number[] = [];
    // 300 sends split over two workers: alone, each would finish its 150 in 0.75 s.
    await Promise.all(
      pacers.map(async (pacer) => {
        for (let i = 0; i < 150; i++) {
          await pacer.wait();
          times.push(timer.nowMs());
        }
      }),
    );
    const elapsed = Math.max(...times);
    // Together at 200/s: 300 sends take 1.5 s less the first slot.
    expect(elapsed).toBeGreaterThanOrEqual(1_490);
    // No second of the run holds more than the rate.
    for (let from = 0; from < elapsed; from += 50) {
      expect(times.filter((t) => t >= from && t < from + 1000).length).toBeLessThanOrEqual(rate);
    }
  });

  it('a 429 pause on one worker holds the other too', async () => {
    const { timer, pacers } = virtualPacers(2, { channel: 'pause-test', ratePerSecond: 100, blockMs: 20 });
    const [a, b] = pacers;
    if (!a || !b) throw new Error('no pacers');
    await a.wait();
    const pausedAt = timer.nowMs();
    a.pauseUntil(pausedAt + 1_000);
    // The pause reaches the database: wait until the shared timeline shows it.
    const pausedUntil = new Date(TEST_START.getTime() + pausedAt + 1_000);
    for (let tries = 0; tries < 200; tries++) {
      const [row] = rowsOf<{ held: boolean }>(
        await database.db.execute(sql`select next_slot_at >= ${ts(pausedUntil)} as held from channel_pacing where channel = 'pause-test'`),
      );
      if (row?.held) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (let i = 0; i < 5; i++) await b.wait();
    expect(timer.nowMs() - pausedAt).toBeGreaterThanOrEqual(1_000);
  });

  it('a worker that saw no pause goes on at the rate', async () => {
    const { timer, pacers } = virtualPacers(1, { channel: 'steady-test', ratePerSecond: 100, blockMs: 20 });
    const [pacer] = pacers;
    if (!pacer) throw new Error('no pacer');
    for (let i = 0; i < 10; i++) await pacer.wait();
    expect(timer.nowMs()).toBe(90);
  });
});
