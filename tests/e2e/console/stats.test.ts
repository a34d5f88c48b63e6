import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { searchLog } from '../../../db/schema';
import { localTime } from '../../../lib/vn-time';
import { seedDemo } from '../../../scripts/seed-demo';
import { callApi } from '../../support/api';
import { createStaffAccount, describeInBrowser, expectAccessible, screenshots, signInWithBrowser, useBrowserRig } from '../../support/console';
import { createTestToken } from '../../support/tokens';

const NOW = new Date('2026-11-20T08:00:00Z'); // Friday 20 November 2026, 15:00 in Vietnam

type Figures = {
  received: { total: number; online: number; counter: number };
  resolved: { total: number; early: number; onTime: number; late: number };
  open: { total: number; overdue: number };
  satisfaction: { count: number; average: number | null };
};
type ApiStats = Figures & { byField: (Figures & { field: string | null })[]; chat: { topUnanswered: { query: string; count: number }[] } };

const whole = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const share = (r: Figures['resolved']) => (r.total ? `${oneDecimal.format(((r.early + r.onTime) / r.total) * 100)} %` : '—');
const average = (s: Figures['satisfaction']) => (s.average === null ? '—' : twoDecimals.format(s.average));
/** A field's row (or the total) as the dashboard prints it, column by column. */
const row = (f: Figures) => ({
  received: whole.format(f.received.total),
  online: whole.format(f.received.online),
  counter: whole.format(f.received.counter),
  resolved: whole.format(f.resolved.total),
  early: whole.format(f.resolved.early),
  onTime: whole.format(f.resolved.onTime),
  late: whole.format(f.resolved.late),
  onTimeShare: share(f.resolved),
  open: whole.format(f.open.total),
  overdue: whole.format(f.open.overdue),
  ratings: whole.format(f.satisfaction.count),
  average: average(f.satisfaction),
});

const rig = useBrowserRig();
let token: string;

/** What the page shows: the headline figures and the by-field table, read from the DOM. */
async function readDashboard(page: Page) {
  const headline = Object.fromEntries(
    await page
      .locator('[data-figure]')
      .evaluateAll((items) => items.map((li) => [li.getAttribute('data-figure'), li.querySelector('.figure')?.textContent ?? ''])),
  );
  const table = async (selector: string) =>
    page
      .locator(selector)
      .evaluateAll((rows) =>
        rows.map((tr) => [
          tr.querySelector('th')?.textContent ?? '',
          Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.getAttribute('data-column'), td.textContent ?? ''])),
        ]),
      );
  return { headline, fields: await table('#fields-table tbody tr'), total: (await table('#fields-table tfoot tr'))[0] };
}

/** The API's figures as the page should print them. */
function expected(api: ApiStats) {
  return {
    headline: {
      received: whole.format(api.received.total),
      resolved: whole.format(api.resolved.total),
      'on-time': share(api.resolved),
      overdue: whole.format(api.open.overdue),
      satisfaction: average(api.satisfaction),
    },
    fields: api.byField.map((f) => [f.field ?? 'Chưa phân lĩnh vực', row(f)]),
    total: ['Tổng cộng', row(api)],
  };
}

const apiStats = async (from: string, to: string) => {
  const res = await callApi(rig.assistant.app, 'GET', `/api/v1/stats?from=${from}&to=${to}`, token);
  expect(res.status).toBe(200);
  return res.body as ApiStats;
};

