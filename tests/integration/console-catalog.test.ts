import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, offices, procedures } from '../../db/schema';
import { sha256Hex } from '../../lib/crypto';
import type { Procedure } from '../../vocabulary/procedure';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { type ConsoleClient, consoleClient, createStaffAccount, signInWithHttp } from '../support/console';

let assistant: TestAssistant;
let admin: ConsoleClient;
const BIRTH = '1.001193';

beforeAll(async () => {
  assistant = await createTestAssistant();
  await createStaffAccount(assistant.database.db, { username: 'chief', role: 'admin' });
  await createStaffAccount(assistant.database.db, { username: 'clerk', role: 'staff', officeId: 1 });
  await createStaffAccount(assistant.database.db, { username: 'boss', role: 'official', officeId: null });
  admin = await signInWithHttp(assistant.app, 'chief');
});
afterAll(() => assistant?.close());

const db = () => assistant.database.db;
const stored = async (code: string) => (await db().select().from(procedures).where(eq(procedures.code, code)))[0]?.data ?? null;
/** Catalog and office writes in the audit log (sign-ins are audited too, and are not counted). */
const auditCount = async () => (await db().select({ action: auditLog.action }).from(auditLog)).filter((a) => /^(procedure|office)\./.test(a.action)).length;
/** Everything an import or an edit could change, to compare before and after a refusal. */
const snapshot = async () => ({
  procedures: (await db().select({ code: procedures.code, data: procedures.data }).from(procedures).orderBy(asc(procedures.code))).map((r) =>
    sha256Hex(JSON.stringify(r)),
  ),
  offices: sha256Hex(JSON.stringify(await db().select().from(offices).orderBy(asc(offices.id)))),
  audit: await auditCount(),
});

const decodeHtml = (text: string) =>
  text.replace(/&(#(\d+)|#x([0-9a-f]+)|amp|lt|gt|quot|apos);/gi, (_, __, dec?: string, hex?: string) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(Number.parseInt(hex, 16));
    return { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" }[_.toLowerCase()] ?? _;
  });
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decodeHtml(m[1] ?? '') : undefined;
};

/** The fields a browser would send for the form posting to `action`, as the page renders them. */
function formFields(html: string, action: string): FormData {
  const start = html.indexOf(`action="${action}"`);
  expect(start).toBeGreaterThan(0);
  const form = html.slice(start, html.indexOf('</form>', start));
  const data = new FormData();
  for (const [tag] of form.matchAll(/<input[^>]*>/g)) {
    const name = attr(tag, 'name');
    const type = attr(tag, 'type') ?? 'text';
    if (!name || name === '_csrf') continue;
    if (type === 'checkbox') {
      if (/\schecked=""/.test(tag)) data.append(name, attr(tag, 'value') ?? 'on');
    } else data.append(name, attr(tag, 'value') ?? '');
  }
  for (const [, open = '', body = ''] of form.matchAll(/<textarea([^>]*)>([\s\S]*?)<\/textarea>/g)) data.append(attr(open, 'name') ?? '', decodeHtml(body));
  for (const [, open = '', options = ''] of form.matchAll(/<select([^>]*)>([\s\S]*?)<\/select>/g)) {
    const chosen = /<option value="([^"]*)" selected=""/.exec(options) ?? /<option value="([^"]*)"/.exec(options);
    data.append(attr(open, 'name') ?? '', decodeHtml(chosen?.[1] ?? ''));
  }
  return data;
}

async function chat(text: string, cookie?: string) {
  const res = await assistant.app.request('/chat/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ text }),
  });
  const body = (await res.json()) as { replies: { text: string }[] };
  return { text: body.replies.map((r) => r.text).join('\n'), cookie: res.headers.get('set-cookie')?.split(';')[0] ?? cookie };
}

const upload = (client: ConsoleClient, name: string, content: string, type: string) => {
  const form = new FormData();
  form.set('file', new File([content], name, { type }));
  return client.post('/console/catalog/import', form);
};
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];

