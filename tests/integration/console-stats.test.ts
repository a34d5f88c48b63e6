import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossiers, feedback, searchLog } from '../../db/schema';
import { dossierStats } from '../../domain/dossiers/stats';
import { localTime } from '../../lib/vn-time';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { seedOffice } from '../support/certification';
import { type ConsoleClient, consoleClient, createStaffAccount, signInWithHttp } from '../support/console';

const vn = (d: number, h = 9, mo = 11) => localTime(2026, mo, d, h);
const NOW = vn(23, 10); // Monday 23 November 2026, 10:00 in Vietnam

let assistant: TestAssistant;
let officeA: number;
let officeB: number;
let officialA: ConsoleClient;
let admin: ConsoleClient;

/** A dossier of November with how it went; a rating when given. */
type Row = { office: () => number; field: string; channel: 'online' | 'counter'; received: Date; due: Date; resolved?: Date; rating?: number };
const ROWS: Row[] = [
  { office: () => officeA, field: 'Hộ tịch', channel: 'online', received: vn(2), due: vn(4, 17), resolved: vn(3), rating: 5 },
  { office: () => officeA, field: 'Hộ tịch', channel: 'counter', received: vn(2), due: vn(4, 17), resolved: vn(4, 16), rating: 4 },
  { office: () => officeA, field: 'Chứng thực', channel: 'counter', received: vn(10), due: vn(10, 17), resolved: vn(11), rating: 2 },
  { office: () => officeA, field: 'Chứng thực', channel: 'counter', received: vn(18), due: vn(19, 17) },
  { office: () => officeB, field: 'Hộ tịch', channel: 'online', received: vn(5), due: vn(6, 17), resolved: vn(6, 10), rating: 5 },
  { office: () => officeB, field: 'Đất đai', channel: 'counter', received: vn(20), due: vn(30, 17) },
  // October: outside the month.
  { office: () => officeA, field: 'Hộ tịch', channel: 'online', received: vn(30, 9, 10), due: vn(31, 17, 10), resolved: vn(31, 9, 10) },
];

beforeAll(async () => {
  assistant = await createTestAssistant();
  assistant.clock.set(NOW);
  const { db } = assistant.database;
  officeA = await seedOffice(db, 'UBND phường A');
  officeB = await seedOffice(db, 'UBND phường B');
  let n = 0;
  for (const r of ROWS) {
    const [row] = await db
      .insert(dossiers)
      .values({
        receiptCode: `CS-${++n}`,
        procedureCode: '1.001193',
        field: r.field,
        officeId: r.office(),
        applicantName: 'Nguyễn Văn An',
        applicantPhone: '+84912345678',
        channel: r.channel,
        receivedAt: r.received,
        dueAt: r.due,
        status: r.resolved ? 'returned' : 'processing',
        resolvedAt: r.resolved ?? null,
        createdAt: r.received,
        updatedAt: r.resolved ?? r.received,
      })
      .returning();
    if (row && r.rating && r.resolved)
      await db.insert(feedback).values({ dossierId: row.id, officeId: row.officeId, field: r.field, rating: r.rating, createdAt: r.resolved });
  }
  await db.insert(searchLog).values([
    { query: 'đổi bằng lái xe', folded: 'doi bang lai xe', channel: 'web', at: vn(12) },
    { query: 'doi bang lai xe', folded: 'doi bang lai xe', channel: 'telegram', at: vn(13) },
    { query: '=HYPERLINK("http://x.example","giấy tờ")', folded: 'hyperlink', channel: 'web', at: vn(14) },
  ]);
  await createStaffAccount(db, { username: 'ld-a', role: 'official', officeId: officeA });
  await createStaffAccount(db, { username: 'quan-tri', role: 'admin', officeId: null });
  await createStaffAccount(db, { username: 'cb-a', role: 'staff', officeId: officeA });
  officialA = await signInWithHttp(assistant.app, 'ld-a');
  admin = await signInWithHttp(assistant.app, 'quan-tri');
});
afterAll(() => assistant?.close());

const MONTH = 'from=2026-11-01&to=2026-11-30';
/** The headline figure with the given data-figure name, as the page prints it. */
const headline = (html: string, name: string) => new RegExp(`data-figure="${name}"><span class="figure">([^<]*)</span>`).exec(html)?.[1];
const csvOf = async (client: ConsoleClient, query: string) => {
  const res = await client.get(`/console/stats.csv?${query}`);
  expect(res.status).toBe(200);
  return parse((await res.text()).replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true }) as string[][];
};
/** The "Tổng cộng" row of the by-field block: received, online, counter, resolved, early, on time, late, share, open, overdue, ratings, average. */
const totals = (rows: string[][]) => rows.find((r) => r[0] === 'Tổng cộng' && r.length === 13)?.slice(1);