describeInBrowser('the statistics dashboard in a real browser', () => {
  beforeAll(async () => {
    rig.assistant.clock.set(NOW);
    const { db } = rig.assistant.database;
    // The demo generator (npm run seed:demo) for the last 30 days: about 700 dossiers with timelines and ratings.
    const seeded = await seedDemo(db, NOW, { days: 30 });
    expect(seeded.dossiers).toBeGreaterThan(300);
    const asked = (query: string, day: number) => ({ query, folded: query.toLowerCase(), channel: 'web', at: localTime(2026, 11, day, 9) });
    await db.insert(searchLog).values([asked('Đổi bằng lái xe', 3), asked('Đổi bằng lái xe', 9), asked('Cấp thẻ BHYT', 12)]);
    await createStaffAccount(db, { username: 'lanh-dao', role: 'official', officeId: 1, name: 'Trần Thị Lãnh Đạo' });
    // The API as the province's software reads it, with the same office as the official.
    token = await createTestToken(db, 'official', { officeId: 1 });
  });

  it('shows the same figures as GET /api/v1/stats, this month by day and this year by month', async () => {
    const page = await (await rig.browser.newContext()).newPage();
    await signInWithBrowser(page, rig.server.base, 'lanh-dao');
    await page.getByRole('link', { name: 'Thống kê' }).click();
    await page.waitForURL('**/console/stats');
    expect(await page.locator('#stats-scope').textContent()).toContain('từ 01/11/2026 đến 20/11/2026');

    const month = await apiStats('2026-11-01', '2026-11-20');
    expect(month.received.total).toBeGreaterThan(200);
    expect(await readDashboard(page)).toEqual(expected(month));
    // The day-by-day table adds up to the API's online and counter figures.
    const days = await page
      .locator('#received-table tbody tr')
      .evaluateAll((rows) => rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent))));
    expect(days).toHaveLength(20);
    expect([days.reduce((n, d) => n + (d[0] ?? 0), 0), days.reduce((n, d) => n + (d[1] ?? 0), 0)]).toEqual([month.received.online, month.received.counter]);
    // The questions the catalog could not answer, most asked first.
    expect(await page.locator('#unanswered-table tbody th').allTextContents()).toEqual(month.chat.topUnanswered.map((q) => q.query));
    expect(month.chat.topUnanswered[0]).toEqual({ query: 'Đổi bằng lái xe', count: 2 });
    // Every chart is drawn (at desktop and at phone width, one shown), named for screen readers, with its table beside it.
    for (const id of ['received', 'fields', 'ratings', 'trend', 'weekdays', 'hours']) {
      const titles = await page.locator(`#${id} svg[role="img"] > title`).allTextContents();
      expect(titles).toHaveLength(2);
      expect(titles[0]).toMatch(/^Biểu đồ/);
      expect(await page.locator(`#${id} svg[role="img"]`).evaluateAll((svgs) => svgs.map((svg) => svg.getBoundingClientRect().width > 0))).toEqual([
        true,
        false,
      ]);
      expect(await page.locator(`#${id} details table`).count()).toBe(1);
    }
    await expectAccessible(page);
    await page.locator('#fields summary').click();
    await screenshots(page, 'stats');

    await page.getByRole('link', { name: 'Năm nay' }).click();
    await page.waitForURL('**/console/stats?from=2026-01-01&to=2026-11-20');
    expect(await readDashboard(page)).toEqual(expected(await apiStats('2026-01-01', '2026-11-20')));
    expect(await page.locator('#received-table tbody th').allTextContents()).toHaveLength(11); // January to November
    await expectAccessible(page);
    await screenshots(page, 'stats-year');
  });

  it('prints the monthly report without the console around it, and names a wrong period', async () => {
    const page = await (await rig.browser.newContext()).newPage();
    await signInWithBrowser(page, rig.server.base, 'lanh-dao');
    await page.goto(`${rig.server.base}/console/stats?from=2026-10-01&to=2026-10-31`);
    await page.getByRole('link', { name: 'Bản in báo cáo' }).click();
    await page.waitForURL('**print=1');
    expect(await page.locator('nav').count()).toBe(0);
    expect(await page.locator('h1').textContent()).toBe('Báo cáo kết quả tiếp nhận và giải quyết hồ sơ');
    expect(await readDashboard(page)).toEqual(expected(await apiStats('2026-10-01', '2026-10-31')));
    expect(await page.locator('#fields-table').isVisible()).toBe(true);
    await expectAccessible(page);
    await screenshots(page, 'stats-print');
    // As the printer gets it: A4 width, print styles.
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.screenshot({ path: 'test-results/console/stats-print-a4.png', fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    await page.goto(`${rig.server.base}/console/stats?from=2026-11-30&to=2026-11-01`);
    expect(await page.locator('.error-summary').textContent()).toContain('Ngày kết thúc phải bằng hoặc sau ngày bắt đầu');
    expect(await page.locator('[data-figure]').count()).toBe(0);
    await expectAccessible(page);
    await screenshots(page, 'stats-error');
  });
});
