import { and, count, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossierEvents, dossiers, identities, outbox } from '../../db/schema';
import { dueCounts } from '../../domain/dossiers/due';
import { linkVerifiedPhone } from '../../domain/people/citizens';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { TEST_START } from '../support/clock';
import { type ConsoleClient, consoleClient, createStaffAccount, signInWithHttp } from '../support/console';
import { registerCsv } from '../support/dossier-register';

let assistant: TestAssistant;
let staff: ConsoleClient;
let otherOffice: ConsoleClient;
let official: ConsoleClient;
let serial = 0;
const code = () => `H19.22-231126-${String(++serial).padStart(4, '0')}`;

beforeAll(async () => {
  assistant = await createTestAssistant();
  assistant.clock.set(TEST_START); // 08:00 in Vietnam on 23/11/2026
  const { db } = assistant.database;
  await createStaffAccount(db, { username: 'quay1', role: 'staff', officeId: 1 });
  await createStaffAccount(db, { username: 'quay2', role: 'staff', officeId: 2 });
  await createStaffAccount(db, { username: 'lanhdao', role: 'official', officeId: 1 });
  staff = await signInWithHttp(assistant.app, 'quay1');
  otherOffice = await signInWithHttp(assistant.app, 'quay2');
  official = await signInWithHttp(assistant.app, 'lanhdao');
});
afterAll(async () => assistant?.close());

const dossierCount = async () => (await assistant.database.db.select({ n: count() }).from(dossiers))[0]?.n ?? 0;
const statusOf = async (receipt: string) =>
  (await assistant.database.db.select({ status: dossiers.status }).from(dossiers).where(eq(dossiers.receiptCode, receipt)))[0]?.status;
const upload = (client: ConsoleClient, csv: string, step: 'import' | 'import/confirm' = 'import', options?: { csrf?: boolean }) => {
  const form = new FormData();
  form.set('csv', csv);
  return client.post(`/console/dossiers/${step}`, form, options);
};
/** Imports rows through the console and returns their codes. */
async function imported(rows: Parameters<typeof registerCsv>[0]) {
  const res = await upload(staff, registerCsv(rows), 'import/confirm');
  expect(res.status).toBe(303);
  return rows.map((r) => r.code);
}
/** The receipt codes a list page links to, in order. */
const listed = (html: string) => [...html.matchAll(/href="\/console\/dossiers\/([^"/?]+)"/g)].map((m) => m[1]).filter((c) => c !== 'import');

describe('who may do what', () => {
  it('sends a signed-out visitor to sign in, refuses their posts, and changes nothing', async () => {
    const [receipt] = await imported([{ code: code() }]);
    const visitor = consoleClient(assistant.app, null);
    for (const path of ['/console/dossiers', `/console/dossiers/${receipt}`, '/console/dossiers/import']) {
      const res = await visitor.get(path);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toMatch(/^\/console\/sign-in\?next=/);
    }
    const before = await dossierCount();
    expect((await visitor.post(`/console/dossiers/${receipt}/status`, { status: 'processing' })).status).toBe(401);
    expect((await upload(visitor, registerCsv([{ code: code() }]), 'import/confirm')).status).toBe(401);
    expect(await statusOf(receipt ?? '')).toBe('received');
    expect(await dossierCount()).toBe(before);
  });

  it('lets an official read dossiers but not change a status or import', async () => {
    const [receipt = ''] = await imported([{ code: code() }]);
    expect((await official.get('/console/dossiers')).status).toBe(200);
    const page = await official.get(`/console/dossiers/${receipt}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(receipt);
    expect(html).not.toContain('Lưu trạng thái');
    expect((await official.post(`/console/dossiers/${receipt}/status`, { status: 'processing' })).status).toBe(403);
    expect(await statusOf(receipt)).toBe('received');
    expect((await official.get('/console/dossiers/import')).status).toBe(403);
    const before = await dossierCount();
    expect((await upload(official, registerCsv([{ code: code() }]), 'import/confirm')).status).toBe(403);
    expect(await dossierCount()).toBe(before);
  });

  it('refuses a form without its _csrf token and changes nothing', async () => {
    const [receipt = ''] = await imported([{ code: code() }]);
    expect((await staff.post(`/console/dossiers/${receipt}/status`, { status: 'processing' }, { csrf: false })).status).toBe(403);
    expect(await statusOf(receipt)).toBe('received');
    const before = await dossierCount();
    expect((await upload(staff, registerCsv([{ code: code() }]), 'import/confirm', { csrf: false })).status).toBe(403);
    expect(await dossierCount()).toBe(before);
  });

  it("keeps another office's dossier out of sight: a 404 page, no search hit, no status change", async () => {
    const [receipt = ''] = await imported([{ code: code(), phone: '0933000111', name: 'Phạm Văn Riêng' }]);
    const page = await otherOffice.get(`/console/dossiers/${receipt}`);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Không tìm thấy hồ sơ');
    expect((await otherOffice.post(`/console/dossiers/${receipt}/status`, { status: 'processing' })).status).toBe(404);
    expect(await statusOf(receipt)).toBe('received');
    for (const q of [receipt, '0933000111', 'Riêng']) {
      const res = await otherOffice.get(`/console/dossiers?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      expect(listed(await res.text())).toEqual([]);
    }
    // The register cannot write into another office either: nothing is written.
    const before = await dossierCount();
    const res = await upload(otherOffice, registerCsv([{ code: code() }, { code: code(), office: '1' }]), 'import/confirm');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('office_id');
    expect(await dossierCount()).toBe(before);
  });
});

