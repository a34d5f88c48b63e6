import { expect, it } from 'vitest';
import { createStaffAccount, describeInBrowser, expectAccessible, screenshots, TEST_PASSWORD, useBrowserRig } from '../../support/console';

const rig = useBrowserRig();

describeInBrowser('console sign-in in a real browser', () => {
  it('takes a new account through the forced password change to the counter home, and signs out', async () => {
    await createStaffAccount(rig.assistant.database.db, { username: 'moi', role: 'staff', officeId: 1, name: 'Trần Thị Mới', mustChangePassword: true });
    const page = await rig.browser.newPage();
    await page.goto(`${rig.server.base}/console/certification`);
    // Signed out: the sign-in page, which brings the clerk back where they were going.
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await expectAccessible(page);
    await screenshots(page, 'sign-in');

    await page.getByLabel('Tên đăng nhập').fill('moi');
    await page.getByLabel('Mật khẩu').fill('sai-mat-khau');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('Tên đăng nhập hoặc mật khẩu không đúng');
    await expectAccessible(page);
    await screenshots(page, 'sign-in-error');

    await page.getByLabel('Mật khẩu').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL('**/console/password');
    await expect.poll(() => page.locator('.notice').textContent()).toContain('lần đăng nhập đầu tiên');
    // Nothing else opens until the password is changed.
    await page.goto(`${rig.server.base}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/password');
    await expectAccessible(page);
    await screenshots(page, 'password-forced');

    await page.getByLabel('Mật khẩu hiện tại').fill(TEST_PASSWORD);
    await page.getByLabel('Mật khẩu mới', { exact: true }).fill('ngan');
    await page.getByLabel('Nhập lại mật khẩu mới').fill('ngan');
    await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('ít nhất 10 ký tự');

    await page.getByLabel('Mật khẩu hiện tại').fill(TEST_PASSWORD);
    await page.getByLabel('Mật khẩu mới', { exact: true }).fill('hoa sen no trong dam');
    await page.getByLabel('Nhập lại mật khẩu mới').fill('hoa sen no trong dam');
    await page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await page.waitForURL('**/console?done=password');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Xin chào, Trần Thị Mới');
    await expect.poll(() => page.locator('.notice').textContent()).toContain('Đã đổi mật khẩu');
    await expectAccessible(page);
    await screenshots(page, 'home');

    // The language switch keeps the page.
    await page.getByRole('link', { name: 'English' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Hello, Trần Thị Mới');
    await page.getByRole('link', { name: 'Tiếng Việt' }).click();

    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL('**/console/sign-in?signed-out=1');
    await page.goto(`${rig.server.base}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await page.close();
  });

  it('is usable with the keyboard alone: skip link first, then the form in order', async () => {
    const page = await rig.browser.newPage();
    await page.goto(`${rig.server.base}/console/sign-in`);
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Chuyển đến nội dung chính');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('username');
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('password');
    await page.close();
  });
});
