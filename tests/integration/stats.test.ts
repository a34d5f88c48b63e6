import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatActivity, dossiers, feedback, identities, searchLog } from '../../db/schema';
import { type DossierFigures, dossierStats, officeStats } from '../../domain/dossiers/stats';
import { bucketsOf, dossierSeries } from '../../domain/dossiers/stats-series';
import { chatUsage } from '../../domain/messaging/chat-usage';
import { findIdentity } from '../../domain/messaging/conversations';
import { linkVerifiedPhone } from '../../domain/people/citizens';
import { localTime } from '../../lib/vn-time';
import { callApi } from '../support/api';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { createTestToken } from '../support/tokens';

/**
 * A hand-computed month (November 2026, office 1). Times are Vietnam wall-clock times; the
 * dossiers at 23:30 on 31/10, 00:30 on 1/11, 23:59 on 30/11 and 00:00 on 1/12 test the edges.
 */
const vn = (y: number, mo: number, d: number, h = 0, mi = 0) => localTime(y, mo, d, h, mi);
const NOW = new Date('2026-12-05T03:00:00Z');

type Fixture = {
  code: string;
  office?: number;
  field: string;
  channel: 'online' | 'counter';
  received: Date;
  due: Date;
  status: 'received' | 'processing' | 'needs_supplement' | 'ready' | 'returned' | 'rejected';
  resolved?: Date;
  rating?: { value: number; at: Date };
};

const FIXTURE: Fixture[] = [
  // A: received the evening before the period; still open and overdue.
  { code: 'A', field: 'Hộ tịch', channel: 'online', received: vn(2026, 10, 31, 23, 30), due: vn(2026, 11, 3, 17), status: 'received' },
  // B: the first minutes of the period; resolved the day before the due day (early).
  {
    code: 'B',
    field: 'Hộ tịch',
    channel: 'counter',
    received: vn(2026, 11, 1, 0, 30),
    due: vn(2026, 11, 5, 17),
    status: 'returned',
    resolved: vn(2026, 11, 4, 10),
    rating: { value: 5, at: vn(2026, 11, 4, 11) },
  },
  // C: resolved on the due day before the due time (on time); rated after the period.
  {
    code: 'C',
    field: 'Chứng thực',
    channel: 'online',
    received: vn(2026, 11, 10, 9),
    due: vn(2026, 11, 10, 17),
    status: 'ready',
    resolved: vn(2026, 11, 10, 15),
    rating: { value: 4, at: vn(2026, 12, 1, 0, 5) },
  },
  // D: resolved half an hour after the due time (late).
  {
    code: 'D',
    field: 'Hộ tịch',
    channel: 'counter',
    received: vn(2026, 11, 12, 8),
    due: vn(2026, 11, 14, 17),
    status: 'returned',
    resolved: vn(2026, 11, 14, 17, 30),
    rating: { value: 2, at: vn(2026, 11, 15, 9) },
  },
  // E: the last minute of the period; open, not yet due.
  { code: 'E', field: 'Đất đai', channel: 'online', received: vn(2026, 11, 30, 23, 59), due: vn(2026, 12, 20, 17), status: 'processing' },
  // F: midnight after the period: not received in it, not in its backlog.
  { code: 'F', field: 'Đất đai', channel: 'counter', received: vn(2026, 12, 1, 0, 0), due: vn(2026, 12, 3, 17), status: 'received' },
  // G: another office.
  { code: 'G', office: 2, field: 'Hộ tịch', channel: 'online', received: vn(2026, 11, 15, 9), due: vn(2026, 11, 16, 17), status: 'received' },
  // H: received before the period, resolved ten minutes into it (late).
  {
    code: 'H',
    field: 'Chứng thực',
    channel: 'online',
    received: vn(2026, 10, 20, 9),
    due: vn(2026, 10, 25, 17),
    status: 'returned',
    resolved: vn(2026, 11, 1, 0, 10),
    rating: { value: 4, at: vn(2026, 10, 31, 23, 30) },
  },
  // I: resolved ten minutes before the period (late, but in October).
  {
    code: 'I',
    field: 'Hộ tịch',
    channel: 'counter',
    received: vn(2026, 10, 25, 9),
    due: vn(2026, 10, 31, 17),
    status: 'returned',
    resolved: vn(2026, 10, 31, 23, 50),
  },
  // J: waiting for papers past its due date.
  { code: 'J', field: 'Hộ tịch', channel: 'counter', received: vn(2026, 11, 20, 9), due: vn(2026, 11, 22, 17), status: 'needs_supplement' },
  // K: rejected: received, but neither resolved nor open.
  { code: 'K', field: 'Hộ tịch', channel: 'online', received: vn(2026, 11, 5, 9), due: vn(2026, 11, 8, 17), status: 'rejected' },
];

