import { gzipSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, procedures } from '../../db/schema';
import type { Procedure } from '../../vocabulary/procedure';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { createTestToken } from '../support/tokens';

let assistant: TestAssistant;
const tokens: Record<'admin' | 'official' | 'staff', string> = { admin: '', official: '', staff: '' };

beforeAll(async () => {
  assistant = await createTestAssistant({ PUBLIC_URL: 'https://motcua.example' });
  for (const role of ['admin', 'official', 'staff'] as const) tokens[role] = await createTestToken(assistant.database.db, role);
});
afterAll(async () => assistant.close());

function call(path: string, init: { method?: string; token?: string; body?: string | Uint8Array<ArrayBuffer>; headers?: Record<string, string> } = {}) {
  return assistant.app.request(path, {
    method: init.method ?? 'GET',
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.headers ?? {}) },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
}
const jsonBody = (value: unknown) => ({ body: JSON.stringify(value), headers: { 'content-type': 'application/json' } });
const auditRows = (action: string) => assistant.database.db.select().from(auditLog).where(eq(auditLog.action, action));

describe('who may use the catalog API', () => {
  const routes: [string, string][] = [
    ['GET', '/api/v1/procedures'],
    ['GET', '/api/v1/procedures/1.001193'],
    ['GET', '/api/v1/procedures/export?format=csv'],
    ['POST', '/api/v1/procedures/import'],
    ['DELETE', '/api/v1/procedures/1.001193'],
    ['GET', '/api/v1/offices'],
  ];
  it.each(routes)('%s %s: 401 without a token, 403 for staff and officials', async (method, path) => {
    expect((await call(path, { method })).status).toBe(401);
    expect((await call(path, { method, token: 'x'.repeat(32) })).status).toBe(401);
    expect((await call(path, { method, token: tokens.staff })).status).toBe(403);
    expect((await call(path, { method, token: tokens.official })).status).toBe(403);
  });

  it('lets admins and officials read the unanswered questions, not staff', async () => {
    expect((await call('/api/v1/search-log/unanswered', { token: tokens.staff })).status).toBe(403);
    expect((await call('/api/v1/search-log/unanswered', { token: tokens.official })).status).toBe(200);
    expect((await call('/api/v1/search-log/unanswered', { token: tokens.admin })).status).toBe(200);
  });
});

describe('procedures', () => {
  it('serves the seeded catalog, by code and by question', async () => {
    const list = await call('/api/v1/procedures', { token: tokens.admin });
    const { procedures: all } = (await list.json()) as { procedures: { code: string }[] };
    const stored = await assistant.database.db.select({ code: procedures.code }).from(procedures);
    expect(stored.length).toBeGreaterThan(100);
    expect(all.map((p) => p.code).sort()).toEqual(stored.map((p) => p.code).sort());
    const found = await call('/api/v1/procedures?q=lam%20giay%20khai%20sinh', { token: tokens.admin });
    expect(((await found.json()) as { procedures: { code: string }[] }).procedures[0]?.code).toBe('1.001193');
    const one = await call('/api/v1/procedures/1.001193', { token: tokens.admin });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ code: '1.001193', name: 'Thủ tục đăng ký khai sinh', processingTimeStatus: 'sourced_unit_missing' });
    expect((await call('/api/v1/procedures/9.999999', { token: tokens.admin })).status).toBe(404);
    const bad = await call('/api/v1/procedures/not-a-code', { token: tokens.admin });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
  });

  it('creates, updates and deletes a procedure, audited, and search follows at once', async () => {
    const entry = {
      name: 'Cấp giấy phép tổ chức lễ hội truyền thống',
      group: 'Văn hóa',
      field: 'Văn hóa cơ sở',
      fee: '',
      feeStatus: 'unsourced',
      processingTime: '5 Ngày làm việc',
      processingTimeStatus: 'office',
      documentsStatus: 'office',
      documents: [{ name: 'Văn bản đề nghị tổ chức lễ hội' }],
      source: { type: 'entered by the office admin' },
    };
    const created = await call('/api/v1/procedures/9.000001', { method: 'PUT', token: tokens.admin, ...jsonBody(entry) });
    expect(created.status).toBe(201);
    expect(await assistant.dialog.handle({ channel: 'web', externalId: 'admin-check', message: { kind: 'text', text: 'xin phép tổ chức lễ hội' } })).toEqual([
      expect.objectContaining({ title: 'Cấp giấy phép tổ chức lễ hội truyền thống' }),
    ]);

    const updated = await call('/api/v1/procedures/9.000001', {
      method: 'PUT',
      token: tokens.admin,
      ...jsonBody({ ...entry, code: '9.000001', fee: '100.000 đồng', feeStatus: 'office' }),
    });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ fee: '100.000 đồng' });

    const mismatch = await call('/api/v1/procedures/9.000001', { method: 'PUT', token: tokens.admin, ...jsonBody({ ...entry, code: '9.000002' }) });
    expect(mismatch.status).toBe(422);
    const invalid = await call('/api/v1/procedures/9.000001', { method: 'PUT', token: tokens.admin, ...jsonBody({ ...entry, feeStatus: 'guessed' }) });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { error: { message: string } }).error.message).toContain('feeStatus');

    expect((await call('/api/v1/procedures/9.000001', { method: 'DELETE', token: tokens.admin })).status).toBe(204);
    expect((await call('/api/v1/procedures/9.000001', { method: 'DELETE', token: tokens.admin })).status).toBe(404);
    const searched = await assistant.dialog.handle({ channel: 'web', externalId: 'admin-check', message: { kind: 'text', text: 'xin phép tổ chức lễ hội' } });
    expect(searched?.[0]?.title).toBeUndefined();

    const upserts = await auditRows('procedure.upsert');
    expect(upserts.filter((r) => r.subject === 'procedure:9.000001')).toHaveLength(2);
    expect(upserts[0]).toMatchObject({ actor: expect.stringMatching(/^token:\d+$/), actorName: 'test admin', before: null });
    expect(await auditRows('procedure.delete')).toEqual([expect.objectContaining({ subject: 'procedure:9.000001', after: null })]);
  });
});

