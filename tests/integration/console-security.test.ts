import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, staffSessions } from '../../db/schema';
import type { Role } from '../../vocabulary/actors';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { consoleClient, createStaffAccount, signInWithHttp, TEST_PASSWORD } from '../support/console';

let assistant: TestAssistant;

/** Pages anyone may open: the sign-in form, the language switch and the stylesheet and script. */
const PUBLIC = new Set(['GET /console/sign-in', 'POST /console/sign-in', 'GET /console/language', 'GET /console/assets/:name']);

/**
 * Who may use each console route. Every route the app mounts under /console must be listed here
 * (the test below fails on one that is not), so a new page cannot ship without its access rule.
 */
const ACCESS: { pattern: RegExp; read: Role[]; write: Role[] }[] = [
  { pattern: /^\/console(\/password|\/sign-out)?$/, read: ['staff', 'official', 'admin'], write: ['staff', 'official', 'admin'] },
  { pattern: /^\/console\/(certification|telephone|citizens)(\/|$)/, read: ['staff', 'admin'], write: ['staff', 'admin'] },
  { pattern: /^\/console\/dossiers(\/|$)/, read: ['staff', 'official', 'admin'], write: ['staff', 'admin'] },
  { pattern: /^\/console\/(accounts|tokens|audit)(\/|$)/, read: ['admin'], write: ['admin'] },
  { pattern: /^\/console\/(catalog|offices)(\/|$)/, read: ['admin'], write: ['admin'] },
  { pattern: /^\/console\/broadcasts(\/|$)/, read: ['official', 'admin'], write: ['official', 'admin'] },
  // The CSV export sits beside the page (/console/stats.csv), under the same roles.
  { pattern: /^\/console\/stats(\.csv|\/|$)/, read: ['official', 'admin'], write: ['official', 'admin'] },
];

/** The console's own routes as the app mounts them, with their parameters filled in. */
function consoleRoutes(): { method: string; path: string; key: string }[] {
  const seen = new Set<string>();
  return assistant.app.routes
    .filter((r) => r.path.startsWith('/console') && r.method !== 'ALL' && !r.path.endsWith('*'))
    .map((r) => ({
      method: r.method,
      key: `${r.method} ${r.path}`,
      path: r.path.replace(/:(\w+)(\{(?:[^{}]|\{[^}]*\})*\})?/g, (_, name: string) => (name === 'name' ? 'console.css' : '1')),
    }))
    .filter((r) => !seen.has(r.key) && seen.add(r.key) !== undefined);
}

const accessOf = (path: string) => ACCESS.find((a) => a.pattern.test(path));

beforeAll(async () => {
  assistant = await createTestAssistant();
  for (const role of ['staff', 'official', 'admin'] as const)
    await createStaffAccount(assistant.database.db, { username: `x-${role}`, role, officeId: role === 'admin' ? null : 1 });
});
afterAll(() => assistant?.close());

describe('console access', () => {
  it('knows who may use every route it mounts', () => {
    const routes = consoleRoutes();
    expect(routes.length).toBeGreaterThan(6);
    expect(routes.filter((r) => !PUBLIC.has(r.key) && !accessOf(r.path)).map((r) => r.key)).toEqual([]);
  });

  it('sends a signed-out visitor to sign in, and refuses their writes, on every route', async () => {
    const visitor = consoleClient(assistant.app, null);
    for (const route of consoleRoutes().filter((r) => !PUBLIC.has(r.key))) {
      const res = route.method === 'GET' ? await visitor.get(route.path) : await visitor.post(route.path, {}, { csrf: false });
      if (route.method === 'GET') {
        expect([route.key, res.status, res.headers.get('location')]).toEqual([route.key, 303, `/console/sign-in?next=${encodeURIComponent(route.path)}`]);
      } else {
        expect([route.key, res.status]).toEqual([route.key, 401]);
        expect(await res.text()).toContain('Phiên làm việc đã kết thúc');
      }
    }
  });

  it('refuses the wrong role on every route, as a page with the request id', async () => {
    const clients = {
      staff: await signInWithHttp(assistant.app, 'x-staff'),
      official: await signInWithHttp(assistant.app, 'x-official'),
      admin: await signInWithHttp(assistant.app, 'x-admin'),
    };
    for (const route of consoleRoutes().filter((r) => !PUBLIC.has(r.key))) {
      const access = accessOf(route.path);
      if (!access) continue;
      const allowed = route.method === 'GET' ? access.read : access.write;
      for (const role of (['staff', 'official', 'admin'] as const).filter((r) => !allowed.includes(r))) {
        const client = clients[role];
        const res = route.method === 'GET' ? await client.get(route.path) : await client.post(route.path, {});
        expect([route.key, role, res.status]).toEqual([route.key, role, 403]);
        const page = await res.text();
        expect(page).toContain('Không có quyền truy cập');
        expect(page).toMatch(/Mã yêu cầu \(khi cần báo bộ phận kỹ thuật\): [0-9a-f-]{36}/);
      }
    }
  });

  it('refuses every write without the CSRF token and changes nothing', async () => {
    const admin = await signInWithHttp(assistant.app, 'x-admin');
    const before = await assistant.database.db.select().from(auditLog);
    for (const route of consoleRoutes().filter((r) => r.method !== 'GET' && !PUBLIC.has(r.key))) {
      const res = await admin.post(route.path, {}, { csrf: false });
      expect([route.key, res.status]).toEqual([route.key, 403]);
      expect(await res.text()).toContain('Biểu mẫu đã hết hạn');
      const wrong = await assistant.app.request(route.path, {
        method: 'POST',
        body: new URLSearchParams({ _csrf: 'x'.repeat(64) }),
        headers: { cookie: admin.cookie },
      });
      expect([route.key, wrong.status]).toEqual([route.key, 403]);
    }
    expect(await assistant.database.db.select().from(auditLog)).toHaveLength(before.length);
    // Still signed in: sign-out was among the refused posts.
    expect((await admin.get('/console')).status).toBe(200);
  });

  it('answers an unknown page with a 404 page to the signed-in and a sign-in to the signed-out', async () => {
    const staff = await signInWithHttp(assistant.app, 'x-staff');
    const res = await staff.get('/console/no-such-page');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Không tìm thấy trang');
    expect((await consoleClient(assistant.app, null).get('/console/no-such-page')).status).toBe(303);
  });
});

