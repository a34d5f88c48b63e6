import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openDatabase } from '../../db/open';
import { auditLog, rateCounters, staffSessions } from '../../db/schema';
import { pruneOldRows } from '../../domain/messaging/housekeeping';
import { commandLineActor, createStaff, disableStaff, resetPassword } from '../../domain/people/staff';
import { realTimer, systemClock } from '../../lib/clock';
import { silentLogger } from '../../lib/logger';
import { assemble } from '../../runtime/assemble';
import { nodePlatform } from '../../runtime/node-platform';
import { callApi } from '../support/api';
import { createTestAssistant, type TestAssistant, testConfig } from '../support/assistant';
import { createTestToken } from '../support/tokens';

let assistant: TestAssistant;
const operator = commandLineActor('test');
const passwords = new Map<string, string>();

beforeAll(async () => {
  assistant = await createTestAssistant();
  for (const [username, role, officeId] of [
    ['lan.admin', 'admin', null],
    ['minh.staff', 'staff', 1],
    ['thu.official', 'official', null],
    ['throttled', 'staff', 1],
  ] as const) {
    const created = await createStaff(assistant.database.db, { name: username, username, role, officeId }, operator, assistant.clock.now());
    if (!created.ok) throw new Error(created.reason);
    passwords.set(username, created.value.password);
  }
});
afterAll(async () => assistant.close());

const sessionSchema = z.object({ csrfToken: z.string(), actor: z.object({ role: z.string() }) });

async function login(username: string, password = passwords.get(username) ?? '', address = '203.0.113.7') {
  const res = await assistant.app.request('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ username, password }),
  });
  const cookieHeader = res.headers.get('set-cookie') ?? '';
  return { res, body: await res.json(), cookieHeader, cookie: cookieHeader.split(';')[0] ?? '' };
}

describe('console sign-in', () => {
  it('sets an httpOnly SameSite=Strict session cookie and stores only its hash', async () => {
    const { res, body, cookieHeader, cookie } = await login('minh.staff');
    expect(res.status).toBe(200);
    expect(cookieHeader).toMatch(/^mc_staff=[A-Za-z0-9_-]{40,}/);
    expect(cookieHeader).toContain('HttpOnly');
    expect(cookieHeader).toContain('SameSite=Strict');
    expect(body).toMatchObject({ actor: { kind: 'staff', role: 'staff', officeId: 1 } });
    const token = cookie.split('=')[1] ?? '';
    const stored = await assistant.database.db.select().from(staffSessions);
    expect(stored.some((s) => s.tokenHash === token)).toBe(false);
    expect(stored.length).toBeGreaterThan(0);
  });

  it('answers /auth/me with the actor and the session’s CSRF token', async () => {
    const { body, cookie } = await login('thu.official');
    const me = await callApi(assistant.app, 'GET', '/api/v1/auth/me', undefined, undefined, { cookie });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ actor: { role: 'official' }, csrfToken: sessionSchema.parse(body).csrfToken });
  });

  it('refuses a cookie write without the CSRF header, accepts it with the header', async () => {
    const { body, cookie } = await login('lan.admin');
    const { csrfToken } = sessionSchema.parse(body);
    const create = (headers: Record<string, string>) =>
      callApi(assistant.app, 'POST', '/api/v1/tokens', undefined, { name: 'csrf test', role: 'staff' }, { cookie, ...headers });
    const without = await create({});
    expect(without.status).toBe(403);
    expect(without.body).toMatchObject({ error: { code: 'csrf' } });
    expect((await create({ 'x-csrf-token': 'forged' })).status).toBe(403);
    expect((await create({ 'x-csrf-token': csrfToken })).status).toBe(201);
  });

  it('ends the session on logout', async () => {
    const { body, cookie } = await login('minh.staff');
    const out = await callApi(assistant.app, 'POST', '/api/v1/auth/logout', undefined, undefined, {
      cookie,
      'x-csrf-token': sessionSchema.parse(body).csrfToken,
    });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toMatch(/mc_staff=;/);
    expect((await callApi(assistant.app, 'GET', '/api/v1/auth/me', undefined, undefined, { cookie })).status).toBe(401);
  });

  it('gives a wrong password and an unknown username the same 401', async () => {
    const wrong = await login('minh.staff', 'not-the-password', '198.51.100.1');
    const unknown = await login('nobody.here', 'whatever', '198.51.100.1');
    expect(wrong.res.status).toBe(401);
    expect(unknown.res.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: { code: 'invalid_credentials' } });
    expect({ ...unknown.body, error: { ...unknown.body.error, requestId: '' } }).toEqual({ ...wrong.body, error: { ...wrong.body.error, requestId: '' } });
  });

  it('ends sessions and refuses sign-in once an account is disabled; a reset password works again', async () => {
    const { cookie } = await login('minh.staff');
    await disableStaff(assistant.database.db, 'minh.staff', operator, assistant.clock.now());
    expect((await callApi(assistant.app, 'GET', '/api/v1/auth/me', undefined, undefined, { cookie })).status).toBe(401);
    expect((await login('minh.staff')).res.status).toBe(401);
    const reset = await resetPassword(assistant.database.db, 'minh.staff', operator, assistant.clock.now());
    if (!reset.ok) throw new Error(reset.reason);
    passwords.set('minh.staff', reset.value.password);
    expect((await login('minh.staff')).res.status).toBe(200);
  });
});

