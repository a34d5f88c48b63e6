import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossierStats } from '../../domain/dossiers/stats';
import { chatUsage } from '../../domain/messaging/chat-usage';
import { addLocalDays, localIsoDate } from '../../lib/vn-time';
import { seedDemo } from '../../scripts/seed-demo';
import { createTestDatabase } from '../support/database';

const NOW = new Date('2026-11-20T08:00:00Z'); // Friday 15:00 in Vietnam
let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.close());

describe('npm run seed:demo', () => {
  it('gives plausible figures: mostly on time, some early and late, a few open, good ratings; twice is once', async () => {
    const first = await seedDemo(database.db, NOW, { days: 14 });
    const again = await seedDemo(database.db, NOW, { days: 14 });
    expect(first.dossiers).toBeGreaterThan(200);
    expect(again.dossiers).toBe(0);
    const stats = await dossierStats(database.db, { from: localIsoDate(addLocalDays(NOW, -14)), to: localIsoDate(NOW) }, NOW);
    expect(stats.received.total).toBe(first.dossiers);
    expect(stats.received.online).toBeGreaterThan(stats.received.total * 0.2);
    expect(stats.received.counter).toBeGreaterThan(stats.received.online);
    const { early, onTime, late, total } = stats.resolved;
    expect(early + onTime + late).toBe(total);
    expect(onTime).toBeGreaterThan(late);
    expect(early).toBeGreaterThan(0);
    expect(late).toBeGreaterThan(0);
    expect(stats.open.total).toBeLessThan(stats.received.total * 0.4);
    expect(stats.satisfaction.average).toBeGreaterThan(3.8);
    expect(stats.byField.map((f) => f.field)).toEqual(expect.arrayContaining(['Hộ tịch', 'Chứng thực', 'Đất đai']));
    expect((await chatUsage(database.db, localIsoDate(addLocalDays(NOW, -14)), localIsoDate(NOW))).messages).toBeGreaterThan(100);
  });
});
