import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { auditLog, identities, outbox } from '../../db/schema';
import { linkVerifiedPhone } from '../../domain/people/citizens';
import { callApi } from '../support/api';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { createTestToken } from '../support/tokens';

let assistant: TestAssistant;
let staff: string;
let admin: string;
let official: string;
let otherOfficeStaff: string;
let serial = 0;

beforeAll(async () => {
  assistant = await createTestAssistant();
  assistant.clock.set('2026-11-20T02:00:00Z'); // 09:00 in Vietnam
  const { db } = assistant.database;
  staff = await createTestToken(db, 'staff', { officeId: 1 });
  admin = await createTestToken(db, 'admin');
  official = await createTestToken(db, 'official');
  otherOfficeStaff = await createTestToken(db, 'staff', { officeId: 2 });
});
afterAll(async () => assistant.close());

let code: string;
beforeEach(() => {
  code = `H19.22-201126-${String(++serial).padStart(4, '0')}`;
});

const payload = (overrides: Record<string, unknown> = {}) => ({
  procedureCode: '1.001193',
  procedureName: 'Thủ tục đăng ký khai sinh',
  field: 'Hộ tịch',
  applicantName: 'Nguyễn Thị Lan',
  applicantPhone: '0912 345 678',
  channel: 'counter',
  receivedAt: '2026-11-20T08:30:00+07:00',
  dueAt: '2026-11-21T16:00:00+07:00',
  ...overrides,
});

const put = (body: unknown, token = staff, at = code) => callApi(assistant.app, 'PUT', `/api/v1/dossiers/${encodeURIComponent(at)}`, token, body);
const move = (body: unknown, token = staff, at = code) => callApi(assistant.app, 'POST', `/api/v1/dossiers/${encodeURIComponent(at)}/events`, token, body);
const eventsOf = async (receipt: string) => {
  const res = await callApi(assistant.app, 'GET', `/api/v1/dossiers/${receipt}`, admin);
  return z
    .object({ events: z.array(z.object({ status: z.string() })) })
    .parse(res.body)
    .events.map((e) => e.status);
};

/** A web chat linked by a verified phone to the applicant, so status notices reach it. */
async function linkedChat(phone = '+84912345678') {
  const { db } = assistant.database;
  const [chat] = await db
    .insert(identities)
    .values({ channel: 'web', externalId: `chat-${phone}-${serial}`, createdAt: assistant.clock.now(), lastSeenAt: assistant.clock.now() })
    .returning();
  if (!chat) throw new Error('no chat');
  await linkVerifiedPhone(db, chat.id, phone, assistant.clock.now());
  return chat.id;
}

describe('upsert by receipt code', () => {
  it('creates the dossier in E.164 with one received event, and changes nothing when sent again', async () => {
    const first = await put(payload());
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ created: true, dossier: { receiptCode: code, applicantPhone: '+84912345678', status: 'received', officeId: 1 } });
    const again = await put(payload());
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, changed: false });
    expect(await eventsOf(code)).toEqual(['received']);
    const audits = await assistant.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.subject, `dossier:${code}`));
    expect(audits.map((a) => a.action)).toEqual(['dossier.create']);
  });

  it('records a changed due date with before and after in the audit log, without a new event', async () => {
    await put(payload());
    const moved = await put(payload({ dueAt: '2026-11-24T16:00:00+07:00' }));
    expect(moved.body).toMatchObject({ changed: true, dossier: { dueAt: '2026-11-24T09:00:00.000Z' } });
    const [audit] = await assistant.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subject, `dossier:${code}`), eq(auditLog.action, 'dossier.update')));
    expect(audit).toMatchObject({ before: { dueAt: '2026-11-21T09:00:00.000Z' }, after: { dueAt: '2026-11-24T09:00:00.000Z' } });
    expect(await eventsOf(code)).toEqual(['received']);
  });

  it('accepts the receipt code however it is typed (spaces, lower case) as the same dossier', async () => {
    await put(payload());
    const res = await callApi(assistant.app, 'GET', `/api/v1/dossiers/${encodeURIComponent(` ${code.toLowerCase()}`)}`, staff);
    expect(res.status).toBe(200);
  });

  it.each([
    ['a phone that is not Vietnamese', { applicantPhone: '+1 202 555 0100' }, 'applicantPhone'],
    ['a due date before the receipt', { dueAt: '2026-11-19T16:00:00+07:00' }, 'dueAt'],
    ['an unknown channel', { channel: 'fax' }, 'channel'],
    ['a date without offset', { receivedAt: '2026-11-20 08:30' }, 'receivedAt'],
    ['an unknown field', { colour: 'blue' }, 'colour'],
  ])('refuses %s with a 400 naming the field, and stores nothing', async (_name, change, field) => {
    const res = await put(payload(change));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'invalid_request' } });
    expect(JSON.stringify(res.body)).toContain(field);
    const get = await callApi(assistant.app, 'GET', `/api/v1/dossiers/${code}`, admin);
    expect(get.status).toBe(404);
  });

  it('keeps staff of another office out: no writing, no reading', async () => {
    await put(payload());
    expect((await put(payload({ applicantName: 'Someone Else' }), otherOfficeStaff)).status).toBe(403);
    expect((await put(payload({ officeId: 1 }), otherOfficeStaff, `${code}-X`)).status).toBe(403);
    expect((await callApi(assistant.app, 'GET', `/api/v1/dossiers/${code}`, otherOfficeStaff)).status).toBe(404);
    expect((await move({ status: 'processing' }, otherOfficeStaff)).status).toBe(404);
  });

  it('asks an account without an office to name the office', async () => {
    const res = await put(payload(), admin);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'office_required' } });
  });
});

