import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, certificationRequests, identities, outbox } from '../../db/schema';
import type { Database } from '../../db/types';
import { createRequest } from '../../domain/certification/requests';
import { NATIONAL_COPY_FEES } from '../../vocabulary/settings';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { latestCode, seedCitizen, seedOffice, TEST_SECRET, uniquePhone } from '../support/certification';
import { type ConsoleClient, consoleClient, createStaffAccount, signInWithHttp } from '../support/console';
import { testDatabaseKind } from '../support/database';

let assistant: TestAssistant;
let db: Database;
let officeA: number;
let officeB: number;
const clerks = {} as Record<'a1' | 'a2' | 'b' | 'official', ConsoleClient>;

beforeAll(async () => {
  assistant = await createTestAssistant();
  db = assistant.database.db;
  officeA = await seedOffice(db, 'UBND phường A');
  officeB = await seedOffice(db, 'UBND phường B');
  await createStaffAccount(db, { username: 'clerk-a1', role: 'staff', officeId: officeA, name: 'Lê Văn Một' });
  await createStaffAccount(db, { username: 'clerk-a2', role: 'staff', officeId: officeA, name: 'Phạm Thị Hai' });
  await createStaffAccount(db, { username: 'clerk-b', role: 'staff', officeId: officeB });
  await createStaffAccount(db, { username: 'leader', role: 'official', officeId: officeA });
  clerks.a1 = await signInWithHttp(assistant.app, 'clerk-a1');
  clerks.a2 = await signInWithHttp(assistant.app, 'clerk-a2');
  clerks.b = await signInWithHttp(assistant.app, 'clerk-b');
  clerks.official = await signInWithHttp(assistant.app, 'leader');
});
afterAll(async () => assistant.close());

/** A submitted chat request of a fresh citizen whose web chat is linked (so notices have somewhere to go). */
async function submitted(officeId = officeA, delivery: { method: 'pickup' } | { method: 'post'; address: string } = { method: 'pickup' }) {
  const { citizen, documents } = await seedCitizen(db, { phone: uniquePhone().e164, officeId, documents: [{ title: 'Giấy khai sinh', pages: 3 }] });
  const now = assistant.clock.now();
  const [chat] = await db
    .insert(identities)
    .values({ channel: 'web', externalId: `console-${citizen.id}`, citizenId: citizen.id, createdAt: now, lastSeenAt: now })
    .returning();
  const doc = documents[0];
  if (!chat || !doc) throw new Error('seed failed');
  const created = await db.transaction((tx) =>
    createRequest(tx, NATIONAL_COPY_FEES, {
      citizenId: citizen.id,
      identityId: chat.id,
      items: [{ documentId: doc.id, copies: 2 }],
      delivery,
      verification: { method: 'chat_otp', at: now },
      now,
    }),
  );
  if (!created.ok) throw new Error(created.reason);
  assistant.clock.advance(1000);
  return { id: created.value.id, ref: `CT-${String(created.value.id).padStart(6, '0')}`, chatId: chat.id, quotedFee: created.value.quotedFee };
}

const notices = (chatId: number) =>
  db
    .select()
    .from(outbox)
    .where(and(eq(outbox.identityId, chatId), like(outbox.kind, 'certification%')));
const statusOf = async (id: number) => (await db.select().from(certificationRequests).where(eq(certificationRequests.id, id)))[0];

