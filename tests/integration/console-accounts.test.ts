import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffUsers } from '../../db/schema';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { type ConsoleClient, createStaffAccount, signInWithHttp } from '../support/console';

let assistant: TestAssistant;
let admin: ConsoleClient;
let adminId: number;

beforeAll(async () => {
  assistant = await createTestAssistant();
  adminId = (await createStaffAccount(assistant.database.db, { username: 'chief', role: 'admin' })).id;
  admin = await signInWithHttp(assistant.app, 'chief');
});
afterAll(() => assistant?.close());

const accounts = () => assistant.database.db.select().from(staffUsers);

describe('console accounts', () => {
  it('refuses a bad account form with each problem named, and creates nothing', async () => {
    const before = (await accounts()).length;
    const cases: [Record<string, string>, string][] = [
      [{ name: '', username: 'ok.name', role: 'staff', office: '1' }, 'Vui lòng nhập họ và tên'],
      [{ name: 'A', username: 'Có Dấu', role: 'staff', office: '1' }, 'Tên đăng nhập cần 3–40 ký tự'],
      [{ name: 'A', username: 'ok.name', role: 'boss', office: '1' }, 'Vui lòng chọn vai trò'],
      [{ name: 'A', username: 'ok.name', role: 'staff', office: '999' }, 'Vui lòng chọn một đơn vị trong danh sách'],
      [{ name: 'A', username: 'ok.name', role: 'staff', office: '' }, 'Cán bộ tiếp nhận cần gắn với một đơn vị'],
      [{ name: 'A', username: 'chief', role: 'admin', office: '' }, 'Tên đăng nhập chief đã có người dùng'],
    ];
    for (const [form, message] of cases) {
      const res = await admin.post('/console/accounts', form);
      expect([form, res.status]).toEqual([form, 400]);
      expect(await res.text()).toContain(message);
    }
    expect(await accounts()).toHaveLength(before);
  });

  it('creates an account that must change its one-time password, and changes its role and office', async () => {
    const res = await admin.post('/console/accounts', { name: 'Đỗ Văn Hùng', username: 'hung', role: 'official', office: '' });
    expect(res.status).toBe(200);
    const password = /<code>([^<]+)<\/code>/.exec(await res.text())?.[1];
    expect(password).toBeDefined();
    const [row] = await assistant.database.db.select().from(staffUsers).where(eq(staffUsers.username, 'hung'));
    expect(row).toMatchObject({ role: 'official', officeId: null, mustChangePassword: true });
    expect(row?.passwordHash).not.toContain(password ?? '');

    const saved = await admin.post(`/console/accounts/${row?.id}`, { name: 'Đỗ Văn Hùng', role: 'staff', office: '1' });
    expect([saved.status, saved.headers.get('location')]).toEqual([303, `/console/accounts/${row?.id}?done=saved`]);
    const [after] = await assistant.database.db.select().from(staffUsers).where(eq(staffUsers.username, 'hung'));
    expect(after).toMatchObject({ role: 'staff', officeId: 1 });
  });

  it('keeps an admin from locking themselves out', async () => {
    const demote = await admin.post(`/console/accounts/${adminId}`, { name: 'Chief', role: 'staff', office: '1' });
    expect(demote.status).toBe(400);
    expect(await demote.text()).toContain('Không thể bỏ vai trò quản trị của chính mình');
    const disable = await admin.post(`/console/accounts/${adminId}/disable`, {});
    expect(disable.status).toBe(400);
    const [me] = await assistant.database.db.select().from(staffUsers).where(eq(staffUsers.id, adminId));
    expect(me).toMatchObject({ role: 'admin', disabledAt: null });
  });

  it('answers an account or token that does not exist with a 404 page', async () => {
    for (const path of ['/console/accounts/999999', '/console/accounts/abc']) expect((await admin.get(path)).status).toBe(404);
    expect((await admin.post('/console/accounts/999999/reset', {})).status).toBe(404);
    expect((await admin.post('/console/tokens/999999/revoke', {})).status).toBe(404);
  });

  it('names a bad date in the audit filter instead of failing', async () => {
    const res = await admin.get('/console/audit?from=2026-13-01&to=yesterday');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Vui lòng nhập ngày theo dạng năm-tháng-ngày');
    const reversed = await admin.get('/console/audit?from=2026-11-23&to=2026-11-01');
    expect(await reversed.text()).toContain('Ngày kết thúc cần sau ngày bắt đầu');
    const ok = await admin.get('/console/audit?actor=staff:1&action=auth.login&from=2026-11-23&to=2026-11-23');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('auth.login');
  });
});
