import { asc, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { procedures } from '../../../db/schema';
import { sha256Hex } from '../../../lib/crypto';
import type { Procedure } from '../../../vocabulary/procedure';
import { createStaffAccount, describeInBrowser, expectAccessible, screenshots, signInWithBrowser, useBrowserRig } from '../../support/console';

const rig = useBrowserRig();
const BIRTH = '1.001193';

/** What the web chat answers a citizen (a new chat each time). */
async function chat(text: string): Promise<string> {
  const res = await fetch(`${rig.server.base}/chat/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text }),
  });
  const body = (await res.json()) as { replies: { text: string }[] };
  return body.replies.map((r) => r.text).join('\n');
}

const catalogHash = async () =>
  sha256Hex(JSON.stringify(await rig.assistant.database.db.select({ data: procedures.data }).from(procedures).orderBy(asc(procedures.code))));
const stored = async (code: string) => (await rig.assistant.database.db.select().from(procedures).where(eq(procedures.code, code)))[0]?.data as Procedure;

async function look(page: Page, name: string) {
  await expectAccessible(page);
  await screenshots(page, name);
}

describeInBrowser('the catalog and offices in a real browser', () => {
  beforeAll(async () => {
    await createStaffAccount(rig.assistant.database.db, { username: 'quantri', role: 'admin', name: 'Lê Quản Trị' });
  });

  it('edits a fee that the chat then answers with, after a mistake that saves nothing', async () => {
    const page = await rig.browser.newPage();
    await signInWithBrowser(page, rig.server.base, 'quantri');
    await page.getByRole('link', { name: 'Thủ tục', exact: true }).click();
    await page.waitForURL('**/console/catalog');
    await look(page, 'catalog');

    // Found without accents.
    await page.getByLabel('Tìm theo mã hoặc tên thủ tục').fill('dang ky khai sinh');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await expect.poll(() => page.locator('[role=status]').textContent()).toMatch(/Tìm thấy \d+ thủ tục/);
    await look(page, 'catalog-search');
    await page.getByRole('link', { name: BIRTH }).click();
    await page.waitForURL(`**/console/catalog/${BIRTH}`);
    expect(await page.locator('.source-note a', { hasText: 'Cổng Dịch vụ công quốc gia' }).first().getAttribute('href')).toMatch(
      /^https:\/\/dichvucong\.gov\.vn\//,
    );
    await look(page, 'catalog-procedure');

    expect(await chat('lệ phí đăng ký khai sinh')).toContain('Miễn phí');
    const before = await catalogHash();
    const direct = (await page.locator('input[name$="-channel"][value="Trực tiếp"]').getAttribute('name'))?.replace(/-channel$/, '');
    await page.locator(`#${direct}-fee`).fill('12.000 đồng');
    await page.getByLabel('Tên thủ tục (nguyên văn)').fill('');
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('Tên thủ tục (nguyên văn): cần ít nhất 3 ký tự.');
    expect(await catalogHash()).toBe(before);
    // The clerk's other change is still in the form.
    expect(await page.locator(`#${direct}-fee`).inputValue()).toBe('12.000 đồng');
    await look(page, 'catalog-procedure-error');

    await page.getByLabel('Tên thủ tục (nguyên văn)').fill('Thủ tục đăng ký khai sinh');
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await page.waitForURL(`**/console/catalog/${BIRTH}?done=saved`);
    await expect.poll(() => page.locator('.notice').textContent()).toContain('Đã lưu');
    expect((await stored(BIRTH)).feeStatus).toBe('office');
    const answer = await chat('lệ phí đăng ký khai sinh');
    expect(answer).toContain('12.000');

    // Deleting asks first.
    await page.getByRole('link', { name: 'Xóa thủ tục này' }).click();
    await page.waitForURL(`**/console/catalog/${BIRTH}/delete`);
    await look(page, 'catalog-delete');
    await page.getByRole('link', { name: 'Không xóa, quay lại' }).click();
    expect(await stored(BIRTH)).toBeDefined();
    await page.close();
  });

  it('shows every bad record of an import before writing anything, then imports a good file', async () => {
    const page = await rig.browser.newPage();
    await signInWithBrowser(page, rig.server.base, 'quantri');
    await page.goto(`${rig.server.base}/console/catalog/import`);
    await look(page, 'catalog-import');
    const exported = (await (await page.request.get(`${rig.server.base}/console/catalog/export?format=json`)).json()) as Procedure[];
    const before = await catalogHash();

    const bad = exported.map((p, i) => (i === 2 ? { ...p, feeStatus: 'guessed' } : i === 7 ? { ...p, onlineUrl: 'dichvucong.gov.vn' } : p));
    await page
      .getByLabel('Tệp danh mục (JSON hoặc CSV)')
      .setInputFiles({ name: 'danh-muc.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    await page.getByRole('button', { name: 'Kiểm tra và xem trước' }).click();
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('Tệp có 2 lỗi, chưa có gì thay đổi');
    const rows = await page.locator('#problems tbody tr').allTextContents();
    expect(rows).toEqual([
      expect.stringMatching(/^3Nguồn của phí, lệ phívui lòng chọn/),
      expect.stringMatching(/^8Địa chỉ nộp trực tuyếncần một địa chỉ bắt đầu bằng https:\/\//),
    ]);
    expect(await catalogHash()).toBe(before);
    await look(page, 'catalog-import-error');

    const good = exported.map((p) => (p.code === '1.001193' ? { ...p, shortName: 'Khai sinh cho con' } : p));
    await page
      .getByLabel('Tệp danh mục (JSON hoặc CSV)')
      .setInputFiles({ name: 'danh-muc.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(good)) });
    await page.getByRole('button', { name: 'Kiểm tra và xem trước' }).click();
    await expect.poll(() => page.locator('.summary').textContent()).toContain(`Thay đổi (1)${BIRTH}`);
    expect(await catalogHash()).toBe(before);
    await look(page, 'catalog-import-preview');
    await page.getByRole('button', { name: `Thay danh mục bằng ${exported.length} thủ tục này` }).click();
    await page.waitForURL('**/console/catalog?done=imported*');
    await expect.poll(() => page.locator('.notice').textContent()).toContain(`${exported.length} thủ tục`);
    expect((await stored(BIRTH)).shortName).toBe('Khai sinh cho con');
    await page.close();
  });

  it('changes an office’s hours that the chat then gives, and prints a QR sheet for the counter', async () => {
    const page = await rig.browser.newPage();
    await signInWithBrowser(page, rig.server.base, 'quantri');
    await page.getByRole('link', { name: 'Văn phòng', exact: true }).click();
    await page.waitForURL('**/console/offices');
    await look(page, 'offices');
    await page.locator('table a').first().click();
    await page.waitForURL('**/console/offices/1');
    await look(page, 'office');

    await page.getByLabel('Các ngày nghỉ lễ, Tết và ngày nghỉ riêng').fill('01/01/2027 Tết Dương lịch\nnghỉ bù');
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('Ngày nghỉ, dòng 2');
    await look(page, 'office-error');

    await page.getByLabel('Các ngày nghỉ lễ, Tết và ngày nghỉ riêng').fill('01/01/2027 Tết Dương lịch');
    await page.getByLabel('Giờ làm việc').fill('Thứ Hai – Thứ Sáu 7:00–11:00, 13:00–16:30');
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await page.waitForURL('**/console/offices/1?done=saved');
    expect(await chat('mấy giờ mở cửa')).toContain('Thứ Hai – Thứ Sáu 7:00–11:00, 13:00–16:30');
    expect(await chat('thứ 7 có làm việc không')).toContain('01/01/2027 (Tết Dương lịch)');

    await page.goto(`${rig.server.base}/console/catalog/posters`);
    await look(page, 'catalog-posters');
    await page
      .getByRole('button', { name: /In tờ mã QR/ })
      .first()
      .click();
    await page.waitForURL('**/console/catalog/posters/sheet?*');
    const images = page.locator('.qr-sheet img');
    expect(await images.count()).toBeGreaterThan(0);
    await expect.poll(() => images.first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await look(page, 'catalog-qr-sheet');
    await page.close();
  });
});
