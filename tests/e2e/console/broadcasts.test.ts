import { beforeAll, expect, it } from 'vitest';
import { identities } from '../../../db/schema';
import { updateSettings, upsertAreas } from '../../../domain/messaging/notification-settings';
import { createStaffAccount, describeInBrowser, expectAccessible, screenshots, signInWithBrowser, useBrowserRig } from '../../support/console';

const rig = useBrowserRig();
const AUDIENCE = 6;

describeInBrowser('announcements in a real browser', () => {
  beforeAll(async () => {
    const db = rig.assistant.database.db;
    const now = rig.assistant.clock.now();
    await upsertAreas(
      db,
      [
        { code: 'ben-thanh', name: 'Phường Bến Thành' },
        { code: 'tan-dinh', name: 'Phường Tân Định' },
      ],
      now,
    );
    // Subscribers of Bến Thành on the web chat, and one of another area who must not get it.
    for (let i = 0; i <= AUDIENCE; i++) {
      const [chat] = await db
        .insert(identities)
        .values({ channel: 'web', externalId: `dan-${i}`, locale: 'vi', createdAt: now, lastSeenAt: now })
        .returning();
      if (!chat) throw new Error('no chat');
      const area = i < AUDIENCE ? 'ben-thanh' : 'tan-dinh';
      await updateSettings(db, { identityId: chat.id, citizenId: null }, () => ({ mutedKinds: [], area, topics: [], stopped: false }), now);
    }
    await createStaffAccount(db, { username: 'lanhdao', role: 'official', name: 'Ngô Lãnh Đạo' });
    rig.assistant.delivery.start(50);
  });

  it('composes with previews and the audience size, test-sends to a chat linked by code, sends, and follows the progress to 100 %', async () => {
    const context = await rig.browser.newContext();
    const page = await context.newPage();
    await signInWithBrowser(page, rig.server.base, 'lanhdao');
    await page.getByRole('link', { name: 'Thông báo' }).click();
    await page.getByRole('link', { name: 'Soạn thông báo mới' }).click();

    // Nothing typed: the form says what is missing.
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('Vui lòng nhập nội dung thông báo');
    await expectAccessible(page);

    const text = 'Thứ Bảy 28/11 bộ phận một cửa làm việc buổi sáng để trả kết quả hồ sơ.';
    await page.getByLabel('Nội dung').fill(text);
    await expect.poll(() => page.locator('[data-count]').first().textContent()).toBe(String(text.length));
    await page.getByLabel('Phường Bến Thành').check();
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await expect.poll(() => page.locator('[data-audience-size]').getAttribute('data-audience-size')).toBe(String(AUDIENCE));
    await expect.poll(() => page.locator('.preview').count()).toBe(3);
    await expectAccessible(page);
    await screenshots(page, 'broadcast-compose');
    await page.getByRole('button', { name: 'Lưu bản nháp' }).click();
    await page.waitForURL(/\/console\/broadcasts\/\d+\?done=saved$/);
    const draftUrl = page.url().replace('?done=saved', '');

    // Link the web chat open in another tab with the code the console shows.
    await page.getByRole('link', { name: 'Liên kết một cuộc trò chuyện' }).click();
    await page.getByRole('button', { name: 'Lấy mã liên kết' }).click();
    const command = (await page.locator('.secret code').textContent()) ?? '';
    expect(command).toMatch(/^\/lienket \d{8}$/);
    await screenshots(page, 'broadcast-link-code');
    const chat = await context.newPage();
    await chat.goto(rig.server.base);
    await expect.poll(() => chat.locator('.msg.bot').first().textContent()).toContain('Xin chào');
    await chat.fill('#text', command);
    await chat.press('#text', 'Enter');
    await expect.poll(() => chat.locator('.msg.bot').last().textContent()).toContain('Đã liên kết cuộc trò chuyện này với tài khoản cán bộ Ngô Lãnh Đạo');

    await page.goto(draftUrl);
    await page.getByRole('button', { name: 'Gửi thử' }).click();
    await page.waitForURL(/done=tested$/);
    await expect.poll(() => chat.locator('.msg.bot').last().textContent(), { timeout: 10_000 }).toContain(text);
    await expectAccessible(page);
    await screenshots(page, 'broadcast-draft');

    await page.getByRole('button', { name: 'Gửi ngay' }).click();
    await page.waitForURL(/done=scheduled$/);
    // The region refreshes itself (every two seconds) until every row is settled.
    await expect.poll(() => page.locator('#progress .label').textContent(), { timeout: 20_000, interval: 500 }).toContain('100%');
    await expect.poll(() => page.locator('#report-title').textContent(), { timeout: 10_000 }).toBe('Báo cáo sau khi gửi');
    expect(await page.locator('[data-figure="sent"]').textContent()).toBe(String(AUDIENCE));
    expect(await page.locator('[data-figure="waiting"]').textContent()).toBe('0');
    // The status and the stop button live in the refreshed region: a finished broadcast offers no stop.
    await expect.poll(() => page.locator('#progress .badge').textContent()).toBe('Đã gửi xong');
    expect(await page.getByRole('button', { name: 'Dừng gửi' }).count()).toBe(0);
    await expectAccessible(page);
    await screenshots(page, 'broadcast-sent');
    await page.getByRole('link', { name: 'Về danh sách thông báo' }).click();
    await expect.poll(() => page.locator('tbody tr').first().textContent()).toContain('Đã gửi xong');
    await screenshots(page, 'broadcasts');
    await context.close();
  });
});
