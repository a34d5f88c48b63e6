import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAssistant, type TestAssistant } from '../support/assistant';

const CHROMIUM = '/usr/bin/chromium';
// CI installs Debian's Chromium (.ci/run); a developer machine without it skips this file.
const maybe = existsSync(CHROMIUM) ? describe : describe.skip;

let assistant: TestAssistant;
let server: ServerType;
let browser: Browser;
let base = '';

maybe('web chat in a real browser', () => {
  beforeAll(async () => {
    assistant = await createTestAssistant();
    server = serve({ fetch: assistant.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      // The browser is the citizen's machine, not code under test: when CI runs the suite under
      // faketime, Chromium gets the real clock (libfaketime stalls its start-up).
      env: Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'LD_PRELOAD' && !key.startsWith('FAKETIME'))),
    });
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
