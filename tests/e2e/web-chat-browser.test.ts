import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { CHROMIUM, launchBrowser, serveApp } from '../support/console';

// CI installs Debian's Chromium (.ci/run); a developer machine without it skips this file.
const maybe = existsSync(CHROMIUM) ? describe : describe.skip;

let assistant: TestAssistant;
let server: { base: string; close(): void };
let browser: Browser;
let base = '';

maybe('web chat in a real browser', () => {
  beforeAll(async () => {
    assistant = await createTestAssistant();
    server = await serveApp(assistant.app);
    base = server.base;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await assistant?.close();
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