describe('console sessions', () => {
  it('gives a new session id at every sign-in and ends the one the browser carried', async () => {
    const first = await signInWithHttp(assistant.app, 'x-staff');
    const res = await assistant.app.request('/console/sign-in', {
      method: 'POST',
      body: new URLSearchParams({ username: 'x-staff', password: TEST_PASSWORD }),
      headers: { cookie: first.cookie },
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^mc_staff=[^;]+; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain(first.cookie);
    expect((await first.get('/console')).status).toBe(303);
  });

  it('throttles failed sign-ins per username, even when the right password comes next', async () => {
    await createStaffAccount(assistant.database.db, { username: 'x-throttled', role: 'staff', officeId: 1 });
    for (let i = 0; i < 5; i++) {
      const res = await assistant.app.request('/console/sign-in', {
        method: 'POST',
        body: new URLSearchParams({ username: 'x-throttled', password: `wrong-${i}` }),
      });
      expect(res.status).toBe(401);
    }
    const res = await assistant.app.request('/console/sign-in', {
      method: 'POST',
      body: new URLSearchParams({ username: 'x-throttled', password: TEST_PASSWORD }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toContain('Đã nhập sai quá nhiều lần');
  });

  it('refuses a sign-in form posted from another site (login CSRF)', async () => {
    const res = await assistant.app.request('/console/sign-in', {
      method: 'POST',
      body: new URLSearchParams({ username: 'x-staff', password: TEST_PASSWORD }),
      headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('keeps a new account on the password page until it has its own password, then ends its other sessions', async () => {
    const account = await createStaffAccount(assistant.database.db, { username: 'x-new', role: 'staff', officeId: 1, mustChangePassword: true });
    const other = await signInWithHttp(assistant.app, 'x-new');
    const client = await signInWithHttp(assistant.app, 'x-new');
    const home = await client.get('/console');
    expect([home.status, home.headers.get('location')]).toEqual([303, '/console/password']);
    expect((await client.post('/console/password', { current: TEST_PASSWORD, next: 'x-new', again: 'x-new' })).status).toBe(400);
    expect((await client.post('/console/password', { current: 'wrong', next: 'a long new password', again: 'a long new password' })).status).toBe(400);
    const changed = await client.post('/console/password', { current: TEST_PASSWORD, next: 'a long new password', again: 'a long new password' });
    expect([changed.status, changed.headers.get('location')]).toEqual([303, '/console?done=password']);
    expect((await client.get('/console')).status).toBe(200);
    expect((await other.get('/console')).status).toBe(303);
    expect(await assistant.database.db.select().from(staffSessions).where(eq(staffSessions.staffId, account.id))).toHaveLength(1);
  });

  it('does not follow a return address off the console', async () => {
    for (const next of ['https://evil.example/', '//evil.example', '/console.evil', '/\\evil.example']) {
      const res = await assistant.app.request('/console/sign-in', {
        method: 'POST',
        body: new URLSearchParams({ username: 'x-admin', password: TEST_PASSWORD, next }),
      });
      expect([next, res.headers.get('location')]).toEqual([next, '/console']);
    }
  });

  it('marks its pages as not to be cached or framed, and scripts and styles as its own only', async () => {
    const res = await (await signInWithHttp(assistant.app, 'x-staff')).get('/console');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