describe('console statistics: who may see what', () => {
  it('sends a signed-out visitor to sign in, for the page and the CSV', async () => {
    for (const path of ['/console/stats', `/console/stats.csv?${MONTH}`]) {
      const res = await consoleClient(assistant.app, null).get(path);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toMatch(/^\/console\/sign-in\?next=/);
    }
  });

  it('refuses counter staff (403), page and CSV', async () => {
    const staff = await signInWithHttp(assistant.app, 'cb-a');
    for (const path of ['/console/stats', `/console/stats.csv?${MONTH}`]) {
      const res = await staff.get(path);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('Không có quyền truy cập');
    }
  });

  it('keeps an official to their own office: another office in the query is refused, in the page and the CSV', async () => {
    const own = await officialA.get(`/console/stats?${MONTH}`);
    expect(own.status).toBe(200);
    const html = await own.text();
    expect(html).toContain('UBND phường A · từ 01/11/2026 đến 30/11/2026');
    expect(html).not.toContain('<select id="office"');
    expect(headline(html, 'received')).toBe('4');
    for (const path of [`/console/stats?${MONTH}&office=${officeB}`, `/console/stats?${MONTH}&office=all`, `/console/stats.csv?${MONTH}&office=${officeB}`]) {
      const res = await officialA.get(path);
      expect([path, res.status]).toEqual([path, 403]);
      const page = await res.text();
      expect(page).toContain('chỉ xem được số liệu của đơn vị mình');
      expect(page).not.toContain('UBND phường B');
    }
  });

  it('lets a province-wide admin choose every office or one', async () => {
    const all = await (await admin.get(`/console/stats?${MONTH}`)).text();
    expect(all).toContain('<select id="office"');
    expect(headline(all, 'received')).toBe('6');
    const b = await (await admin.get(`/console/stats?${MONTH}&office=${officeB}`)).text();
    expect(headline(b, 'received')).toBe('2');
    expect(b).toContain('UBND phường B · từ 01/11/2026');
    expect(b).not.toContain('id="offices-table"');
  });

  it('shows a provincial official every office in one table that adds up to the province, each linking to its office', async () => {
    await createStaffAccount(assistant.database.db, { username: 'ld-tinh', role: 'official', officeId: null });
    const province = await signInWithHttp(assistant.app, 'ld-tinh');
    const html = await (await province.get(`/console/stats?${MONTH}`)).text();
    expect(html).toContain('id="offices-table"');
    const received = (office: number) =>
      new RegExp(`data-office="${office}">.*?data-column="received">([^<]*)<`, 's').exec(html.slice(html.indexOf('id="offices-table"')))?.[1];
    expect([received(officeA), received(officeB)]).toEqual(['4', '2']);
    expect(headline(html, 'received')).toBe('6');
    expect(html).toContain(`href="?from=2026-11-01&amp;to=2026-11-30&amp;office=${officeA}"`);
    const own = await (await officialA.get(`/console/stats?${MONTH}`)).text();
    expect(own).not.toContain('id="offices-table"');
    const rows = await csvOf(province, MONTH);
    const officeHeader = rows.findIndex((r) => r[0] === 'Đơn vị' && r[1] === 'Tiếp nhận');
    expect(rows.slice(officeHeader + 1, officeHeader + 3).map((r) => [r[0], r[1]])).toEqual([
      ['UBND phường A', '4'],
      ['UBND phường B', '2'],
    ]);
  });
});