describe('register import', () => {
  it('lists every bad row of a file with its line and problem, and writes nothing', async () => {
    const before = await dossierCount();
    const csv = registerCsv([
      { code: code() },
      { code: code(), phone: '12345' },
      { code: code() },
      { code: code(), received: '31/02/2026 08:00', channel: 'fax' },
    ]);
    const res = await upload(staff, csv);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Tệp có 3 lỗi; chưa ghi hồ sơ nào');
    const rows = [...html.matchAll(/<tr><td data-label="Dòng">(\d+)<\/td><td data-label="Cột"><code>([a-z_]+)<\/code>/g)].map((m) => `${m[1]}:${m[2]}`);
    expect(rows).toEqual(['3:applicant_phone', '5:channel', '5:received_at']);
    expect(html).toContain('Số điện thoại không đúng');
    // The text comes back in the box, ready to fix.
    expect(html).toContain('12345');
    expect(await dossierCount()).toBe(before);
  });

  it('previews a clean file without writing, then imports it on confirm', async () => {
    const first = code();
    const second = code();
    const csv = registerCsv([{ code: first }, { code: second, name: 'Trần Văn Bình' }]);
    const before = await dossierCount();
    const preview = await upload(staff, csv);
    expect(preview.status).toBe(200);
    const html = await preview.text();
    expect(html).toContain('Xem trước: 2 hồ sơ sẵn sàng để nhập');
    expect(html).toContain('Trần Văn Bình');
    expect(html).toContain('Hồ sơ mới: 2');
    expect(await dossierCount()).toBe(before);
    // A dry run leaves no timeline or notice behind either.
    expect(
      (
        await assistant.database.db
          .select({ n: count() })
          .from(dossierEvents)
          .innerJoin(dossiers, eq(dossiers.id, dossierEvents.dossierId))
          .where(eq(dossiers.receiptCode, first))
      )[0]?.n,
    ).toBe(0);

    const done = await upload(staff, csv, 'import/confirm');
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/console/dossiers/import?done=imported&created=2&updated=0&unchanged=0');
    expect(await dossierCount()).toBe(before + 2);
    const notice = await staff.get(done.headers.get('location') ?? '');
    expect(await notice.text()).toContain('2 hồ sơ mới');
  });

  it('checks the text again on confirm: a tampered file now invalid gets its problems and writes nothing', async () => {
    const before = await dossierCount();
    const res = await upload(staff, registerCsv([{ code: code() }, { code: code(), due: '20/11/2026 08:00' }]), 'import/confirm');
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Tệp có 1 lỗi');
    expect(html).toContain('<code>due_at</code>');
    expect(await dossierCount()).toBe(before);
  });

  it('asks for a file when none was sent, and offers the template', async () => {
    const res = await upload(staff, '   ');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Vui lòng chọn tệp CSV');
    const template = await staff.get('/console/dossiers/import/template.csv');
    expect(template.headers.get('content-type')).toContain('text/csv');
    // The byte-order mark (EF BB BF) makes Excel read the file as UTF-8.
    const bytes = Buffer.from(await template.arrayBuffer());
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(bytes.subarray(3).toString('utf8')).toBe(
      'receipt_code,procedure_code,procedure_name,field,office_id,applicant_name,applicant_phone,channel,received_at,due_at\r\n',
    );
  });
});