describe('status moves', () => {
  beforeEach(async () => {
    expect((await put(payload())).status).toBe(201);
  });

  it('follows the transition table and keeps the timeline with notes', async () => {
    expect((await move({ status: 'processing', note: 'Chuyển bộ phận hộ tịch' })).status).toBe(201);
    expect((await move({ status: 'needs_supplement', details: { missing: ['Giấy chứng sinh (bản chính)'] } })).status).toBe(201);
    expect((await move({ status: 'processing' })).status).toBe(201);
    expect((await move({ status: 'ready', details: { collectAt: 'Quầy số 3, UBND phường' } })).status).toBe(201);
    expect((await move({ status: 'returned' })).status).toBe(201);
    expect(await eventsOf(code)).toEqual(['received', 'processing', 'needs_supplement', 'processing', 'ready', 'returned']);
  });

  it('refuses "returned" before "ready" with a 409 and changes nothing', async () => {
    const res = await move({ status: 'returned' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'invalid_transition' } });
    expect(await eventsOf(code)).toEqual(['received']);
  });

  it('lets only an admin force a move, and only with a reason', async () => {
    expect((await move({ status: 'returned', force: { reason: 'Đã trả tại quầy, nhập bù' } }, staff)).status).toBe(403);
    expect((await move({ status: 'returned', force: { reason: '' } }, admin)).status).toBe(400);
    const forced = await move({ status: 'returned', force: { reason: 'Đã trả tại quầy, nhập bù' } }, admin);
    expect(forced.status).toBe(201);
    expect(forced.body).toMatchObject({ event: { status: 'returned', forcedReason: 'Đã trả tại quầy, nhập bù' }, dossier: { status: 'returned' } });
    const [audit] = await assistant.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.subject, `dossier:${code}`), eq(auditLog.action, 'dossier.status_forced')));
    expect(audit?.after).toMatchObject({ status: 'returned', forcedReason: 'Đã trả tại quầy, nhập bù' });
  });

  it('requires what is missing for needs_supplement and a reason for rejected', async () => {
    expect((await move({ status: 'needs_supplement' })).body).toMatchObject({ error: { code: 'missing_details' } });
    expect((await move({ status: 'rejected', note: 'x' })).body).toMatchObject({ error: { code: 'missing_details' } });
    expect((await move({ status: 'rejected', details: { reason: 'Không thuộc thẩm quyền' } })).status).toBe(201);
  });

  it('treats the same event sent twice as one (a retried request)', async () => {
    const first = await move({ status: 'processing', note: 'Đang thẩm định' });
    const again = await move({ status: 'processing', note: 'Đang thẩm định' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ changed: false });
    expect(await eventsOf(code)).toEqual(['received', 'processing']);
  });

  it('refuses an event dated before the dossier was received', async () => {
    const res = await move({ status: 'processing', at: '2026-11-19T08:00:00+07:00' });
    expect(res.body).toMatchObject({ error: { code: 'before_received' } });
  });
});