describe('sign-in throttling', () => {
  it('locks a username after 5 failures, even for the right password, until the window ends', async () => {
    for (let i = 0; i < 5; i++) expect((await login('throttled', 'wrong', `192.0.2.${i}`)).res.status).toBe(401);
    const locked = await login('throttled', undefined, '192.0.2.99');
    expect(locked.res.status).toBe(429);
    expect(locked.body).toMatchObject({ error: { code: 'too_many_attempts' } });
    expect(Number(locked.res.headers.get('retry-after'))).toBeGreaterThan(0);
    assistant.clock.advance(15 * 60 * 1000);
    expect((await login('throttled', undefined, '192.0.2.99')).res.status).toBe(200);
  });

  it('locks an address after 30 failures across usernames, leaving other addresses alone', async () => {
    for (let i = 0; i < 30; i++) expect((await login(`guess${i}`, 'wrong', '198.51.100.200')).res.status).toBe(401);
    expect((await login('lan.admin', undefined, '198.51.100.200')).res.status).toBe(429);
    expect((await login('lan.admin', undefined, '198.51.100.201')).res.status).toBe(200);
  });
});

describe('housekeeping', () => {
  it('forgets expired sessions and old sign-in counters, keeping live ones', async () => {
    const { cookie } = await login('lan.admin', undefined, '192.0.2.250');
    await login('lan.admin', 'wrong', '192.0.2.251');
    const { db } = assistant.database;
    const later = new Date(assistant.clock.now().getTime() + 13 * 3600 * 1000);
    await pruneOldRows(db, assistant.clock.now());
    expect((await db.select().from(rateCounters)).length).toBeGreaterThan(0);
    expect((await callApi(assistant.app, 'GET', '/api/v1/auth/me', undefined, undefined, { cookie })).status).toBe(200);
    await pruneOldRows(db, new Date(later.getTime() + 24 * 3600 * 1000));
    expect(await db.select().from(rateCounters)).toEqual([]);
    expect(await db.select().from(staffSessions)).toEqual([]);
  });
});

