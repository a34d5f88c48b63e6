import { beforeAll, expect, it } from 'vitest';
import { createStaffAccount, describeInBrowser, expectAccessible, screenshots, signInWithBrowser, useBrowserRig } from '../../support/console';

const rig = useBrowserRig();

describeInBrowser('accounts, API tokens and the audit log in a real browser', () => {
  beforeAll(async () => {
    await createStaffAccount(rig.assistant.database.db, { username: 'quantri', role: 'admin', name: 'Lê Quản Trị' });
  });

  it('creates a staff account whose holder signs in with the one-time password, then resets and disables it', async () => {
    const admin = await rig.browser.newContext();
    const page = await admin.newPage();
    await signInWithBrowser(page, rig.server.base, 'quantri');
    await page.getByRole('link', { name: 'Tài khoản' }).click();
    await page.waitForURL('**/console/accounts');

    // A mistake first: the form comes back with every problem named, and nothing is created.
    await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('Vui lòng nhập họ và tên');
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('Vui lòng chọn vai trò');
    await expectAccessible(page);
    await screenshots(page, 'accounts-error');

    await page.getByLabel('Họ và tên').fill('Phạm Thị Lan');
    await page.getByLabel('Tên đăng nhập').fill('lan.pham');
    await page.getByLabel(/^Cán bộ tiếp nhận/).check();
    await page.getByLabel('Đơn vị', { exact: true }).selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
    const password = (await page.locator('.secret code').textContent()) ?? '';
    expect(password).toMatch(/^\S{12,}$/);
    await expect.poll(() => page.locator('table').textContent()).toContain('lan.pham');
    await expectAccessible(page);
    await screenshots(page, 'accounts');

    // The new clerk signs in with it and is asked for their own password first.
    const clerk = await (await rig.browser.newContext()).newPage();
    await signInWithBrowser(clerk, rig.server.base, 'lan.pham', password);
    expect(new URL(clerk.url()).pathname).toBe('/console/password');

    await page.getByRole('link', { name: 'Phạm Thị Lan' }).click();
    await page.getByRole('button', { name: 'Đặt lại mật khẩu' }).click();
    const second = (await page.locator('.secret code').textContent()) ?? '';
    expect(second).not.toBe(password);
    await expectAccessible(page);
    await screenshots(page, 'account');
    // A reset ends the sessions of the account.
    await clerk.goto(`${rig.server.base}/console/password`);
    expect(new URL(clerk.url()).pathname).toBe('/console/sign-in');

    await page.getByRole('button', { name: 'Khóa tài khoản' }).click();
    await page.waitForURL('**/console/accounts?done=disabled');
    await expect.poll(() => page.locator('tr', { hasText: 'lan.pham' }).textContent()).toContain('Đã khóa');
    await clerk.goto(`${rig.server.base}/console/sign-in`);
    await clerk.getByLabel('Tên đăng nhập').fill('lan.pham');
    await clerk.getByLabel('Mật khẩu').fill(second);
    await clerk.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect.poll(() => clerk.locator('.error-summary').textContent()).toContain('không đúng');

    // Every step is in the audit log, filtered by the admin's own actions.
    await page.getByRole('link', { name: 'Nhật ký' }).click();
    await page.getByLabel('Người thực hiện').selectOption({ label: 'Lê Quản Trị (quantri)' });
    await page.getByRole('button', { name: 'Lọc' }).click();
    const log = (await page.locator('table').textContent()) ?? '';
    for (const action of ['staff.create', 'staff.reset_password', 'staff.disable', 'auth.login']) expect(log).toContain(action);
    await expectAccessible(page);
    await screenshots(page, 'audit');
    await admin.close();
  });

  it('shows a new API token once; it works on the API until it is revoked', async () => {
    const page = await rig.browser.newPage();
    await signInWithBrowser(page, rig.server.base, 'quantri');
    await page.goto(`${rig.server.base}/console/tokens`);
    await page.getByLabel('Tên gợi nhớ').fill('Phần mềm một cửa');
    await page.getByLabel(/^Cán bộ tiếp nhận/).check();
    await page.getByLabel('Đơn vị', { exact: true }).selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Tạo khóa' }).click();
    const token = (await page.locator('.secret code').textContent()) ?? '';
    expect(token).toMatch(/^mct_/);
    await expectAccessible(page);
    await screenshots(page, 'tokens');
    const call = () => rig.assistant.app.request('/api/v1/certification/requests', { headers: { authorization: `Bearer ${token}` } });
    expect((await call()).status).toBe(200);

    await page.goto(`${rig.server.base}/console/tokens`);
    expect(await page.content()).not.toContain(token);
    await page.getByRole('button', { name: 'Thu hồi khóa Phần mềm một cửa' }).click();
    await page.waitForURL('**/console/tokens?done=revoked');
    expect((await call()).status).toBe(401);
    await page.close();
  });
});