describe('console statistics: the period', () => {
  it('shows this month up to today when no period is given', async () => {
    const html = await (await officialA.get('/console/stats')).text();
    expect(html).toContain('từ 01/11/2026 đến 23/11/2026');
    expect(html).toContain('value="2026-11-01"');
    expect(html).toContain('value="2026-11-23"');
  });

  it.each([
    ['an impossible day', 'from=2026-11-31&to=2026-12-01', 'Ngày chưa đúng'],
    ['not a date', 'from=hom-qua&to=2026-12-01', 'Ngày chưa đúng'],
    ['the end before the start', 'from=2026-11-30&to=2026-11-01', 'Ngày kết thúc phải bằng hoặc sau ngày bắt đầu'],
    ['a missing end', 'from=2026-11-01&to=', 'Vui lòng nhập ngày kết thúc'],
    ['a period of ten years', 'from=2016-01-01&to=2026-01-01', 'không quá 5 năm'],
    ['an office that does not exist', `${MONTH}&office=999`, 'Vui lòng chọn một đơn vị trong danh sách'],
  ])('answers %s with the form again and the problem named (400)', async (_name, query, message) => {
    const res = await admin.get(`/console/stats?${query}`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('class="error-summary"');
    expect(html).toContain(message);
    expect(html).not.toContain('data-figure=');
    expect((await admin.get(`/console/stats.csv?${query}`)).status).toBe(400);
  });
});

describe('console statistics: the figures', () => {
  it('exports the month as a CSV attachment Excel reads as UTF-8, with the figures of dossierStats', async () => {
    const res = await officialA.get(`/console/stats.csv?${MONTH}`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="so-lieu-don-vi-${officeA}-2026-11-01-2026-11-30.csv"`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

    const rows = await csvOf(officialA, MONTH);
    expect(rows[1]).toEqual(['Đơn vị', 'UBND phường A']);
    const stats = await dossierStats(assistant.database.db, { from: '2026-11-01', to: '2026-11-30', officeId: officeA }, NOW);
    const { received, resolved, open, satisfaction } = stats;
    // Hộ tịch: one early, one on time; Chứng thực: one late, one still open (due 19/11: overdue).
    expect([received.total, resolved.early, resolved.onTime, resolved.late, open.total, open.overdue]).toEqual([4, 1, 1, 1, 1, 1]);
    expect(totals(rows)).toEqual(
      [
        received.total,
        received.online,
        received.counter,
        resolved.total,
        resolved.early,
        resolved.onTime,
        resolved.late,
        66.7,
        open.total,
        open.overdue,
        satisfaction.count,
        satisfaction.average,
      ].map(String),
    );
    expect(rows.find((r) => r[0] === 'Hộ tịch')?.slice(1, 8)).toEqual(['2', '1', '1', '2', '1', '1', '0']);
    // Day by day: 2 on the 2nd, 1 on the 10th, 1 on the 18th; the 30 days all listed.
    const days = rows.filter((r) => /^2026-11-\d\d$/.test(r[0] ?? ''));
    expect(days).toHaveLength(30);
    expect(days.find((r) => r[0] === '2026-11-02')?.slice(1, 4)).toEqual(['1', '1', '2']);
    expect(rows.find((r) => r[0] === 'doi bang lai xe' || r[0] === 'đổi bằng lái xe')?.[1]).toBe('2');
    // A question typed as a formula stays text in a spreadsheet.
    expect(rows.find((r) => r[0]?.includes('HYPERLINK'))?.[0]).toBe('\'=HYPERLINK("http://x.example","giấy tờ")');
  });

  it('has the offices’ figures add up to the province’s', async () => {
    const [a, b, all] = await Promise.all([csvOf(admin, `${MONTH}&office=${officeA}`), csvOf(admin, `${MONTH}&office=${officeB}`), csvOf(admin, MONTH)]);
    const additive = [0, 1, 2, 3, 4, 5, 6, 8, 9, 10]; // every count (not the shares and averages)
    const sum = additive.map((i) => Number(totals(a)?.[i]) + Number(totals(b)?.[i]));
    expect(sum).toEqual(additive.map((i) => Number(totals(all)?.[i])));
    expect(Number(totals(all)?.[0])).toBe(6);
  });

  it('prints the month without the console around it, every table open', async () => {
    const res = await officialA.get(`/console/stats?${MONTH}&print=1`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain('class="nav"');
    expect(html).not.toContain('Đăng xuất');
    expect(html).toContain('Báo cáo kết quả tiếp nhận và giải quyết hồ sơ');
    expect(html.match(/<details open/g)?.length).toBe(html.match(/<details/g)?.length);
    expect(headline(html, 'received')).toBe('4');
  });

  it('speaks English to a clerk who chose it, every text translated', async () => {
    for (const path of [`/console/stats?${MONTH}`, `/console/stats?${MONTH}&print=1`, '/console/stats?from=2026-11-30&to=2026-11-01']) {
      const res = await assistant.app.request(path, { headers: { cookie: `${admin.cookie}; mc_console_lang=en` } });
      const html = await res.text();
      expect(html).toContain('lang="en"');
      expect(html).not.toMatch(/>\s*(stats|common)\.[a-zA-Z.]+\s*</);
      expect(html).not.toMatch(/"(stats|common)\.[a-zA-Z.]+"/);
    }
    const rows = parse(
      (await (await assistant.app.request(`/console/stats.csv?${MONTH}`, { headers: { cookie: `${admin.cookie}; mc_console_lang=en` } })).text()).replace(
        /^\uFEFF/,
        '',
      ),
      { relax_column_count: true },
    ) as string[][];
    expect(rows.find((r) => r[0] === 'Total' && r.length === 13)?.[1]).toBe('6');
    expect(rows.find((r) => r[0] === 'Monday')).toBeDefined();
  });

  it('says there are no figures for an empty period instead of drawing empty charts', async () => {
    const html = await (await officialA.get('/console/stats?from=2025-01-01&to=2025-01-31')).text();
    expect(headline(html, 'received')).toBe('0');
    expect(headline(html, 'on-time')).toBe('—');
    expect(html).toContain('Chưa có số liệu trong khoảng thời gian này.');
    expect(html).not.toContain('<svg class="chart-svg"');
    expect(html).not.toContain('NaN');
  });
});