let assistant: TestAssistant;
beforeAll(async () => {
  assistant = await createTestAssistant();
  assistant.clock.set(NOW);
  const { db } = assistant.database;
  for (const f of FIXTURE) {
    const [row] = await db
      .insert(dossiers)
      .values({
        receiptCode: `STAT-${f.code}`,
        procedureCode: '1.001193',
        field: f.field,
        officeId: f.office ?? 1,
        applicantName: f.code,
        applicantPhone: '+84912345678',
        channel: f.channel,
        receivedAt: f.received,
        dueAt: f.due,
        status: f.status,
        resolvedAt: f.resolved ?? null,
        createdAt: f.received,
        updatedAt: f.resolved ?? f.received,
      })
      .returning();
    if (row && f.rating) {
      await db.insert(feedback).values({ dossierId: row.id, officeId: row.officeId, field: f.field, rating: f.rating.value, createdAt: f.rating.at });
    }
  }
  const [one, two] = await db
    .insert(identities)
    .values([
      { channel: 'web', externalId: 'stats-1', createdAt: NOW, lastSeenAt: NOW },
      { channel: 'web', externalId: 'stats-2', createdAt: NOW, lastSeenAt: NOW },
    ])
    .returning();
  if (!one || !two) throw new Error('no chats');
  await linkVerifiedPhone(db, one.id, '+84912345678', NOW);
  await db.insert(chatActivity).values([
    { day: '2026-10-31', identityId: one.id, messages: 3 },
    { day: '2026-11-01', identityId: one.id, messages: 2 },
    { day: '2026-11-30', identityId: two.id, messages: 4 },
    { day: '2026-12-01', identityId: two.id, messages: 1 },
  ]);
  const question = (query: string, at: Date) => ({ query, folded: query, channel: 'web', at });
  await db
    .insert(searchLog)
    .values([
      question('giay phep lai xe', vn(2026, 11, 10, 9)),
      question('giay phep lai xe', vn(2026, 11, 11, 9)),
      question('giay phep lai xe', vn(2026, 11, 30, 23, 50)),
      question('ket hon voi nguoi nuoc ngoai', vn(2026, 11, 12, 9)),
      question('ket hon voi nguoi nuoc ngoai', vn(2026, 10, 31, 23)),
      question('ket hon voi nguoi nuoc ngoai', vn(2026, 10, 31, 22)),
    ]);
});
afterAll(async () => assistant.close());
// Each test starts at the same instant, whatever an earlier test (in any order) did to the clock.
beforeEach(() => assistant.clock.set(NOW));