describe('search', () => {
  it('opens a dossier found by its receipt code, and lists by phone or name (accents and case aside)', async () => {
    const [receipt = '', other = ''] = await imported([
      { code: code(), name: 'Đỗ Thị Hường', phone: '0977123456' },
      { code: code(), name: 'Đỗ Văn Hùng', phone: '0977999888' },
    ]);
    const byCode = await staff.get(`/console/dossiers?q=${encodeURIComponent(` ${receipt.toLowerCase()} `)}`);
    expect(byCode.status).toBe(303);
    expect(byCode.headers.get('location')).toBe(`/console/dossiers/${receipt}`);
    const byPhone = await staff.get(`/console/dossiers?q=${encodeURIComponent('+84 977 123 456')}`);
    expect(listed(await byPhone.text())).toEqual([receipt]);
    expect(listed(await (await staff.get('/console/dossiers?q=do+thi+huong')).text())).toEqual([receipt]);
    expect(listed(await (await staff.get(`/console/dossiers?q=${encodeURIComponent('HƯỜNG')}`)).text())).toEqual([receipt]);
    // A word's beginning is enough; every word must match.
    expect(new Set(listed(await (await staff.get('/console/dossiers?q=%C4%91%E1%BB%97+hu')).text()))).toEqual(new Set([receipt, other]));
    expect(listed(await (await staff.get('/console/dossiers?q=van+huong')).text())).toEqual([]);
  });

  it('lists exactly the open dossiers past their appointment for ?due=overdue, as the home page counts them', async () => {
    const { db } = assistant.database;
    const now = assistant.clock.now();
    const hours = (n: number) => new Date(now.getTime() + n * 3_600_000);
    const base = {
      procedureCode: '1.001193',
      applicantName: 'Lê Quá Hạn',
      applicantPhone: '+84911000222',
      channel: 'counter' as const,
      createdAt: now,
      updatedAt: now,
    };
    const make = (receipt: string, officeId: number, status: typeof dossiers.$inferInsert.status, dueAt: Date) => ({
      ...base,
      receiptCode: receipt,
      officeId,
      status,
      receivedAt: hours(-100),
      dueAt,
    });
    const late = [code(), code(), code()];
    await db.insert(dossiers).values([
      make(late[0] ?? '', 1, 'received', hours(-1)),
      make(late[1] ?? '', 1, 'processing', hours(-30)),
      make(late[2] ?? '', 1, 'needs_supplement', hours(-0.5)),
      make(code(), 1, 'ready', hours(-5)), // closed: not overdue
      make(code(), 1, 'received', hours(3)), // due later today
      make(code(), 2, 'received', hours(-2)), // another office
    ]);
    const res = await staff.get('/console/dossiers?due=overdue');
    const html = await res.text();
    expect(new Set(listed(html))).toEqual(new Set(late));
    expect(html).toContain('Quá hạn');
    const counts = await dueCounts(db, { kind: 'staff', id: 1, name: 'x', role: 'staff', officeId: 1 }, now);
    expect(counts.overdue).toBe(late.length);
    // An hour later the dossier due "later today" is late as well.
    assistant.clock.set(hours(4));
    try {
      expect(listed(await (await staff.get('/console/dossiers?due=overdue')).text())).toHaveLength(late.length + 1);
    } finally {
      assistant.clock.set(now);
    }
  });
});