describe('API tokens', () => {
  it('shows the secret once, lists without it, and stops working once revoked; each step audited', async () => {
    const admin = await createTestToken(assistant.database.db, 'admin');
    const created = await callApi(assistant.app, 'POST', '/api/v1/tokens', admin, { name: 'Phần mềm một cửa', role: 'staff', officeId: 1 });
    expect(created.status).toBe(201);
    const { id, token } = z.object({ id: z.number(), token: z.string() }).parse(created.body);
    expect((await callApi(assistant.app, 'GET', '/api/v1/auth/me', token)).body).toMatchObject({ actor: { kind: 'token', role: 'staff', officeId: 1 } });
    const list = await callApi(assistant.app, 'GET', '/api/v1/tokens', admin);
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(list.body).toMatchObject({ items: expect.arrayContaining([expect.objectContaining({ id, name: 'Phần mềm một cửa', revokedAt: null })]) });
    const revoked = await callApi(assistant.app, 'DELETE', `/api/v1/tokens/${id}`, admin);
    expect(revoked.status).toBe(200);
    expect((await callApi(assistant.app, 'GET', '/api/v1/auth/me', token)).status).toBe(401);
    expect((await callApi(assistant.app, 'DELETE', '/api/v1/tokens/999999', admin)).status).toBe(404);
    const audit = await assistant.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subject, `token:${id}`));
    expect(audit.map((a) => a.action)).toEqual(['token.create', 'token.revoke']);
  });

  it('refuses a token request with an unknown role', async () => {
    const admin = await createTestToken(assistant.database.db, 'admin');
    const res = await callApi(assistant.app, 'POST', '/api/v1/tokens', admin, { name: 'x', role: 'root' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('role');
  });
});

describe('audit log', () => {
  it('filters by actor, action, subject and local date, newest first, paginated', async () => {
    // Its own account, created and disabled here, whichever tests ran before (the four of beforeAll too).
    const now = assistant.clock.now();
    const probe = await createStaff(assistant.database.db, { name: 'Audit Probe', username: 'audit.probe', role: 'staff', officeId: 1 }, operator, now);
    if (!probe.ok) throw new Error(probe.reason);
    await disableStaff(assistant.database.db, 'audit.probe', operator, now);
    const subject = `staff:${probe.value.staff.id}`;
    const admin = await createTestToken(assistant.database.db, 'admin');
    const all = await callApi(assistant.app, 'GET', '/api/v1/audit?action=staff.create&pageSize=2', admin);
    expect(all.body).toMatchObject({ total: 5, page: 1, pageSize: 2, items: [{ subject }, expect.anything()] });
    const byActor = await callApi(assistant.app, 'GET', `/api/v1/audit?actor=staff:0&action=staff.disable&subject=${subject}`, admin);
    expect(byActor.body).toMatchObject({ total: 1, items: [{ subject, actorName: 'command line (test)' }] });
    const today = new Date(assistant.clock.now().getTime() + 7 * 3600 * 1000).toISOString().slice(0, 10);
    const byDay = await callApi(assistant.app, 'GET', `/api/v1/audit?action=staff.create&from=${today}&to=${today}`, admin);
    expect(byDay.body).toMatchObject({ total: 5 });
    const before = await callApi(assistant.app, 'GET', '/api/v1/audit?action=staff.create&to=2020-01-01', admin);
    expect(before.body).toMatchObject({ total: 0, items: [] });
  });
});

describe('npm run staff', () => {
  const run = promisify(execFile);
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'staff-cli-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const staff = (...args: string[]) =>
    run('npx', ['tsx', 'scripts/staff.ts', ...args], { env: { PATH: process.env.PATH, DATA_DIR: dataDir, NODE_ENV: 'development' } }).catch(
      (error: { code: number; stdout: string; stderr: string }) => ({ stdout: error.stdout, stderr: error.stderr, code: error.code }),
    );

  it('adds an account whose printed one-time password signs in, and refuses bad input', async () => {
    const added = await staff('add', '--name', 'Trần Thị Hoa', '--username', 'hoa', '--role', 'official', '--office', '3');
    const password = /\n {2}(\S+)\n/.exec(added.stdout)?.[1];
    expect(password).toBeDefined();
    const bad = await staff('add', '--name', 'X', '--username', 'x', '--role', 'boss');
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.stderr).toContain('--role');
    expect((await staff('list')).stdout).toMatch(/hoa\s+official\s+office 3/);

    const handle = await openDatabase({ dataDir });
    try {
      const { app } = await assemble({
        config: testConfig(),
        db: handle.db,
        clock: systemClock,
        timer: realTimer,
        logger: silentLogger,
        platform: nodePlatform,
      });
      const res = await app.request('/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'hoa', password }),
      });
      expect(res.status).toBe(200);
    } finally {
      await handle.close();
    }
  });
});