describe('dossier statistics', () => {
  it('matches the hand-computed month for office 1', async () => {
    const stats = await dossierStats(assistant.database.db, { from: '2026-11-01', to: '2026-11-30', officeId: 1 }, NOW);
    expect(stats.received).toEqual({ total: 6, online: 3, counter: 3 });
    expect(stats.resolved).toEqual({ total: 4, early: 1, onTime: 1, late: 2 });
    expect(stats.open).toEqual({ total: 3, overdue: 2 });
    expect(stats.satisfaction).toEqual({ count: 2, average: 3.5 });
    expect(stats.byField).toEqual([
      {
        field: 'Hộ tịch',
        received: { total: 4, online: 1, counter: 3 },
        resolved: { total: 2, early: 1, onTime: 0, late: 1 },
        open: { total: 2, overdue: 2 },
        satisfaction: { count: 2, average: 3.5 },
      },
      {
        field: 'Chứng thực',
        received: { total: 1, online: 1, counter: 0 },
        resolved: { total: 2, early: 0, onTime: 1, late: 1 },
        open: { total: 0, overdue: 0 },
        satisfaction: { count: 0, average: null },
      },
      {
        field: 'Đất đai',
        received: { total: 1, online: 1, counter: 0 },
        resolved: { total: 0, early: 0, onTime: 0, late: 0 },
        open: { total: 1, overdue: 0 },
        satisfaction: { count: 0, average: null },
      },
    ]);
  });

  it('puts 23:30 on the 31st in October and 00:30 on the 1st in November (Vietnam days)', async () => {
    const first = await dossierStats(assistant.database.db, { from: '2026-11-01', to: '2026-11-01', officeId: 1 }, NOW);
    expect(first.received.total).toBe(1); // B, not A
    expect(first.resolved).toEqual({ total: 1, early: 0, onTime: 0, late: 1 }); // H at 00:10
    const last = await dossierStats(assistant.database.db, { from: '2026-10-31', to: '2026-10-31', officeId: 1 }, NOW);
    expect(last.received.total).toBe(1); // A
    expect(last.resolved).toEqual({ total: 1, early: 0, onTime: 0, late: 1 }); // I at 23:50
    expect(last.satisfaction).toEqual({ count: 1, average: 4 }); // H's rating at 23:30
  });

  it('filters by field and counts every office without an office filter', async () => {
    const certified = await dossierStats(assistant.database.db, { from: '2026-11-01', to: '2026-11-30', officeId: 1, field: 'Chứng thực' }, NOW);
    expect(certified.byField.map((f) => f.field)).toEqual(['Chứng thực']);
    expect(certified.resolved.total).toBe(2);
    const all = await dossierStats(assistant.database.db, { from: '2026-11-01', to: '2026-11-30' }, NOW);
    expect(all.received.total).toBe(7); // G of office 2 joins
  });

  it('gives the province office by office, each office as its own figures, adding up to the province', async () => {
    const { db } = assistant.database;
    const november = { from: '2026-11-01', to: '2026-11-30' };
    const province = await dossierStats(db, november, NOW);
    const perOffice = await officeStats(db, november, NOW);
    expect(perOffice.map((o) => o.officeId)).toEqual([1, 2]);
    const sum = (pick: (f: DossierFigures) => number) => perOffice.reduce((n, o) => n + pick(o), 0);
    expect(sum((f) => f.received.total)).toBe(province.received.total);
    expect(sum((f) => f.received.online)).toBe(province.received.online);
    expect(sum((f) => f.resolved.early)).toBe(province.resolved.early);
    expect(sum((f) => f.resolved.onTime)).toBe(province.resolved.onTime);
    expect(sum((f) => f.resolved.late)).toBe(province.resolved.late);
    expect(sum((f) => f.open.overdue)).toBe(province.open.overdue);
    expect(sum((f) => f.satisfaction.count)).toBe(province.satisfaction.count);
    for (const office of perOffice) {
      const own = await dossierStats(db, { ...november, officeId: office.officeId }, NOW);
      expect(office).toEqual({ officeId: office.officeId, received: own.received, resolved: own.resolved, open: own.open, satisfaction: own.satisfaction });
    }
    expect(perOffice[0]).toMatchObject({ received: { total: 6 }, resolved: { early: 1, onTime: 1, late: 2 } });
  });
});

describe('dossier statistics over time', () => {
  it('counts the same November by Vietnam day, weekday and hour, with every empty day listed', async () => {
    const series = await dossierSeries(assistant.database.db, { from: '2026-11-01', to: '2026-11-30', officeId: 1 });
    expect(series.bucket).toBe('day');
    expect(series.received.map((r) => r.bucket)).toEqual(bucketsOf('2026-11-01', '2026-11-30', 'day'));
    const busy = series.received.filter((r) => r.online + r.counter > 0);
    // A (23:30 on 31/10) is October's; B (00:30 on 1/11) and E (23:59 on 30/11) are November's.
    expect(busy).toEqual([
      { bucket: '2026-11-01', online: 0, counter: 1 },
      { bucket: '2026-11-05', online: 1, counter: 0 },
      { bucket: '2026-11-10', online: 1, counter: 0 },
      { bucket: '2026-11-12', online: 0, counter: 1 },
      { bucket: '2026-11-20', online: 0, counter: 1 },
      { bucket: '2026-11-30', online: 1, counter: 0 },
    ]);
    // Monday first: E on Monday 30/11, C Tuesday, K and D Thursday, J Friday, B Sunday.
    expect(series.weekdays).toEqual([1, 1, 0, 2, 1, 0, 1]);
    expect(series.hours.flatMap((n, h) => (n ? [[h, n]] : []))).toEqual([
      [0, 1],
      [8, 1],
      [9, 3],
      [23, 1],
    ]);
    // B's 5 on 4/11 and D's 2 on 15/11; C's rating on 1/12 and H's on 31/10 fall outside.
    expect(series.ratings.distribution).toEqual([0, 1, 0, 0, 1]);
    expect(series.ratings.trend.filter((r) => r.count)).toEqual([
      { bucket: '2026-11-04', count: 1, average: 5 },
      { bucket: '2026-11-15', count: 1, average: 2 },
    ]);
    expect(series.ratings.trend.find((r) => r.bucket === '2026-11-05')).toEqual({ bucket: '2026-11-05', count: 0, average: null });
  });

  it('goes month by month past 62 days, and its sums agree with dossierStats for any office filter', async () => {
    for (const officeId of [1, 2, undefined]) {
      const query = { from: '2026-09-15', to: '2026-12-31', officeId };
      const [series, stats] = await Promise.all([dossierSeries(assistant.database.db, query), dossierStats(assistant.database.db, query, NOW)]);
      expect(series.bucket).toBe('month');
      expect(series.received.map((r) => r.bucket)).toEqual(['2026-09', '2026-10', '2026-11', '2026-12']);
      const sum = (pick: (r: { online: number; counter: number }) => number) => series.received.reduce((n, r) => n + pick(r), 0);
      expect([sum((r) => r.online), sum((r) => r.counter)]).toEqual([stats.received.online, stats.received.counter]);
      expect(series.weekdays.reduce((a, b) => a + b, 0)).toBe(stats.received.total);
      expect(series.hours.reduce((a, b) => a + b, 0)).toBe(stats.received.total);
      expect(series.ratings.distribution.reduce((a, b) => a + b, 0)).toBe(stats.satisfaction.count);
    }
  });
});