describe('status notices', () => {
  const noticesFor = (identityId: number) =>
    assistant.database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.identityId, identityId), like(outbox.kind, 'dossier_%')))
      .orderBy(outbox.id);

  it('sends the linked chat an appointment slip on receipt and one notice per change, never twice', async () => {
    const phone = '+84987000111';
    const chat = await linkedChat(phone);
    await put(payload({ applicantPhone: phone }));
    await put(payload({ applicantPhone: phone }));
    await move({ status: 'processing' });
    await move({ status: 'needs_supplement', details: { missing: ['Tờ khai (bản chính)'] } });
    await move({ status: 'needs_supplement', details: { missing: ['Tờ khai (bản chính)'] } });
    await move({ status: 'processing' });
    await move({ status: 'ready', details: { postal: true } });
    const rows = await noticesFor(chat);
    // processing is not announced; every other change once.
    expect(rows.map((r) => r.kind)).toEqual(['dossier_received', 'dossier_needs_supplement', 'dossier_ready']);
    const texts = rows.map((r) => JSON.stringify(r.payload));
    expect(texts[0]).toContain('21/11/2026');
    expect(texts[1]).toContain('Tờ khai (bản chính)');
    expect(texts[2]).toContain('bưu điện');
    expect(rows[2]?.template).toMatchObject({ kind: 'status_change', params: { receiptCode: code, status: 'ready', postal: 'true' } });
    expect(new Set(rows.map((r) => r.dedupeKey)).size).toBe(3);
  });

  it('congratulates on a returned birth registration and asks for a rating', async () => {
    const phone = '+84987000222';
    const chat = await linkedChat(phone);
    await put(payload({ applicantPhone: phone }));
    await move({ status: 'ready' });
    await move({ status: 'returned' });
    const returned = (await noticesFor(chat)).at(-1);
    const text = JSON.stringify(returned?.payload);
    expect(text).toContain('Chúc mừng gia đình');
    expect(text).toContain('feedback:r:');
  });

  it('offers condolences for a death registration, in the chat’s language', async () => {
    const phone = '+84987000333';
    const chat = await linkedChat(phone);
    await assistant.database.db.update(identities).set({ locale: 'en' }).where(eq(identities.id, chat));
    await put(payload({ applicantPhone: phone, procedureCode: 'LOCAL.9', procedureName: 'Đăng ký khai tử' }));
    await move({ status: 'ready' });
    await move({ status: 'returned' });
    expect(JSON.stringify((await noticesFor(chat)).at(-1)?.payload)).toContain('sincere condolences');
  });

  it('tells the citizen why a dossier is rejected', async () => {
    const phone = '+84987000444';
    const chat = await linkedChat(phone);
    await put(payload({ applicantPhone: phone }));
    await move({ status: 'rejected', details: { reason: 'Hồ sơ không thuộc thẩm quyền của phường' } });
    expect(JSON.stringify((await noticesFor(chat)).at(-1)?.payload)).toContain('không thuộc thẩm quyền');
  });

  it('writes no notice at all when the change is refused', async () => {
    const phone = '+84987000555';
    const chat = await linkedChat(phone);
    await put(payload({ applicantPhone: phone }));
    await move({ status: 'returned' });
    expect((await noticesFor(chat)).map((r) => r.kind)).toEqual(['dossier_received']);
    expect(await eventsOf(code)).toEqual(['received']);
  });
});

