import { readFileSync } from 'node:fs';
import { asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { areas, auditLog, offices } from '../../db/schema';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { type ConsoleClient, createStaffAccount, signInWithHttp } from '../support/console';

/** The province file in the console, over HTTP: preview, every problem listed, confirm, export; the office form's new fields. */
const SAMPLE = readFileSync(new URL('../../knowledge/data/sample-province.json', import.meta.url), 'utf8');

let assistant: TestAssistant;
let admin: ConsoleClient;
beforeAll(async () => {
  assistant = await createTestAssistant();
  await createStaffAccount(assistant.database.db, { username: 'quan-tri', role: 'admin' });
  await createStaffAccount(assistant.database.db, { username: 'ld-tinh', role: 'official' });
  admin = await signInWithHttp(assistant.app, 'quan-tri');
});
afterAll(async () => assistant.close());

const upload = (name: string, content: string, type: string) => {
  const form = new FormData();
  form.set('file', new File([content], name, { type }));
  return admin.post('/console/offices/import', form);
};
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
const snapshot = async () => ({
  offices: await assistant.database.db.select().from(offices).orderBy(asc(offices.id)),
  areas: await assistant.database.db.select().from(areas).orderBy(asc(areas.code)),
});

describe('console offices: the province file', () => {
  it('refuses officials the import and export pages', async () => {
    const official = await signInWithHttp(assistant.app, 'ld-tinh');
    for (const path of ['/console/offices/import', '/console/offices/export?format=csv']) expect((await official.get(path)).status).toBe(403);
  });

  it('lists every problem of a bad file before anything is written, and writes nothing', async () => {
    const file = JSON.parse(SAMPLE) as { offices: Record<string, unknown>[] };
    const rows = file.offices.slice(0, 5);
    rows[1] = { ...rows[1], phone: '' };
    rows[3] = { ...rows[3], code: rows[0]?.code };
    const before = await snapshot();
    const res = await upload('tinh.json', JSON.stringify(rows), 'application/json');
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Tệp có 2 lỗi, chưa có gì thay đổi');
    expect(html).toContain('id="problems"');
    expect(html).toMatch(/<td data-label="Bản ghi">2<\/td><td data-label="Trường">Số điện thoại<\/td>/);
    expect(html).toMatch(/<td data-label="Bản ghi">4<\/td><td data-label="Trường">Mã đơn vị<\/td>/);
    const csv = await upload('tinh.csv', 'name,address,phone,openingHours,areas\nXã Một (dữ liệu mẫu),Số 1,0200,7:30-17:00,xa-mot Xã Một\n', 'text/csv');
    expect(await csv.text()).toContain('Cần ghi dạng mã: tên');
    // An office code is told in an office code's words, not a procedure code's (1.001193).
    const badCode = await (await upload('ma.json', JSON.stringify([{ ...rows[0], code: 'Ma Sai' }]), 'application/json')).text();
    expect(badCode).toContain('ví dụ phuong-ben-nghe');
    expect(badCode).not.toContain('1.001193');
    expect(await snapshot()).toEqual(before);
  });

  it('previews the sample province, imports it on confirmation, and exports it', async () => {
    const preview = await upload('sample-province.json', SAMPLE, 'application/json');
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain('hợp lệ: 120 đơn vị');
    expect(html).toMatch(/data-change="created"><dt>Thêm mới \(120\)/);
    expect(html).toContain('Không có trong tệp, được giữ nguyên');
    expect(await assistant.database.db.select().from(areas)).toHaveLength(0);

    const confirm = await admin.post('/console/offices/import/confirm', { format: hidden(html, 'format') ?? '', content: hidden(html, 'content') ?? '' });
    expect([confirm.status, confirm.headers.get('location')]).toEqual([303, '/console/offices?done=imported&count=120']);
    const list = await (await admin.get('/console/offices?done=imported&count=120')).text();
    expect(list).toContain('Đã nhập 120 đơn vị.');
    expect(list).toContain('phuong-an-loi');
    // With many offices no single one is "where the assistant sends citizens": each chat has its own.
    expect(list).not.toContain('Trợ lý hướng dẫn đến đây');
    const codes = (JSON.parse(SAMPLE) as { offices: { code: string }[] }).offices.map((o) => o.code);
    expect(await assistant.database.db.select().from(offices).where(inArray(offices.code, codes))).toHaveLength(120);
    expect(await assistant.database.db.select().from(auditLog).where(eq(auditLog.action, 'office.import'))).toHaveLength(1);

    const csv = await admin.get('/console/offices/export?format=csv');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="offices.csv"');
    const again = await upload('offices.csv', await csv.text(), 'text/csv');
    const roundTrip = await again.text();
    expect(roundTrip).toMatch(/data-change="unchanged"><dt>Giữ nguyên<\/dt><dd>\d+<\/dd>/);
    for (const change of ['created', 'updated', 'moved-areas', 'released-areas']) expect(roundTrip).not.toContain(`data-change="${change}"`);
  });

  it('saves the code, portal and handover hours of an office, keeps its own fee table, and refuses a taken code at its field', async () => {
    const db = assistant.database.db;
    await admin.post('/console/offices/new', {
      code: 'xa-rieng',
      name: 'Bộ phận một cửa xã Riêng (dữ liệu mẫu)',
      address: 'Số 1 (dữ liệu mẫu)',
      phone: '0200 000 0009',
      openingHours: '7:30-17:00',
    });
    const [row] = await db.select().from(offices).where(eq(offices.code, 'xa-rieng'));
    if (!row) throw new Error('not created');
    const fees = { tiers: [{ fromPage: 1, perPage: 1_000 }], maxPerCopy: 50_000 };
    await db
      .update(offices)
      .set({ settings: { certificationFees: fees } })
      .where(eq(offices.id, row.id));
    const form = {
      code: 'xa-rieng-moi',
      name: row.name,
      address: row.address,
      phone: row.phone,
      openingHours: row.openingHours,
      portal: 'https://dichvucong.tinh-mau.example/xa-rieng',
      handoverHours: 'Thứ Hai – Thứ Sáu 8:00–16:00',
    };
    const saved = await admin.post(`/console/offices/${row.id}`, form);
    expect(saved.status).toBe(303);
    const [after] = await db.select().from(offices).where(eq(offices.id, row.id));
    expect(after).toMatchObject({
      code: 'xa-rieng-moi',
      portal: form.portal,
      settings: { handoverHours: form.handoverHours, certificationFees: fees },
    });
    const taken = await admin.post(`/console/offices/${row.id}`, { ...form, code: 'phuong-mau' });
    expect(taken.status).toBe(400);
    expect(await taken.text()).toContain('Mã đơn vị: mã phuong-mau đã thuộc về đơn vị khác');
    const page = await (await admin.get(`/console/offices/${row.id}`)).text();
    expect(page).toContain('value="xa-rieng-moi"');
    expect(page).toContain('Chưa có xã, phường nào.');
  });
});