describe(`console certification pages (${testDatabaseKind})`, () => {
  it('refuses every page and action to a signed-out visitor, an official, and a post without the form token', async () => {
    const r = await submitted();
    const pages = ['/console/certification', `/console/certification/${r.id}`, '/console/telephone', '/console/telephone/request?challenge=abcdefghijkl'];
    const posts: [string, Record<string, string>][] = [
      [`/console/certification/${r.id}/confirm`, {}],
      [`/console/certification/${r.id}/reject`, { reason: 'Giấy tờ không rõ' }],
      [`/console/certification/${r.id}/ready`, { pickupPlace: 'Quầy số 2' }],
      [`/console/certification/${r.id}/deliver`, { via: 'counter' }],
      ['/console/telephone', { phone: '0912345678' }],
      ['/console/telephone/request', { challengeId: 'abcdefghijkl', code: '123456' }],
    ];
    const visitor = consoleClient(assistant.app, null);
    for (const path of pages) {
      const res = await visitor.get(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location'), path).toBe(`/console/sign-in?next=${encodeURIComponent(path)}`);
      expect((await clerks.official.get(path)).status, path).toBe(403);
    }
    for (const [path, form] of posts) {
      expect((await visitor.post(path, form)).status, path).toBe(401);
      expect((await clerks.official.post(path, form)).status, path).toBe(403);
      const forged = await clerks.a1.post(path, form, { csrf: false });
      expect(forged.status, path).toBe(403);
      expect(await forged.text()).toContain('Biểu mẫu đã hết hạn');
    }
    expect((await statusOf(r.id))?.status).toBe('submitted');
    expect(await notices(r.chatId)).toHaveLength(0);
  });

  it('shows the waiting request with its facts, and confirms it in one post that tells the citizen', async () => {
    const r = await submitted();
    const page = await (await clerks.a1.get('/console/certification?status=submitted')).text();
    expect(page).toContain(r.ref);
    expect(page).toContain('Đã xác thực OTP qua chat');
    expect(page).toContain('Nhận tại bộ phận một cửa');
    expect(page).toContain('Nguyễn Thị Lan');
    expect(page).toMatch(/091\d \*\*\* \d{3}/);
    expect(page).toContain('Giấy khai sinh: 2 bản × 3 trang, 10.000 ₫');
    expect(page).toContain('data-refresh-url="/console/certification?status=submitted"');

    const res = await clerks.a1.post(`/console/certification/${r.id}/confirm`, { back: '/console/certification?status=submitted', fee: '' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/console/certification?status=submitted&done=confirm&ref=${r.id}`);
    const after = await (await clerks.a1.get(res.headers.get('location') ?? '')).text();
    expect(after).toContain(`Đã tiếp nhận ${r.ref}. Công dân sẽ được báo qua chat.`);
    expect((await statusOf(r.id))?.status).toBe('confirmed');
    expect(await notices(r.chatId)).toHaveLength(1);
    const audit = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subject, `certification:${r.id}`));
    expect(audit.map((a) => a.action)).toEqual(['certification.confirm']);
  });

  it('lets one of two clerks confirming at once win; the other sees it was already confirmed, and only one notice goes', async () => {
    const r = await submitted();
    const [first, second] = await Promise.all([
      clerks.a1.post(`/console/certification/${r.id}/confirm`, { back: `/console/certification/${r.id}` }),
      clerks.a2.post(`/console/certification/${r.id}/confirm`, { back: `/console/certification/${r.id}` }),
    ]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([303, 409]);
    const loser = first.status === 409 ? first : second;
    const html = await loser.text();
    expect(html).toContain('Yêu cầu này đã được tiếp nhận trước đó (hiện tại: Đã tiếp nhận, đang chuẩn bị).');
    expect(html).toContain('Không có gì thay đổi.');
    // The request as it stands now: confirmed, so "mark ready" is offered, not "confirm".
    expect(html).toContain('Đánh dấu đã sẵn sàng');
    expect(html).not.toContain(`/console/certification/${r.id}/confirm`);
    expect(await notices(r.chatId)).toHaveLength(1);
    expect(
      await db
        .select()
        .from(auditLog)
        .where(eq(auditLog.subject, `certification:${r.id}`)),
    ).toHaveLength(1);
  });

  it('refuses bad input with the page again (400) and the message, changing nothing', async () => {
    const r = await submitted();
    const cases: [string, Record<string, string>, string][] = [
      ['reject', { reason: '' }, 'Nhập lý do từ chối (từ 3 đến 500 ký tự)'],
      ['confirm', { fee: '15000', feeReason: '' }, 'Lệ phí khác với biểu phí (10.000 ₫): nhập lý do'],
      ['confirm', { fee: 'mười nghìn' }, 'Nhập lệ phí là số đồng'],
    ];
    for (const [kind, form, message] of cases) {
      const res = await clerks.a1.post(`/console/certification/${r.id}/${kind}`, form);
      expect(res.status, kind).toBe(400);
      const html = await res.text();
      expect(html).toContain('class="error-summary"');
      expect(html).toContain(message);
    }
    expect(await statusOf(r.id)).toMatchObject({ status: 'submitted', fee: null });

    // A fee change with its reason goes through; then "ready" without a place is refused.
    const confirmed = await clerks.a1.post(`/console/certification/${r.id}/confirm`, { fee: '12.000', feeReason: 'Thêm một trang phụ lục' });
    expect(confirmed.status).toBe(303);
    expect(await statusOf(r.id)).toMatchObject({ status: 'confirmed', fee: 12_000, feeReason: 'Thêm một trang phụ lục' });
    const noPlace = await clerks.a1.post(`/console/certification/${r.id}/ready`, { pickupPlace: '' });
    expect(noPlace.status).toBe(400);
    expect(await noPlace.text()).toContain('Nhập nơi công dân đến nhận bản sao');
    expect((await statusOf(r.id))?.status).toBe('confirmed');
    expect(await notices(r.chatId)).toHaveLength(1);
  });

  it('prefills the office as the collection place, and takes a request through ready and delivered by post', async () => {
    const r = await submitted(officeA, { method: 'post', address: '12 Nguyễn Huệ, phường Bến Nghé, TP Hồ Chí Minh' });
    expect((await clerks.a1.post(`/console/certification/${r.id}/confirm`, {})).status).toBe(303);
    const page = await (await clerks.a1.get('/console/certification?status=confirmed')).text();
    expect(page).toContain('Gửi qua bưu điện');
    expect((await clerks.a1.post(`/console/certification/${r.id}/ready`, {})).status).toBe(303);
    const badTracking = await clerks.a1.post(`/console/certification/${r.id}/deliver`, { via: 'post', trackingNumber: '12' });
    expect(badTracking.status).toBe(400);
    expect(await badTracking.text()).toContain('Nhập mã bưu gửi');
    expect((await clerks.a1.post(`/console/certification/${r.id}/deliver`, { via: 'post', trackingNumber: 'EB123456789VN' })).status).toBe(303);
    expect(await statusOf(r.id)).toMatchObject({ status: 'delivered', deliveredVia: 'post', trackingNumber: 'EB123456789VN' });
    const done = await (await clerks.a1.get('/console/certification?status=done')).text();
    expect(done).toContain(r.ref);
    expect(done).toContain('EB123456789VN');

    const pickup = await submitted();
    await clerks.a1.post(`/console/certification/${pickup.id}/confirm`, {});
    const detail = await (await clerks.a1.get(`/console/certification/${pickup.id}`)).text();
    expect(detail).toContain('value="UBND phường A, 1 Lê Lợi"');
  });

  it('keeps each office to its own requests: another office’s request is a 404 and not in its list', async () => {
    const r = await submitted(officeA);
    const list = await (await clerks.b.get('/console/certification?status=submitted')).text();
    expect(list).not.toContain(r.ref);
    expect((await clerks.b.get(`/console/certification/${r.id}`)).status).toBe(404);
    const act = await clerks.b.post(`/console/certification/${r.id}/reject`, { reason: 'Không thuộc thẩm quyền' });
    expect(act.status).toBe(404);
    expect(await act.text()).toContain('Không tìm thấy yêu cầu');
    expect((await statusOf(r.id))?.status).toBe('submitted');
    expect((await clerks.a1.get('/console/certification/abc')).status).toBe(404);
    expect((await clerks.a1.get('/console/certification/999999999')).status).toBe(404);
  });

  it('returns only the list region to the refresh script', async () => {
    const r = await submitted();
    const res = await assistant.app.request('/console/certification?status=submitted', { headers: { cookie: clerks.a1.cookie, 'X-Console-Fragment': '1' } });
    expect(res.status).toBe(200);
    const html = (await res.text()).trim();
    expect(html.startsWith('<div id="queue"')).toBe(true);
    expect(html.endsWith('</div>')).toBe(true);
    expect(html).not.toContain('<html');
    expect(html).not.toContain('<h1');
    expect(html).toContain(r.ref);
  });

  it('rejects with the reason the citizen is told', async () => {
    const r = await submitted();
    const res = await clerks.a1.post(`/console/certification/${r.id}/reject`, { reason: 'Bản scan bị mờ, xin mang bản chính tới' });
    expect(res.status).toBe(303);
    const [notice] = await notices(r.chatId);
    expect(JSON.stringify(notice?.payload)).toContain('Bản scan bị mờ, xin mang bản chính tới');
  });
});

describe(`console telephone request (${testDatabaseKind})`, () => {
  it('sends a code, refuses a wrong one, and creates the request with the right one', async () => {
    const phone = uniquePhone();
    const { documents } = await seedCitizen(db, {
      phone: phone.e164,
      officeId: officeA,
      documents: [
        { title: 'Giấy khai sinh', pages: 2 },
        { title: 'Bằng tốt nghiệp', pages: 1 },
        { title: 'Sổ đỏ', pages: 4, officeId: officeB },
      ],
    });
    const sent = await clerks.a1.post('/console/telephone', { phone: phone.typed });
    expect(sent.status).toBe(303);
    const step2 = sent.headers.get('location') ?? '';
    expect(step2).toMatch(/^\/console\/telephone\/request\?challenge=/);
    const challengeId = decodeURIComponent(step2.split('=')[1] ?? '');
    const form = await (await clerks.a1.get(step2)).text();
    expect(form).toContain('Giấy khai sinh');
    expect(form).toContain('Bằng tốt nghiệp');
    // Papers kept by another office are not offered here.
    expect(form).not.toContain('Sổ đỏ');
    expect(form).toContain(`name="challengeId" value="${challengeId}"`);
    // Only the clerk who sent the code continues with it.
    expect((await clerks.a2.get(step2)).status).toBe(404);

    const code = String(await latestCode(db, TEST_SECRET, phone.e164));
    const [first, second] = documents;
    const base = { challengeId, doc: String(first?.id), [`copies-${first?.id}`]: '2', delivery: 'pickup' };
    const wrong = await clerks.a1.post('/console/telephone/request', { ...base, code: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('Mã chưa đúng. Còn 4 lần thử.');
    const noAddress = await clerks.a1.post('/console/telephone/request', { ...base, code, delivery: 'post', address: 'ngắn' });
    expect(noAddress.status).toBe(400);
    expect(await noAddress.text()).toContain('Nhập địa chỉ gửi đầy đủ');
    const noPapers = await clerks.a1.post('/console/telephone/request', { challengeId, code, delivery: 'pickup' });
    expect(noPapers.status).toBe(400);
    expect(await noPapers.text()).toContain('Chọn ít nhất một giấy tờ');

    // Two papers ticked: the same field name twice, as the browser sends checkboxes.
    const body = new FormData();
    for (const [name, value] of Object.entries({ ...base, code, [`copies-${second?.id}`]: '1' })) body.append(name, value);
    body.append('doc', String(second?.id));
    const res = await clerks.a1.post('/console/telephone/request', body);
    expect(res.status).toBe(303);
    const location = res.headers.get('location') ?? '';
    const id = Number(/certification\/(\d+)\?/.exec(location)?.[1]);
    expect(location).toBe(`/console/certification/${id}?done=telephone&ref=${id}`);
    const stored = await statusOf(id);
    expect(stored).toMatchObject({ status: 'submitted', verificationMethod: 'telephone_otp', officeId: officeA });
    expect(stored?.items.map((i) => [i.title, i.copies])).toEqual([
      ['Giấy khai sinh', 2],
      ['Bằng tốt nghiệp', 1],
    ]);
    const detail = await (await clerks.a1.get(location)).text();
    expect(detail).toContain('Đã tạo yêu cầu CT-');
    expect(detail).toContain('Đã xác thực OTP qua điện thoại');
    // Who took the call, by name (the record keeps staff:<id>).
    expect(detail).toMatch(/Cán bộ nhận qua điện thoại<\/dt><dd>Lê Văn Một</);
  });

  it('tells the clerk to register an unknown caller, refuses a malformed number, and says when more codes may be sent', async () => {
    const unknown = await clerks.a1.post('/console/telephone', { phone: uniquePhone().typed });
    expect(unknown.status).toBe(400);
    const html = await unknown.text();
    expect(html).toContain('Vui lòng đăng ký công dân và quét giấy tờ trước.');
    expect(html).toContain('href="/console/citizens"');
    const malformed = await clerks.a1.post('/console/telephone', { phone: '12ab' });
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain('Nhập số điện thoại Việt Nam');

    const phone = uniquePhone();
    await seedCitizen(db, { phone: phone.e164, officeId: officeA, documents: [{ title: 'CCCD', pages: 1 }] });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await clerks.a1.post('/console/telephone', { phone: phone.typed })).status);
    expect(statuses).toEqual([303, 303, 303]);
    const limited = await clerks.a1.post('/console/telephone', { phone: phone.typed });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await limited.text()).toMatch(/Vui lòng thử lại sau \d\d:\d\d/);
  });
});
