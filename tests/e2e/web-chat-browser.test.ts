import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BrowserRig, describeInBrowser, openBrowserRig } from '../support/console';

let rig: BrowserRig;
let browser: Browser;
let base = '';

describeInBrowser('web chat in a real browser', () => {
  beforeAll(async () => {
    rig = await openBrowserRig();
    browser = rig.browser;
    base = rig.server.base;
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('greets the citizen, answers button presses and typed text, and switches language', async () => {
    const page = await browser.newPage();
    await page.goto(base);
    await expect.poll(() => page.locator('.msg.bot').first().textContent()).toContain('Xin chào');

    await page.getByRole('button', { name: '❓ Hướng dẫn' }).click();
    await expect.poll(() => page.locator('.msg.bot').last().textContent()).toContain('Hướng dẫn sử dụng');

    await page.getByRole('button', { name: '🌐 English' }).last().click();
    await expect.poll(() => page.locator('.msg.bot').nth(-2).textContent()).toContain('Switched to English.');

    await page.fill('#text', 'menu');
    await page.press('#text', 'Enter');
    await expect.poll(() => page.locator('.msg.me').last().textContent()).toBe('menu');
    await expect.poll(() => page.locator('.msg.bot').last().textContent()).toContain('How can I help?');

    // The session is a cookie: a reload keeps the chosen language.
    await page.reload();
    await expect.poll(() => page.locator('.msg.bot').first().textContent()).toContain('Hello');
    await page.close();
  });

  it("opens with an office's link (?start=o_<office code>) and says which office serves the chat", async () => {
    const page = await browser.newPage();
    // The shipped demo office's code (knowledge/default-catalog.ts).
    await page.goto(`${base}/?start=o_phuong-mau`);
    await expect.poll(() => page.locator('.msg.bot').first().textContent()).toContain('Anh/Chị đang được Bộ phận một cửa UBND phường Mẫu');
    await page.close();
  });

  it('shows assistant text as text, never as markup', async () => {
    const page = await browser.newPage();
    await page.goto(base);
    await page.fill('#text', '<img src=x onerror="window.pwned=1">');
    await page.press('#text', 'Enter');
    await expect.poll(() => page.locator('.msg.me').last().textContent()).toBe('<img src=x onerror="window.pwned=1">');
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await page.close();
  });
});