describe('search', () => {
  it('finds by phone in any form, status and received day, newest first, paginated', async () => {
    const phone = '0933111222';
    const codes = ['S-0001', 'S-0002', 'S-0003'];
    for (const [i, c] of codes.entries()) {
      await put(payload({ applicantPhone: phone, receivedAt: `2026-11-1${i + 1}T08:00:00+07:00`, dueAt: '2026-11-25T08:00:00+07:00' }), staff, c);
    }
    const all = await callApi(assistant.app, 'GET', '/api/v1/dossiers?phone=%2B84933111222&pageSize=2', official);
    expect(all.body).toMatchObject({ total: 3, page: 1, pageSize: 2, items: [{ receiptCode: 'S-0003' }, { receiptCode: 'S-0002' }] });
    const day = await callApi(assistant.app, 'GET', '/api/v1/dossiers?phone=0933111222&from=2026-11-12&to=2026-11-12', official);
    expect(day.body).toMatchObject({ total: 1, items: [{ receiptCode: 'S-0002' }] });
    const bad = await callApi(assistant.app, 'GET', '/api/v1/dossiers?from=2026-02-30', official);
    expect(bad.status).toBe(400);
  });
});

describe('CSV import of a day’s register', () => {
  const header = 'receipt_code,procedure_code,procedure_name,field,office_id,applicant_name,applicant_phone,channel,received_at,due_at';
  const csv = (...rows: string[]) => [header, ...rows].join('\n');
  const importCsv = (body: string, token = staff) => callApi(assistant.app, 'POST', '/api/v1/dossiers/import', token, body, { 'content-type': 'text/csv' });

  it('imports every row of a clean file, and a second import changes nothing', async () => {
    const file = csv(
      'CSV-0001,1.001193,Đăng ký khai sinh,Hộ tịch,1,Trần Văn An,0912000001,trực tiếp,20/11/2026 08:15,21/11/2026 16:00',
      'CSV-0002,2.000635,,Hộ tịch,1,"Lê Thị Bình, con",+84912000002,online,2026-11-20T09:00:00+07:00,2026-11-22T09:00:00+07:00',
    );
    const first = await importCsv(file);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ rows: 2, created: 2, updated: 0, unchanged: 0 });
    expect((await importCsv(file)).body).toEqual({ rows: 2, created: 0, updated: 0, unchanged: 2 });
    const one = await callApi(assistant.app, 'GET', '/api/v1/dossiers/CSV-0001', staff);
    expect(one.body).toMatchObject({ dossier: { receivedAt: '2026-11-20T01:15:00.000Z', channel: 'counter', applicantPhone: '+84912000001' } });
  });

  it('rejects the whole file, listing every bad line and column, when any row is wrong', async () => {
    const res = await importCsv(
      csv(
        'CSV-1001,1.001193,,Hộ tịch,1,Phạm Văn Cường,0912000003,counter,20/11/2026 08:15,21/11/2026 16:00',
        'CSV-1002,1.001193,,Hộ tịch,1,,12345,counter,31/02/2026 08:00,21/11/2026 16:00',
        'CSV-1001,1.001193,,Hộ tịch,1,Đỗ Thị Dung,0912000004,bưu điện,20/11/2026 08:15,21/11/2026 16:00',
      ),
    );
    expect(res.status).toBe(400);
    const problems = z
      .object({ error: z.object({ code: z.string(), problems: z.array(z.object({ line: z.number(), column: z.string() })) }) })
      .parse(res.body).error;
    expect(problems.code).toBe('invalid_register');
    expect(problems.problems.map((p) => `${p.line}:${p.column}`)).toEqual(
      expect.arrayContaining(['3:applicant_name', '3:applicant_phone', '3:received_at', '4:receipt_code', '4:channel']),
    );
    expect((await callApi(assistant.app, 'GET', '/api/v1/dossiers/CSV-1001', staff)).status).toBe(404);
  });

  it('rolls back every row when one row is for another office', async () => {
    const res = await importCsv(
      csv(
        'CSV-2001,1.001193,,Hộ tịch,1,Phạm Văn Cường,0912000003,counter,20/11/2026 08:15,21/11/2026 16:00',
        'CSV-2002,1.001193,,Hộ tịch,2,Vũ Văn Em,0912000005,counter,20/11/2026 08:15,21/11/2026 16:00',
      ),
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { problems: [{ line: 3, column: 'office_id' }] } });
    expect((await callApi(assistant.app, 'GET', '/api/v1/dossiers/CSV-2001', staff)).status).toBe(404);
  });

  it('names missing and unknown columns', async () => {
    const res = await importCsv('receipt_code,colour\nX-1,blue');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('procedure_code');
    expect(JSON.stringify(res.body)).toContain('colour');
  });
});