describe('status change', () => {
  it('moves a dossier with a note, keeps the timeline, and queues the notice for the linked chat', async () => {
    const phone = '0966555444';
    const { db } = assistant.database;
    const [chat] = await db
      .insert(identities)
      .values({ channel: 'web', externalId: 'console-dossiers-chat', createdAt: assistant.clock.now(), lastSeenAt: assistant.clock.now() })
      .returning();
    if (!chat) throw new Error('no chat');
    await linkVerifiedPhone(db, chat.id, '+84966555444', assistant.clock.now());
    const [receipt = ''] = await imported([{ code: code(), phone }]);

    const res = await staff.post(`/console/dossiers/${receipt}/status`, { status: 'ready', collectAt: 'Quầy số 3', note: 'Mời anh/chị đến nhận kết quả.' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/console/dossiers/${receipt}?done=status&notified=1`);
    const page = await (await staff.get(res.headers.get('location') ?? '')).text();
    expect(page).toContain('Đã cập nhật trạng thái hồ sơ');
    expect(page).toContain('Đã gửi thông báo tới 1 kênh trò chuyện của công dân');
    expect(page).toContain('Mời anh/chị đến nhận kết quả.');
    expect(page).toContain('Nơi nhận kết quả: Quầy số 3');
    expect(page).toContain('Cán bộ quay1');
    expect(await statusOf(receipt)).toBe('ready');
    const notices = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.identityId, chat.id), like(outbox.kind, 'dossier_%')))
      .orderBy(outbox.id);
    expect(notices.map((n) => n.kind)).toEqual(['dossier_received', 'dossier_ready']);
    expect(JSON.stringify(notices[1]?.payload)).toContain('Quầy số 3');
  });

  it('says so when no chat was told (a step citizens are not told of, or no linked chat)', async () => {
    const [receipt = ''] = await imported([{ code: code(), phone: '0944000999' }]);
    const res = await staff.post(`/console/dossiers/${receipt}/status`, { status: 'processing' });
    expect(res.headers.get('location')).toBe(`/console/dossiers/${receipt}?done=status&notified=0`);
    expect(await (await staff.get(res.headers.get('location') ?? '')).text()).toContain('Không có thông báo nào được gửi');
    expect(await statusOf(receipt)).toBe('processing');
  });

  it('offers only the moves the rules allow from the current status', async () => {
    const [receipt = ''] = await imported([{ code: code() }]);
    const html = await (await staff.get(`/console/dossiers/${receipt}`)).text();
    const offered = [...html.matchAll(/name="status" value="([a-z_]+)"/g)].map((m) => m[1]);
    expect(offered).toEqual(['processing', 'needs_supplement', 'ready', 'rejected', 'withdrawn']);
  });

  it.each([
    ['needs_supplement without the missing papers', { status: 'needs_supplement', missing: ' \n ' }, 400, 'Vui lòng ghi giấy tờ công dân cần bổ sung'],
    ['rejected without a reason', { status: 'rejected' }, 400, 'Vui lòng ghi lý do từ chối'],
    ['no status chosen', { note: 'Xin chào' }, 400, 'Vui lòng chọn trạng thái mới'],
    ['a move the rules do not allow', { status: 'returned' }, 409, 'Không thể chuyển hồ sơ từ “Đã tiếp nhận” sang “Đã trả kết quả”'],
    ['an unknown status', { status: 'lost' }, 400, 'Vui lòng chọn trạng thái mới'],
    ['a note too long', { status: 'processing', note: 'x'.repeat(1001) }, 400, 'Nội dung quá dài'],
  ])('refuses %s with a polite message and changes nothing', async (_name, form, status, message) => {
    const [receipt = ''] = await imported([{ code: code() }]);
    const res = await staff.post(`/console/dossiers/${receipt}/status`, form);
    expect(res.status).toBe(status);
    const html = await res.text();
    expect(html).toContain(message);
    expect(html).toContain('error-summary');
    expect(await statusOf(receipt)).toBe('received');
  });
});

describe('language', () => {
  it('has every text of the pages in English too (no key shows through)', async () => {
    const [receipt = ''] = await imported([{ code: code() }]);
    const cookie = `${staff.cookie}; mc_console_lang=en`;
    for (const [path, words] of [
      ['/console/dossiers?due=overdue', 'Find a dossier'],
      [`/console/dossiers/${receipt}`, 'Change the status'],
      ['/console/dossiers/import', 'Import the dossier register'],
    ] as const) {
      const html = await (await assistant.app.request(path, { headers: { cookie } })).text();
      expect(html).toContain(words);
      expect(html).not.toMatch(/>[^<]*\bdossiers\.[a-z]+/);
    }
  });
});