describe('chat usage', () => {
  it('counts messages, chats and citizens by Vietnam day, and the questions left unanswered', async () => {
    const usage = await chatUsage(assistant.database.db, '2026-11-01', '2026-11-30');
    expect(usage).toMatchObject({ messages: 6, chats: 2, distinctCitizens: 1 });
    expect(usage.topUnanswered).toEqual([
      { query: 'giay phep lai xe', count: 3 },
      { query: 'ket hon voi nguoi nuoc ngoai', count: 1 },
    ]);
  });

  it('records a message at 00:30 on 1 December on the 1st, not on 30 November', async () => {
    assistant.clock.set(vn(2026, 12, 1, 0, 30));
    await assistant.dialog.handle({ channel: 'web', externalId: 'stats-midnight', message: { kind: 'text', text: 'menu' } });
    const chat = await findIdentity(assistant.database.db, 'web', 'stats-midnight');
    const november = await chatUsage(assistant.database.db, '2026-11-30', '2026-11-30');
    const december = await chatUsage(assistant.database.db, '2026-12-01', '2026-12-01');
    expect(chat).not.toBeNull();
    expect(november.messages).toBe(4);
    expect(december.messages).toBe(2);
  });
});

describe('GET /api/v1/stats', () => {
  it('answers officials with the figures and keeps an office-bound official to their office', async () => {
    const { db } = assistant.database;
    const official = await createTestToken(db, 'official');
    const res = await callApi(assistant.app, 'GET', '/api/v1/stats?from=2026-11-01&to=2026-11-30&office=1', official);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      period: { from: '2026-11-01', to: '2026-11-30', start: '2026-10-31T17:00:00.000Z', end: '2026-11-30T17:00:00.000Z' },
      received: { total: 6 },
      chat: { messages: 6 },
    });
    const bound = await createTestToken(db, 'official', { officeId: 2 });
    expect((await callApi(assistant.app, 'GET', '/api/v1/stats?from=2026-11-01&to=2026-11-30&office=1', bound)).status).toBe(403);
    const own = await callApi(assistant.app, 'GET', '/api/v1/stats?from=2026-11-01&to=2026-11-30', bound);
    expect(own.body).toMatchObject({ received: { total: 1 } });
    expect(own.body).not.toHaveProperty('byOffice');
  });

  it('gives a provincial official the table by office, adding up to the province', async () => {
    const official = await createTestToken(assistant.database.db, 'official');
    const res = await callApi(assistant.app, 'GET', '/api/v1/stats?from=2026-11-01&to=2026-11-30', official);
    const body = res.body as { received: { total: number }; byOffice: { officeId: number; received: { total: number } }[] };
    expect(body.byOffice.map((o) => o.officeId)).toEqual([1, 2]);
    expect(body.byOffice.reduce((n, o) => n + o.received.total, 0)).toBe(body.received.total);
    const one = await callApi(assistant.app, 'GET', '/api/v1/stats?from=2026-11-01&to=2026-11-30&office=2', official);
    expect(one.body).toMatchObject({ received: { total: 1 } });
    expect(one.body).not.toHaveProperty('byOffice');
  });

  it.each([
    ['to before from', '?from=2026-11-30&to=2026-11-01', 'to'],
    ['a missing date', '?from=2026-11-01', 'to'],
    ['an impossible date', '?from=2026-11-31&to=2026-12-01', 'from'],
  ])('refuses %s with a 400 naming the parameter', async (_name, query, field) => {
    const admin = await createTestToken(assistant.database.db, 'admin');
    const res = await callApi(assistant.app, 'GET', `/api/v1/stats${query}`, admin);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(field);
  });
});