describe('console catalog: who may use it', () => {
  it('sends the signed-out to sign in, refuses staff and officials, and refuses a write without the CSRF token; nothing changes', async () => {
    const before = await snapshot();
    const visitor = consoleClient(assistant.app, null);
    const open = await visitor.get('/console/catalog');
    expect([open.status, open.headers.get('location')]).toEqual([303, '/console/sign-in?next=%2Fconsole%2Fcatalog']);
    expect((await visitor.post(`/console/catalog/${BIRTH}`, { name: 'x' }, { csrf: false })).status).toBe(401);
    for (const username of ['clerk', 'boss']) {
      const client = await signInWithHttp(assistant.app, username);
      for (const path of ['/console/catalog', `/console/catalog/${BIRTH}`, '/console/catalog/export?format=json', '/console/offices', '/console/offices/1'])
        expect([username, path, (await client.get(path)).status]).toEqual([username, path, 403]);
      for (const path of [`/console/catalog/${BIRTH}`, `/console/catalog/${BIRTH}/delete`, '/console/catalog/import/confirm', '/console/offices/1'])
        expect([username, path, (await client.post(path, { name: 'Đổi tên' })).status]).toEqual([username, path, 403]);
    }
    const form = formFields(await (await admin.get(`/console/catalog/${BIRTH}`)).text(), `/console/catalog/${BIRTH}`);
    form.set('fee', '999.000 đồng');
    const noToken = await admin.post(`/console/catalog/${BIRTH}`, form, { csrf: false });
    expect(noToken.status).toBe(403);
    expect(await noToken.text()).toContain('Biểu mẫu đã hết hạn');
    expect((await admin.post(`/console/catalog/${BIRTH}/delete`, {}, { csrf: false })).status).toBe(403);
    expect((await admin.post('/console/offices/1/delete', {}, { csrf: false })).status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });
});

describe('console catalog: finding and editing a procedure', () => {
  it('finds a procedure by code and by name with or without accents', async () => {
    const byCode = await (await admin.get(`/console/catalog?q=${BIRTH}`)).text();
    expect(byCode).toContain(`/console/catalog/${BIRTH}"`);
    const accented = await (await admin.get(`/console/catalog?q=${encodeURIComponent('chứng thực bản sao')}`)).text();
    const plain = await (await admin.get('/console/catalog?q=chung+thuc+ban+sao')).text();
    const codes = (html: string) => [...html.matchAll(/href="\/console\/catalog\/(\d[\d.A-Z]+)"/g)].map((m) => m[1]);
    expect(codes(accented).length).toBeGreaterThan(0);
    expect(codes(plain)).toEqual(codes(accented));
    expect(await (await admin.get('/console/catalog?q=khong+co+thu+tuc+nay')).text()).toContain('Không có thủ tục nào khớp');
    expect((await admin.get('/console/catalog/1.999999')).status).toBe(404);
  });

  it('names every problem of a bad edit at its field (400) and saves nothing', async () => {
    const before = await snapshot();
    const form = formFields(await (await admin.get(`/console/catalog/${BIRTH}`)).text(), `/console/catalog/${BIRTH}`);
    form.set('name', 'ab');
    form.set('group', '');
    form.set('onlineUrl', 'not an address');
    form.set('feeStatus', 'guessed');
    form.set('channels-0-channel', '');
    form.set('shortName', 'x'.repeat(81));
    const res = await admin.post(`/console/catalog/${BIRTH}`, form);
    expect(res.status).toBe(400);
    const page = await res.text();
    for (const message of [
      'Tên thủ tục (nguyên văn): cần ít nhất 3 ký tự.',
      'Nhóm: vui lòng nhập thông tin này.',
      'Địa chỉ nộp trực tuyến: cần một địa chỉ bắt đầu bằng https://.',
      'Nguồn của phí, lệ phí: vui lòng chọn một giá trị trong danh sách.',
      'Hình thức nộp 1 — Hình thức (Trực tiếp, Trực tuyến, Dịch vụ bưu chính): vui lòng nhập thông tin này.',
      'Tên ngắn: tối đa 80 ký tự.',
    ])
      expect(page).toContain(message);
    // Each summary line links to its field, and the field shows its message.
    expect(page).toContain('href="#onlineUrl"');
    expect(page).toContain('id="onlineUrl-error"');
    expect(page).toContain('value="not an address"');
    expect(await snapshot()).toEqual(before);
  });

  it('saves a new fee, marks it the office’s own, audits it, and the chat answers with it at once', async () => {
    const first = await chat('lệ phí đăng ký khai sinh');
    expect(first.text).toContain('Miễn phí');
    const audits = await auditCount();
    const form = formFields(await (await admin.get(`/console/catalog/${BIRTH}`)).text(), `/console/catalog/${BIRTH}`);
    const direct = [...form.entries()].find(([k, v]) => /^channels-\d-channel$/.test(k) && v === 'Trực tiếp')?.[0]?.split('-')[1];
    form.set(`channels-${direct}-fee`, '15.000 đồng');
    form.set('legalBasis', `${form.get('legalBasis')}\n99/2026/NĐ-CP`);
    const res = await admin.post(`/console/catalog/${BIRTH}`, form);
    expect([res.status, res.headers.get('location')]).toEqual([303, `/console/catalog/${BIRTH}?done=saved`]);
    const saved = (await stored(BIRTH)) as Procedure;
    expect(saved.channels.find((c) => c.channel === 'Trực tiếp')?.fee).toBe('15.000 đồng');
    expect(saved.feeStatus).toBe('office');
    expect(saved.processingTimeStatus).toBe('sourced_unit_missing');
    expect(saved.legalBasis.at(-1)).toBe('99/2026/NĐ-CP');
    expect(saved.legalBasis).toHaveLength(17);
    // Everything the form did not touch is kept as it was.
    expect(saved.documents.length).toBeGreaterThan(5);
    expect(saved.stepsTime?.sameDay).toBe(true);
    expect(saved.source.commit).toBe('7b79a320cbbd6727c1ef7551fd13e8eff9e410e7');
    expect(await auditCount()).toBe(audits + 1);
    expect((await chat('lệ phí đăng ký khai sinh')).text).toContain('15.000');
    expect(await (await admin.get(`/console/catalog/${BIRTH}?done=saved`)).text()).toContain('Đã lưu');
  });

  it('adds a new procedure, refuses its code a second time, and deletes it after a confirmation', async () => {
    const form = formFields(await (await admin.get('/console/catalog/new')).text(), '/console/catalog/new');
    form.set('code', '9.000001');
    form.set('name', 'Thủ tục thử nghiệm của phường');
    form.set('group', 'Hộ tịch');
    form.set('channels-0-channel', 'Trực tiếp');
    form.set('channels-0-fee', 'Miễn phí');
    const created = await admin.post('/console/catalog/new', form);
    expect([created.status, created.headers.get('location')]).toEqual([303, '/console/catalog/9.000001?done=created']);
    expect(await stored('9.000001')).toMatchObject({ codeStatus: 'office', feeStatus: 'office', channels: [{ channel: 'Trực tiếp', fee: 'Miễn phí' }] });
    const again = await admin.post('/console/catalog/new', form);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('đã có thủ tục mã 9.000001');

    const confirm = await admin.get('/console/catalog/9.000001/delete');
    expect(await confirm.text()).toContain('Xóa thủ tục 9.000001?');
    expect(await stored('9.000001')).not.toBeNull();
    const removed = await admin.post('/console/catalog/9.000001/delete', {});
    expect([removed.status, removed.headers.get('location')]).toEqual([303, '/console/catalog?done=deleted']);
    expect(await stored('9.000001')).toBeNull();
    expect((await admin.post('/console/catalog/9.000001/delete', {})).status).toBe(404);
  });
});

describe('console catalog: import and export', () => {
  it('previews every bad record of a file and writes nothing', async () => {
    const list = (await (await admin.get('/console/catalog/export?format=json')).json()) as Record<string, unknown>[];
    const before = await snapshot();
    const bad = list.map((p, i) => (i === 1 ? { ...p, code: 'x1' } : i === 4 ? { ...p, name: undefined, feeStatus: 'guessed' } : p));
    const res = await upload(admin, 'bad.json', JSON.stringify(bad), 'application/json');
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('Tệp có 3 lỗi, chưa có gì thay đổi');
    expect(page).toMatch(/<td data-label="Bản ghi">2<\/td><td data-label="Trường">Mã thủ tục<\/td><td data-label="Lỗi">mã có dạng 1.001193/);
    expect(page).toMatch(/<td data-label="Bản ghi">5<\/td><td data-label="Trường">Tên thủ tục \(nguyên văn\)<\/td><td data-label="Lỗi">vui lòng nhập/);
    expect(page).toMatch(/<td data-label="Bản ghi">5<\/td><td data-label="Trường">Nguồn của phí, lệ phí<\/td>/);
    expect(page).not.toContain('name="content"');

    const csv = await (await admin.get('/console/catalog/export?format=csv')).text();
    const rows = csv.split('\n');
    // Record 3 repeats record 1's code; record 4 has a cell of broken JSON.
    rows.splice(3, 0, rows[1] ?? '', `9.000002,office,Thủ tục lỗi,,,,,Hộ tịch,,,,,,office,,,office,,,,office,[],,[],{bad json`);
    const csvRes = await upload(admin, 'bad.csv', rows.join('\n'), 'text/csv');
    expect(csvRes.status).toBe(400);
    const csvPage = await csvRes.text();
    expect(csvPage).toContain('ô này cần dữ liệu JSON hợp lệ');
    expect(csvPage).toContain(`mã này trùng với bản ghi`);

    for (const [name, content, message] of [
      ['empty.json', '[]', 'tệp không có thủ tục nào'],
      ['broken.json', '[{', 'tệp không phải JSON hợp lệ'],
      ['object.json', '{"code":"1.001193"}', 'tệp JSON cần là một danh sách thủ tục'],
    ] as const) {
      const r = await upload(admin, name, content, 'application/json');
      expect([name, r.status]).toEqual([name, 400]);
      expect(await r.text()).toContain(message);
    }
    const none = await admin.post('/console/catalog/import', new FormData());
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('vui lòng chọn một tệp JSON hoặc CSV');
    expect(await snapshot()).toEqual(before);
  });

  it('re-checks a tampered confirmation and writes nothing', async () => {
    const list = (await (await admin.get('/console/catalog/export?format=json')).json()) as Record<string, unknown>[];
    const before = await snapshot();
    const tampered = JSON.stringify(list.map((p, i) => (i === 0 ? { ...p, onlineUrl: 'javascript:alert(1)', extra: true } : p)));
    for (const form of [
      { format: 'json', content: Buffer.from(tampered).toString('base64') },
      { format: 'json', content: 'not base64 at all!' },
      { format: 'csv', content: Buffer.from('code\n1.001193').toString('base64') },
      { format: 'json', content: '' },
    ]) {
      const res = await admin.post('/console/catalog/import/confirm', form);
      expect([form.content.slice(0, 12), res.status]).toEqual([form.content.slice(0, 12), 400]);
      expect(await res.text()).toContain('chưa có gì thay đổi');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('round-trips an export through the preview and the confirmation unchanged, as JSON and as CSV', async () => {
    for (const format of ['json', 'csv'] as const) {
      const exported = await (await admin.get(`/console/catalog/export?format=${format}`)).text();
      const before = await snapshot();
      const preview = await upload(admin, `procedures.${format}`, exported, format === 'csv' ? 'text/csv' : 'application/json');
      expect(preview.status).toBe(200);
      const page = await preview.text();
      expect(page).toContain(`Thay danh mục bằng ${before.procedures.length} thủ tục này`);
      expect(page).toMatch(new RegExp(`<dt>Giữ nguyên</dt><dd>${before.procedures.length}</dd>`));
      expect(await snapshot()).toEqual(before);
      const content = hidden(page, 'content') ?? '';
      expect(Buffer.from(content, 'base64').toString('utf8')).toBe(exported);
      const done = await admin.post('/console/catalog/import/confirm', { format: hidden(page, 'format') ?? '', content });
      expect([done.status, done.headers.get('location')]).toEqual([303, `/console/catalog?done=imported&count=${before.procedures.length}`]);
      expect((await snapshot()).procedures).toEqual(before.procedures);
      expect(await (await admin.get(`/console/catalog/export?format=${format}`)).text()).toBe(exported);
      expect(await auditCount()).toBe(before.audit + 1);
    }
  });
});

describe('console offices', () => {
  it('names each bad office field and saves nothing', async () => {
    const before = await snapshot();
    const form = formFields(await (await admin.get('/console/offices/1')).text(), '/console/offices/1');
    form.set('phone', '');
    form.set('sameDay-0-cutoff', '25:00');
    form.set('holidays', '02/09/2026 Quốc khánh\nngày mai nghỉ\n31/02/2027 Không có ngày này\n02/09/2026 Lặp lại');
    const res = await admin.post('/console/offices/1', form);
    expect(res.status).toBe(400);
    const page = await res.text();
    for (const message of [
      'Số điện thoại: cần ít nhất 3 ký tự.',
      'Ngày trả trong ngày 1 — Giờ chốt: giờ có dạng HH:mm',
      'Ngày nghỉ, dòng 2: cần có ngày (dd/mm/yyyy)',
      'Ngày nghỉ thứ 2: ngày không hợp lệ.',
      'Ngày nghỉ: mỗi ngày chỉ ghi một lần.',
    ])
      expect(page).toContain(message);
    expect(await snapshot()).toEqual(before);
  });

  it('saves new hours and days off, and the chat’s hours and holiday answers use them at once', async () => {
    const cookie = (await chat('mấy giờ mở cửa')).cookie;
    const form = formFields(await (await admin.get('/console/offices/1')).text(), '/console/offices/1');
    form.set('openingHours', 'Thứ Hai – Thứ Sáu 7:00–11:00, 13:00–16:30');
    form.set('holidays', '02/09/2026 Quốc khánh\n2027-01-01 Tết Dương lịch\n17/02/2027 Tết Nguyên đán');
    const res = await admin.post('/console/offices/1', form);
    expect([res.status, res.headers.get('location')]).toEqual([303, '/console/offices/1?done=saved']);
    const [row] = await db().select().from(offices).where(eq(offices.id, 1));
    expect(row?.holidays).toEqual([
      { date: '2026-09-02', name: 'Quốc khánh' },
      { date: '2027-01-01', name: 'Tết Dương lịch' },
      { date: '2027-02-17', name: 'Tết Nguyên đán' },
    ]);
    expect((await chat('mấy giờ mở cửa', cookie)).text).toContain('Thứ Hai – Thứ Sáu 7:00–11:00, 13:00–16:30');
    const weekend = (await chat('thứ 7 có làm việc không', cookie)).text;
    // The clock stands at 23/11/2026: the September holiday is past, the next two are named.
    expect(weekend).toContain('Những ngày nghỉ sắp tới của Bộ phận một cửa: 01/01/2027 (Tết Dương lịch); 17/02/2027 (Tết Nguyên đán).');
    expect(weekend).not.toContain('02/09/2026');
    // The page shows the days off back, one a line.
    expect(await (await admin.get('/console/offices/1')).text()).toContain('02/09/2026 Quốc khánh\n01/01/2027 Tết Dương lịch');
  });

  it('keeps an office that accounts still belong to, and removes a new, unused one', async () => {
    const before = await snapshot();
    const refused = await admin.post('/console/offices/1/delete', {});
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('Chưa xóa được văn phòng này vì vẫn còn 1 tài khoản cán bộ');
    expect(await snapshot()).toEqual(before);

    const form = formFields(await (await admin.get('/console/offices/new')).text(), '/console/offices/new');
    form.set('name', 'Bộ phận một cửa phường Thử');
    form.set('address', 'Số 2 đường Thử');
    form.set('phone', '0200 111 2222');
    form.set('openingHours', 'Thứ Hai – Thứ Sáu');
    const created = await admin.post('/console/offices/new', form);
    expect(created.status).toBe(303);
    const id = /\/console\/offices\/(\d+)\?done=created/.exec(created.headers.get('location') ?? '')?.[1];
    expect((await admin.get(`/console/offices/${id}/delete`)).status).toBe(200);
    const removed = await admin.post(`/console/offices/${id}/delete`, {});
    expect([removed.status, removed.headers.get('location')]).toEqual([303, '/console/offices?done=deleted']);
    expect((await admin.get(`/console/offices/${id}`)).status).toBe(404);
  });
});
