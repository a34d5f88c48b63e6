import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { eq } from 'drizzle-orm';
import type { Hono } from 'hono';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { staffUsers } from '../../db/schema';
import type { Database } from '../../db/types';
import { hashPassword } from '../../domain/people/passwords';
import { csrfTokenFor, SESSION_COOKIE } from '../../domain/people/sessions';
import { commandLineActor, createStaff } from '../../domain/people/staff';
import type { Role } from '../../vocabulary/actors';
import { createTestAssistant, type TestAssistant } from './assistant';
import { TEST_START } from './clock';

export const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium, headless, offline; under faketime it gets the real clock (libfaketime stalls its start-up). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
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
    env: Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'LD_PRELOAD' && !key.startsWith('FAKETIME'))),
  });
}

/** Serves an app on a free loopback port. */
export async function serveApp(app: Hono): Promise<{ base: string; close(): void }> {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

/** A browser test file's rig: the assistant over a test database, served on loopback, and Chromium. */
export interface BrowserRig {
  assistant: TestAssistant;
  server: { base: string; close(): void };
  browser: Browser;
  close(): Promise<void>;
}

/** Starts a rig for a browser test file (its afterAll calls `close`). */
export async function openBrowserRig(env: Record<string, string> = {}): Promise<BrowserRig> {
  const assistant = await createTestAssistant(env);
  const server = await serveApp(assistant.app);
  const browser = await launchBrowser();
  return {
    assistant,
    server,
    browser,
    async close() {
      await browser.close();
      server.close();
      await assistant.close();
    },
  };
}

/**
 * The rig of a browser test file, opened before its tests and closed after them (nothing when
 * Chromium is missing: the file's describeInBrowser skips). Its fields are set once it is open.
 *
 * @example const rig = useBrowserRig(); … await rig.browser.newPage()
 */
export function useBrowserRig(env: Record<string, string> = {}): BrowserRig {
  const rig = {} as BrowserRig;
  if (!existsSync(CHROMIUM)) return rig;
  beforeAll(async () => {
    Object.assign(rig, await openBrowserRig(env));
  });
  afterAll(() => rig.close?.());
  return rig;
}

/** The describe of a browser test file: CI installs Debian's Chromium (.ci/run); a machine without it skips the file. */
export const describeInBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

/** The password every test account gets (long enough for the console's rules). */
export const TEST_PASSWORD = 'mat-khau-thu-nghiem-1';

/** A staff account ready to sign in with TEST_PASSWORD (no forced change unless asked). */
export async function createStaffAccount(
  db: Database,
  options: { username: string; role: Role; officeId?: number | null; name?: string; mustChangePassword?: boolean },
): Promise<{ id: number; username: string }> {
  const created = await createStaff(
    db,
    { name: options.name ?? `Cán bộ ${options.username}`, username: options.username, role: options.role, officeId: options.officeId ?? null },
    commandLineActor('test'),
    TEST_START,
  );
  if (!created.ok) throw new Error(created.message);
  await db
    .update(staffUsers)
    .set({ passwordHash: await hashPassword(TEST_PASSWORD), mustChangePassword: options.mustChangePassword ?? false })
    .where(eq(staffUsers.id, created.value.staff.id));
  return { id: created.value.staff.id, username: created.value.staff.username };
}

/** Signs in through the sign-in page, as a clerk does. */
export async function signInWithBrowser(page: Page, base: string, username: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto(`${base}/console/sign-in`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((url) => !url.pathname.endsWith('/sign-in'));
}

/** A signed-in HTTP client over `app.request`, for route and security tests without a browser. */
export interface ConsoleClient {
  cookie: string;
  csrf: string;
  get(path: string): Promise<Response>;
  /** A form post; `_csrf` is added unless `csrf: false`. */
  post(path: string, form: Record<string, string> | FormData, options?: { csrf?: boolean }): Promise<Response>;
}

export async function signInWithHttp(app: Hono, username: string, password = TEST_PASSWORD): Promise<ConsoleClient> {
  const res = await app.request('/console/sign-in', { method: 'POST', body: new URLSearchParams({ username, password }) });
  const token = /mc_staff=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (res.status !== 303 || !token) throw new Error(`sign-in failed for ${username}: ${res.status}`);
  return consoleClient(app, token);
}

/** A client for a given session cookie value (or none: a signed-out visitor). */
export function consoleClient(app: Hono, token: string | null): ConsoleClient {
  const cookie = token ? `${SESSION_COOKIE}=${token}` : '';
  const csrf = token ? csrfTokenFor(token) : '';
  return {
    cookie,
    csrf,
    get: async (path) => app.request(path, { headers: { cookie } }),
    post: async (path, form, options = {}) => {
      const body = form instanceof FormData ? form : new URLSearchParams(form);
      if (options.csrf !== false) body.set('_csrf', csrf);
      return app.request(path, { method: 'POST', body, headers: { cookie } });
    },
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core on the page (WCAG 2.1 A and AA rules) and fails on any serious or critical
 * violation, naming the rule and the elements.
 */
export async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
}

/** Where page screenshots go (test-results/, ignored by git): looked at by eye before a page is called done. */
export const SCREENSHOTS = join(process.cwd(), 'test-results', 'console');

/** Saves the page at desktop and phone width. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const before = page.viewportSize();
  for (const [width, height, label] of [
    [1280, 900, 'desktop'],
    [390, 844, 'phone'],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${label}.png`), fullPage: true });
  }
  if (before) await page.setViewportSize(before);
}