describe('import and export', () => {
  async function exported(format: 'json' | 'csv') {
    const res = await call(`/api/v1/procedures/export?format=${format}`, { token: tokens.admin });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain(format === 'csv' ? 'text/csv' : 'application/json');
    expect(res.headers.get('content-disposition')).toContain(`procedures.${format}`);
    return res.text();
  }

  it('rejects a bad import whole, listing every bad record and field, and changes nothing', async () => {
    const list = JSON.parse(await exported('json')) as Procedure[];
    const importsBefore = (await auditRows('procedure.import')).length;
    const broken = list.slice(0, 6).map((p, i) => (i === 1 ? { ...p, code: 'x' } : i === 4 ? { ...p, name: '', processingTimeStatus: 'soon' } : p));
    const res = await call('/api/v1/procedures/import', { method: 'POST', token: tokens.admin, ...jsonBody(broken) });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; problems: { row: number; field: string }[] } };
    expect(body.error.code).toBe('invalid_import');
    expect(body.error.problems.map((p) => `${p.row}:${p.field}`).sort()).toEqual(['2:code', '5:name', '5:processingTimeStatus']);
    expect(await assistant.database.db.select({ code: procedures.code }).from(procedures)).toHaveLength(list.length);
    expect(((await (await call('/api/v1/procedures', { token: tokens.admin })).json()) as { procedures: unknown[] }).procedures).toHaveLength(list.length);
    expect(await auditRows('procedure.import')).toHaveLength(importsBefore);
  });

  it('answers 415 for other content types and 422 for unreadable JSON', async () => {
    expect(
      (await call('/api/v1/procedures/import', { method: 'POST', token: tokens.admin, body: 'x', headers: { 'content-type': 'text/plain' } })).status,
    ).toBe(415);
    const res = await call('/api/v1/procedures/import', {
      method: 'POST',
      token: tokens.admin,
      body: '{oops',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(422);
  });

  it('replaces the catalog atomically from CSV and round-trips the export', async () => {
    const csv = await exported('csv');
    const whole = JSON.parse(await exported('json')) as Procedure[];
    const subset = whole.slice(0, 3);
    const importsBefore = (await auditRows('procedure.import')).map((r) => r.id);
    const res = await call('/api/v1/procedures/import', {
      method: 'POST',
      token: tokens.admin,
      body: new Uint8Array(gzipSync(Buffer.from(JSON.stringify(subset)))),
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ imported: 3 });
    expect(JSON.parse(await exported('json'))).toEqual(subset);
    expect((await call('/api/v1/procedures/1.004194', { token: tokens.admin })).status).toBe(404);
    expect(
      (await assistant.dialog.handle({ channel: 'web', externalId: 'import-check', message: { kind: 'text', text: 'đăng ký tạm trú' } }))?.[0]?.title,
    ).not.toBe('Đăng ký tạm trú');

    // The full CSV export (over 1 MB) goes back gzip-compressed and restores every procedure.
    expect(Buffer.byteLength(csv)).toBeGreaterThan(1024 * 1024);
    const back = await call('/api/v1/procedures/import', {
      method: 'POST',
      token: tokens.admin,
      body: new Uint8Array(gzipSync(Buffer.from(csv))),
      headers: { 'content-type': 'text/csv', 'content-encoding': 'gzip' },
    });
    expect(back.status).toBe(200);
    expect(await back.json()).toEqual({ imported: whole.length });
    expect(await exported('csv')).toBe(csv);
    expect(
      (await assistant.dialog.handle({ channel: 'web', externalId: 'import-check', message: { kind: 'text', text: 'đăng ký tạm trú' } }))?.[0]?.title,
    ).toBe('Đăng ký tạm trú');

    const imports = (await auditRows('procedure.import')).filter((r) => !importsBefore.includes(r.id));
    expect(imports.map((r) => r.after)).toEqual([
      expect.objectContaining({ count: 3, format: 'json' }),
      expect.objectContaining({ count: whole.length, format: 'csv' }),
    ]);
  });
});

