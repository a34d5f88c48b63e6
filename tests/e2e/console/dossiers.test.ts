import { and, eq, like } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { dossiers, identities, outbox } from '../../../db/schema';
import { linkVerifiedPhone } from '../../../domain/people/citizens';
import { TEST_START } from '../../support/clock';
import { createStaffAccount, describeInBrowser, expectAccessible, screenshots, signInWithBrowser, useBrowserRig } from '../../support/console';
import { registerCsv } from '../../support/dossier-register';

const rig = useBrowserRig();

const LAN = 'H19.22-231126-0001';
const BINH = 'H19.22-231126-0002';

describeInBrowser('console dossiers in a real browser', () => {
  beforeAll(async () => {
    rig.assistant.clock.set(TEST_START); // 08:00 in Vietnam on 23/11/2026
  });

  it('imports a register after fixing its bad row, finds a dossier three ways, and changes its status with a note', async () => {
    const { db } = rig.assistant.database;
    await createStaffAccount(db, { username: 'quay1', role: 'staff', officeId: 1, name: 'Lê Thị Quầy' });
    // The applicant's web chat, linked by a verified phone: status notices are queued for it.
    const [chat] = await db
      .insert(identities)
      .values({ channel: 'web', externalId: 'e2e-dossier-chat', createdAt: rig.assistant.clock.now(), lastSeenAt: rig.assistant.clock.now() })
      .returning();
    if (!chat) throw new Error('no chat');
    await linkVerifiedPhone(db, chat.id, '+84977111222', rig.assistant.clock.now());

    const page = await rig.browser.newPage();
    await signInWithBrowser(page, rig.server.base, 'quay1');
    await page.getByRole('link', { name: 'Hồ sơ', exact: true }).click();
    await page.getByRole('link', { name: 'Nhập sổ theo dõi hồ sơ (CSV)' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Nhập sổ theo dõi hồ sơ');
    await expectAccessible(page);
    await screenshots(page, 'dossiers-import');

    // One bad row: the phone number.
    const bad = registerCsv([
      { code: LAN, name: 'Nguyễn Thị Lan', phone: '0977 111 222' },
      { code: BINH, name: 'Trần Văn Bình', phone: '09771' },
    ]);
    await page.getByLabel('Tệp CSV').setInputFiles({ name: 'so-theo-doi.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await page.getByRole('button', { name: 'Kiểm tra trước khi nhập' }).click();
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('Tệp có 1 lỗi; chưa ghi hồ sơ nào');
    const problem = page.locator('table.problems tbody tr');
    await expect.poll(() => problem.count()).toBe(1);
    expect(await problem.locator('td').nth(0).textContent()).toBe('3');
    expect(await problem.locator('td').nth(1).textContent()).toBe('applicant_phone');
    expect(await problem.locator('td').nth(2).textContent()).toContain('Số điện thoại không đúng');
    // Nothing was written before the clerk fixes the file.
    expect(await db.select().from(dossiers)).toEqual([]);
    await expectAccessible(page);
    await screenshots(page, 'dossiers-import-errors');

    // Fixed in the box the text came back in, and checked again.
    const box = page.getByLabel('Hoặc dán nội dung CSV');
    await box.fill((await box.inputValue()).replace(',09771,', ',0912 000 333,'));
    await page.getByRole('button', { name: 'Kiểm tra trước khi nhập' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Xem trước: 2 hồ sơ sẵn sàng để nhập');
    expect(await db.select().from(dossiers)).toEqual([]);
    await expectAccessible(page);
    await screenshots(page, 'dossiers-import-preview');

    await page.getByRole('button', { name: 'Nhập 2 hồ sơ' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toContain('Đã nhập sổ theo dõi: 2 hồ sơ mới');
    expect((await db.select({ code: dossiers.receiptCode }).from(dossiers).orderBy(dossiers.receiptCode)).map((d) => d.code)).toEqual([LAN, BINH]);
    await expectAccessible(page);
    await screenshots(page, 'dossiers-import-done');

    // Found by name (no accents), by phone (written another way), and by receipt code (straight to it).
    await page.goto(`${rig.server.base}/console/dossiers`);
    await page.getByLabel('Tìm hồ sơ').fill('nguyen thi lan');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    expect(await page.locator('tbody tr td').first().textContent()).toBe(LAN);
    expect(await page.locator('tbody').textContent()).toContain('0977 *** 222');
    await expectAccessible(page);
    await screenshots(page, 'dossiers-search');

    await page.getByLabel('Tìm hồ sơ').fill('+84 977 111 222');
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await expect.poll(() => page.locator('h2').first().textContent()).toContain('0977 *** 222');
    expect(await page.locator('tbody tr td').first().textContent()).toBe(LAN);

    await page.getByLabel('Tìm hồ sơ').fill(LAN.toLowerCase());
    await page.getByRole('button', { name: 'Tìm', exact: true }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe(`Hồ sơ ${LAN}`);
    await expectAccessible(page);
    await screenshots(page, 'dossier');

    // A move that needs details, sent without them: a polite error, nothing changed.
    await page.getByLabel('Cần bổ sung').check();
    await page.getByRole('button', { name: 'Lưu trạng thái' }).click();
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('Vui lòng ghi giấy tờ công dân cần bổ sung');
    const [still] = await db.select({ status: dossiers.status }).from(dossiers).where(eq(dossiers.receiptCode, LAN));
    expect(still?.status).toBe('received');
    await expectAccessible(page);
    await screenshots(page, 'dossier-error');

    // The result is ready: where to collect it only shows once that status is chosen.
    await expect.poll(() => page.getByLabel('Nơi nhận kết quả').isVisible()).toBe(false);
    await page.getByLabel('Có kết quả').check();
    await page.getByLabel('Nơi nhận kết quả').fill('Quầy số 3, UBND phường');
    await page.getByLabel('Ghi chú gửi công dân (không bắt buộc)').fill('Mời chị mang giấy biên nhận khi đến nhận.');
    await page.getByRole('button', { name: 'Lưu trạng thái' }).click();
    await expect.poll(() => page.locator('.notice').textContent()).toContain('Đã gửi thông báo tới 1 kênh trò chuyện của công dân');
    const latest = page.locator('table tbody tr').last();
    expect(await latest.textContent()).toContain('Mời chị mang giấy biên nhận khi đến nhận.');
    expect(await latest.textContent()).toContain('Lê Thị Quầy');
    expect(await latest.textContent()).toContain('Quầy số 3, UBND phường');
    // From "ready" the only move left is "returned".
    expect(await page.locator('input[name="status"]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))).toEqual(['returned']);
    await expectAccessible(page);
    await screenshots(page, 'dossier-updated');

    const notices = await db
      .select({ kind: outbox.kind })
      .from(outbox)
      .where(and(eq(outbox.identityId, chat.id), like(outbox.kind, 'dossier_%')))
      .orderBy(outbox.id);
    expect(notices.map((n) => n.kind)).toEqual(['dossier_received', 'dossier_ready']);
    await page.close();

    // The home page's overdue link, on the dossiers imported above (one story: the tests of a
    // file run in any order, so this step lives with the import it needs).
    await overdueFromHome();
  }, 90_000);

  async function overdueFromHome() {
    const page = await rig.browser.newPage();
    // Three days later Trần Văn Bình's dossier (due 25/11 16:00) is late; Lan's is ready, so not.
    // (Signed in after the clock moves: a session does not last three days.)
    rig.assistant.clock.set(new Date(TEST_START.getTime() + 3 * 24 * 3_600_000));
    try {
      await signInWithBrowser(page, rig.server.base, 'quay1');
      await page.goto(`${rig.server.base}/console`);
      await page.getByRole('link', { name: 'hồ sơ đã quá hạn' }).click();
      await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
      expect(await page.locator('tbody tr td').first().textContent()).toBe(BINH);
      expect(await page.locator('tbody tr').textContent()).toContain('Quá hạn');
      expect(await page.getByLabel('Hạn trả').inputValue()).toBe('overdue');
      await expectAccessible(page);
      await screenshots(page, 'dossiers-overdue');
    } finally {
      rig.assistant.clock.set(TEST_START);
      await page.close();
    }
  }
});
