import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/open';
import { createSharedPacer } from '../../domain/pacing';
import { createTestDatabase } from '../support/database';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.close());

describe('shared channel pacing', () => {
  it('two workers together keep to the channel rate instead of each taking all of it', async () => {
    const rate = 200;
    const pacers = [0, 1].map(() => createSharedPacer({ db: database.db, channel: 'pace-test', ratePerSecond: rate }));
    const started = Date.now();
    const times: number[] = [];
    // 300 sends split over two workers: alone, each would finish its 150 in 0.75 s.
    await Promise.all(
      pacers.map(async (pacer) => {
        for (let i = 0; i < 150; i++) {
          await pacer.wait();
          times.push(Date.now() - started);
        }
      }),
    );
    const elapsed = Math.max(...times);
    expect(elapsed).toBeGreaterThanOrEqual(1_300);
    // No second of the run holds more than the rate plus the allowed burst of late slots.
    for (let from = 0; from < elapsed; from += 100) {
      expect(times.filter((t) => t >= from && t < from + 1000).length).toBeLessThanOrEqual(rate * 1.5);
    }
  });

  it('a 429 pause on one worker holds the other too', async () => {
    const [a, b] = [0, 1].map(() => createSharedPacer({ db: database.db, channel: 'pause-test', ratePerSecond: 100, blockMs: 20 }));
    if (!a || !b) throw new Error('no pacers');
    await a.wait();
    a.pauseUntil(Date.now() + 1_000);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the pause reaches the database
    const before = Date.now();
    for (let i = 0; i < 5; i++) await b.wait();
    expect(Date.now() - before).toBeGreaterThanOrEqual(700);
  });
});