describe('offices', () => {
  it('seeds one demo office and lets the admin replace it, audited', async () => {
    const list = (await (await call('/api/v1/offices', { token: tokens.admin })).json()) as { offices: { id: number; demo: boolean; sameDay: unknown[] }[] };
    expect(list.offices).toHaveLength(1);
    expect(list.offices[0]).toMatchObject({ demo: true });
    const id = list.offices[0]?.id ?? 0;
    const office = {
      name: 'Bộ phận một cửa UBND phường Hòa Bình',
      address: '12 Lê Lợi, phường Hòa Bình',
      phone: '0236 3822 123',
      openingHours: 'Thứ Hai – Thứ Sáu 7:30–17:00',
      sameDay: [{ weekday: 1, label: 'Ngày không hẹn', groups: ['Hộ tịch'] }],
    };
    const saved = await call(`/api/v1/offices/${id}`, { method: 'PUT', token: tokens.admin, ...jsonBody(office) });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ id, demo: false, sameDay: [{ weekday: 1, cutoff: '16:00' }] });
    const bad = await call(`/api/v1/offices/${id}`, {
      method: 'PUT',
      token: tokens.admin,
      ...jsonBody({ ...office, sameDay: [{ weekday: 9, label: 'x', groups: [] }] }),
    });
    expect(bad.status).toBe(400);
    expect((await call('/api/v1/offices/999', { method: 'PUT', token: tokens.admin, ...jsonBody(office) })).status).toBe(404);
    expect(await auditRows('office.update')).toEqual([expect.objectContaining({ subject: `office:${id}` })]);

    const card = await assistant.dialog.handle({ channel: 'web', externalId: 'office-check', message: { kind: 'text', text: 'đăng ký khai sinh' } });
    expect(card?.[0]?.text).toContain('0236 3822 123');
  });
});

describe('unanswered questions', () => {
  it('keeps questions nobody could answer, digits masked, most asked first', async () => {
    // Plausible procedure questions the catalog cannot answer (talk such as "giá vàng hôm nay" is not kept).
    for (const text of ['thủ tục khai thác cát sỏi ven sông', 'Thủ tục khai thác cát sỏi ven sông?', 'số tôi 0912345678 cần xin giấy phép khai thác cát']) {
      await assistant.dialog.handle({ channel: 'web', externalId: 'asker', message: { kind: 'text', text } });
    }
    const res = await call('/api/v1/search-log/unanswered?limit=5', { token: tokens.admin });
    const { questions } = (await res.json()) as { questions: { query: string; count: number }[] };
    expect(questions[0]).toMatchObject({ count: 2 });
    expect(questions.map((q) => q.query).join(' ')).not.toContain('0912345678');
    expect(questions.some((q) => q.query.includes('[số]'))).toBe(true);
    expect((await call('/api/v1/search-log/unanswered?limit=0', { token: tokens.admin })).status).toBe(400);
  });
});

describe('QR codes and posters', () => {
  it('serves the QR code as SVG and PNG encoding the procedure link', async () => {
    const svg = await call('/qr/procedures/1.001193.svg');
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    expect(await svg.text()).toMatch(/^<svg/);
    const png = await call('/qr/procedures/1.001193.png');
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await png.arrayBuffer()).slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it('answers 404, never 500, for unknown codes and formats', async () => {
    for (const path of [
      '/qr/procedures/9.999999.svg',
      '/qr/procedures/1.001193.gif',
      '/qr/procedures/..%2F..%2Fetc.png',
      '/posters/9.999999',
      '/posters/<script>',
    ]) {
      expect((await call(path)).status, path).toBe(404);
    }
  });

  it('prints an A4 poster with the name, papers, fee, time and QR code', async () => {
    const res = await call('/posters/1.001193');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('@page { size: A4');
    expect(html).toContain('<h1>Đăng ký khai sinh</h1>');
    expect(html).toContain('Tên đầy đủ: Thủ tục đăng ký khai sinh');
    expect(html).toContain('Tờ khai đăng ký khai sinh');
    expect(html).toContain('Nhận hồ sơ trước 15 giờ: trả kết quả trong ngày (theo quy trình trên Cổng DVC)');
    expect(html).not.toContain('không ghi đơn vị');
    expect(html).toContain('<svg');
    expect(html).toContain('Ngày không hẹn');
  });
});
