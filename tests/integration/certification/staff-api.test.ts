import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTranslator } from '../../../bot/locales';
import { auditLog, certificationRequests, identities, otpChallenges, outbox } from '../../../db/schema';
import type { Database } from '../../../db/types';
import { createRequest } from '../../../domain/certification/requests';
import { COPIES_PER_PAPER, MIN_POSTAL_ADDRESS_LENGTH } from '../../../domain/certification/rules';
import { createTelephoneRequest } from '../../../domain/certification/telephone';
import { DEFAULT_OTP_POLICY, NATIONAL_COPY_FEES } from '../../../vocabulary/settings';
import { callApi } from '../../support/api';
import { createTestAssistant, type TestAssistant } from '../../support/assistant';
import { latestCode, seedCitizen, seedOffice, TEST_SECRET, uniquePhone } from '../../support/certification';
import { testDatabaseKind } from '../../support/database';
import { createTestToken } from '../../support/tokens';

const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const UPLOAD_LIMIT = 4096;

let assistant: TestAssistant;
let db: Database;
let dataDir: string;
let officeA: number;
let officeB: number;
const tokens: Record<'admin' | 'staffA' | 'staffB', string> = { admin: '', staffA: '', staffB: '' };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mc-cert-'));
  assistant = await createTestAssistant({ DATA_DIR: dataDir, UPLOAD_MAX_BYTES: String(UPLOAD_LIMIT) });
  db = assistant.database.db;
  officeA = await seedOffice(db, 'UBND phường A');
  officeB = await seedOffice(db, 'UBND phường B');
  tokens.admin = await createTestToken(db, 'admin');
  tokens.staffA = await createTestToken(db, 'staff', { officeId: officeA, name: 'Cán bộ A' });
  tokens.staffB = await createTestToken(db, 'staff', { officeId: officeB });
});
afterAll(async () => {
  await assistant.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const api = (method: string, path: string, token?: string, body?: unknown) => callApi(assistant.app, method, `/api/v1${path}`, token, body);

async function upload(citizenId: number, token: string | undefined, fields: Record<string, string>, file?: { bytes: Uint8Array; name: string; type: string }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('file', new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
  const res = await assistant.app.request(`/api/v1/citizens/${citizenId}/documents`, {
    method: 'POST',
    body: form,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: res.status, body: await res.json() };
}

/** A submitted chat request for a fresh citizen whose chat is linked (so notices have somewhere to go). */
async function submittedRequest(officeId: number, delivery: { method: 'pickup' } | { method: 'post'; address: string } = { method: 'pickup' }) {
  const { citizen, documents } = await seedCitizen(db, { phone: uniquePhone().e164, officeId, documents: [{ title: 'Giấy khai sinh', pages: 3 }] });
  const [chat] = await db
    .insert(identities)
    .values({ channel: 'web', externalId: `cert-${citizen.id}`, citizenId: citizen.id, createdAt: assistant.clock.now(), lastSeenAt: assistant.clock.now() })
    .returning();
  const doc = documents[0];
  if (!chat || !doc) throw new Error('seed failed');
  const now = assistant.clock.now();
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
  return { request: created.value, chatId: chat.id, citizen, doc };
}

const notices = (chatId: number) =>
  db
    .select()
    .from(outbox)
    .where(and(eq(outbox.identityId, chatId), like(outbox.kind, 'certification%')));

describe(`certification staff API (${testDatabaseKind})`, () => {
  // Who may call each route (401 without credentials, 403 for officials, through for staff and
  // admins) is checked with every other /api/v1 route in tests/integration/api-roles.test.ts,
  // from the table in tests/support/api-routes.ts. Office scoping is checked below.

  it('documents every certification route in the OpenAPI document', async () => {
    const res = await assistant.app.request('/api/v1/openapi.json');
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    for (const path of [
      '/citizens',
      '/citizens/{id}/documents',
      '/citizens/{id}/documents/{documentId}/file',
      '/certification/requests',
      '/certification/requests/{id}',
      '/certification/requests/{id}/confirm',
      '/certification/requests/{id}/reject',
      '/certification/requests/{id}/ready',
      '/certification/requests/{id}/deliver',
      '/certification/telephone/codes',
      '/certification/telephone/requests',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    expect(JSON.stringify(doc.paths['/citizens/{id}/documents'])).toContain('multipart/form-data');
  });

  describe('registering citizens', () => {
    it.each(['0987 654 321', '+84987654321', '84987654321', '098.765.4321'])('accepts the Vietnamese form %s as +84987654321', async (phone) => {
      const res = await api('POST', '/citizens', tokens.staffA, { phone, fullName: 'Lê Thị Hoa' });
      expect([200, 201]).toContain(res.status);
      expect(res.body).toMatchObject({ citizen: { phone: '+84987654321', fullName: 'Lê Thị Hoa' } });
    });

    it('creates once (201), then finds the same account (200) and audits both the creation and a rename', async () => {
      const phone = uniquePhone();
      const first = await api('POST', '/citizens', tokens.staffA, { phone: phone.typed, fullName: 'Phạm Văn C' });
      const again = await api('POST', '/citizens', tokens.staffA, { phone: phone.e164, fullName: 'Phạm Văn Cường' });
      expect(first.status).toBe(201);
      expect(again).toMatchObject({ status: 200, body: { created: false, citizen: { fullName: 'Phạm Văn Cường' } } });
      const audits = await db
        .select()
        .from(auditLog)
        .where(
          sql`${auditLog.action} in ('citizen.register', 'citizen.rename') and ${auditLog.subject} = ${`citizen:${(first.body as { citizen: { id: number } }).citizen.id}`}`,
        );
      expect(audits.map((a) => a.action).sort()).toEqual(['citizen.register', 'citizen.rename']);
    });

    it.each([
      [{ phone: '12345', fullName: 'A Bc' }, 'phone'],
      [{ phone: '+14155550100', fullName: 'A Bc' }, 'phone'],
      [{ phone: '0912345678' }, 'fullName'],
      [{ phone: '0912345678', fullName: 'A Bc', extra: 1 }, 'extra'],
    ])('refuses %o with a 400 naming %s', async (body, field) => {
      const res = await api('POST', '/citizens', tokens.staffA, body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain(field);
    });
  });

  describe('uploading scans', () => {
    let citizenId: number;
    beforeAll(async () => {
      const res = await api('POST', '/citizens', tokens.staffA, { phone: uniquePhone().typed, fullName: 'Đỗ Minh D' });
      citizenId = (res.body as { citizen: { id: number } }).citizen.id;
    });

    it('stores a PDF in the blob store under DATA_DIR, records it, audits it and serves it back', async () => {
      const res = await upload(
        citizenId,
        tokens.staffA,
        { title: 'Bằng tốt nghiệp THPT', kind: 'tot_nghiep', pages: '2' },
        { bytes: PDF, name: 'scan.pdf', type: 'application/pdf' },
      );
      expect(res).toMatchObject({
        status: 201,
        body: { title: 'Bằng tốt nghiệp THPT', kind: 'tot_nghiep', pages: 2, officeId: officeA, contentType: 'application/pdf', sizeBytes: PDF.length },
      });
      const id = (res.body as { id: number }).id;
      const file = await assistant.app.request(`/api/v1/citizens/${citizenId}/documents/${id}/file`, { headers: { authorization: `Bearer ${tokens.staffA}` } });
      expect(file.headers.get('content-type')).toBe('application/pdf');
      expect(new Uint8Array(await file.arrayBuffer())).toEqual(PDF);
      // This document's own record: the other tests of this block add papers to the same citizen.
      const audits = await db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.action, 'document.add'), eq(auditLog.subject, `citizen:${citizenId}`)));
      const audit = audits.find((row) => (row.after as { documentId?: number } | null)?.documentId === id);
      expect(audit?.actorName).toBe('Cán bộ A');
      // Another office's staff neither list nor fetch it.
      expect(
        (await assistant.app.request(`/api/v1/citizens/${citizenId}/documents/${id}/file`, { headers: { authorization: `Bearer ${tokens.staffB}` } })).status,
      ).toBe(404);
    });

    it('recognises a PNG by its content, whatever the name says', async () => {
      const res = await upload(
        citizenId,
        tokens.staffA,
        { title: 'CCCD mặt trước', kind: 'cccd', pages: '1' },
        { bytes: PNG, name: 'cccd.pdf', type: 'application/pdf' },
      );
      expect(res).toMatchObject({ status: 201, body: { contentType: 'image/png' } });
    });

    it('serves a stored file as a download under a policy that runs nothing, inline only as an image preview', async () => {
      const fetchFile = (id: number, query = '') =>
        assistant.app.request(`/api/v1/citizens/${citizenId}/documents/${id}/file${query}`, { headers: { authorization: `Bearer ${tokens.staffA}` } });
      // A PDF that is also an HTML page with a script (a polyglot).
      const polyglot = new TextEncoder().encode('%PDF-1.7\n<html><script>fetch("/api/v1/tokens")</script></html>\n%%EOF\n');
      const pdf = await upload(
        citizenId,
        tokens.staffA,
        { title: 'Giấy tờ lạ', kind: 'other', pages: '1' },
        { bytes: polyglot, name: 'x.pdf', type: 'application/pdf' },
      );
      const png = await upload(
        citizenId,
        tokens.staffA,
        { title: 'CCCD mặt sau', kind: 'cccd', pages: '1' },
        { bytes: PNG, name: 'cccd.png', type: 'image/png' },
      );
      const pdfId = (pdf.body as { id: number }).id;
      const pngId = (png.body as { id: number }).id;
      for (const res of [await fetchFile(pdfId), await fetchFile(pdfId, '?preview=image'), await fetchFile(pngId)]) {
        expect(res.status).toBe(200);
        expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="document-\d+\.(pdf|png)"$/);
        expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
        expect(res.headers.get('content-security-policy')).toContain('sandbox');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      }
      const preview = await fetchFile(pngId, '?preview=image');
      expect(preview.headers.get('content-disposition')).toBe(`inline; filename="document-${pngId}.png"`);
      expect(preview.headers.get('content-security-policy')).toContain('sandbox');
    });

    it('refuses a file that is not a PDF, JPEG or PNG with 415, even named .pdf', async () => {
      const res = await upload(
        citizenId,
        tokens.staffA,
        { title: 'Sổ đỏ', kind: 'so_do', pages: '4' },
        { bytes: new TextEncoder().encode('MZ\x90\x00 not a scan'), name: 'so-do.pdf', type: 'application/pdf' },
      );
      expect(res).toMatchObject({ status: 415, body: { error: { code: 'unsupported_file_type' } } });
    });

    it('refuses a file over the configured limit with 413 and says the limit', async () => {
      const big = new Uint8Array(UPLOAD_LIMIT + 1);
      big.set(PDF);
      const res = await upload(
        citizenId,
        tokens.staffA,
        { title: 'Sổ đỏ', kind: 'so_do', pages: '4' },
        { bytes: big, name: 'so-do.pdf', type: 'application/pdf' },
      );
      expect(res).toMatchObject({ status: 413, body: { error: { code: 'file_too_large' } } });
      expect(JSON.stringify(res.body)).toContain('limit');
    });

    it('refuses a body far over the limit before reading it (413)', async () => {
      const huge = new Uint8Array(UPLOAD_LIMIT + 2 * 1024 * 1024);
      huge.set(PDF);
      const res = await upload(
        citizenId,
        tokens.staffA,
        { title: 'Sổ đỏ', kind: 'so_do', pages: '4' },
        { bytes: huge, name: 'so-do.pdf', type: 'application/pdf' },
      );
      expect(res.status).toBe(413);
    });

    it.each([
      [{ kind: 'cccd', pages: '1' }, 'title'],
      [{ title: 'CCCD', kind: 'passport?', pages: '1' }, 'kind'],
      [{ title: 'CCCD', kind: 'cccd', pages: '0' }, 'pages'],
    ])('refuses fields %o with a 400 naming %s', async (fields, name) => {
      const res = await upload(citizenId, tokens.staffA, fields, { bytes: PDF, name: 'a.pdf', type: 'application/pdf' });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain(name);
    });

    it('refuses a form without a file, with a 400 naming file', async () => {
      const res = await upload(citizenId, tokens.staffA, { title: 'CCCD', kind: 'cccd', pages: '1' });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain('file');
    });

    it('keeps staff to their own office and needs an existing office for province-wide accounts', async () => {
      const file = { bytes: PDF, name: 'a.pdf', type: 'application/pdf' };
      expect((await upload(citizenId, tokens.staffA, { title: 'CCCD', kind: 'cccd', pages: '1', officeId: String(officeB) }, file)).status).toBe(403);
      expect((await upload(citizenId, tokens.admin, { title: 'CCCD', kind: 'cccd', pages: '1' }, file)).body).toMatchObject({
        error: { code: 'office_required' },
      });
      expect((await upload(citizenId, tokens.admin, { title: 'CCCD', kind: 'cccd', pages: '1', officeId: '999999' }, file)).body).toMatchObject({
        error: { code: 'unknown_office' },
      });
      expect((await upload(citizenId, tokens.admin, { title: 'CCCD', kind: 'cccd', pages: '1', officeId: String(officeB) }, file)).status).toBe(201);
    });

    it('answers 404 for a citizen who does not exist', async () => {
      expect(
        (await upload(999_999, tokens.staffA, { title: 'CCCD', kind: 'cccd', pages: '1' }, { bytes: PDF, name: 'a.pdf', type: 'application/pdf' })).status,
      ).toBe(404);
    });
  });

  describe('the queue', () => {
    it('lists newest first, shows how the phone was verified, filters by status and office, pages, and scopes staff to their office', async () => {
      const older = await submittedRequest(officeA);
      const newer = await submittedRequest(officeA, { method: 'post', address: '12 Nguyễn Huệ, Quận 1, TP HCM' });
      const elsewhere = await submittedRequest(officeB);
      const mine = await api('GET', '/certification/requests?status=submitted', tokens.staffA);
      const ids = (mine.body as { items: { id: number }[] }).items.map((i) => i.id);
      expect(ids.indexOf(newer.request.id)).toBeLessThan(ids.indexOf(older.request.id));
      expect(ids).not.toContain(elsewhere.request.id);
      expect((mine.body as { items: unknown[] }).items[ids.indexOf(newer.request.id)]).toMatchObject({
        ref: expect.stringMatching(/^CT-\d{6}$/),
        status: 'submitted',
        citizen: { phone: newer.citizen.phone },
        items: [{ title: 'Giấy khai sinh', pages: 3, copies: 2, fee: 10_000 }],
        delivery: { method: 'post', address: '12 Nguyễn Huệ, Quận 1, TP HCM' },
        quotedFee: 10_000,
        fee: null,
        verification: { method: 'chat_otp', at: expect.any(String), by: null },
      });
      const byOffice = await api('GET', `/certification/requests?office=${officeB}`, tokens.admin);
      expect((byOffice.body as { items: { officeId: number }[] }).items.every((i) => i.officeId === officeB)).toBe(true);
      const page = await api('GET', '/certification/requests?page=1&pageSize=1', tokens.admin);
      expect(page.body).toMatchObject({ page: 1, pageSize: 1, items: [expect.any(Object)], total: expect.any(Number) });
      expect((page.body as { total: number }).total).toBeGreaterThanOrEqual(3);
      expect((await api('GET', `/certification/requests/${elsewhere.request.id}`, tokens.staffA)).status).toBe(404);
      expect((await api('GET', '/certification/requests?status=lost', tokens.staffA)).status).toBe(400);
    });
  });

  describe('staff actions', () => {
    it('confirms, marks ready and delivered; each step audited and told to the citizen once, urgently', async () => {
      const { request, chatId } = await submittedRequest(officeA);
      const base = `/certification/requests/${request.id}`;
      expect(await api('POST', `${base}/confirm`, tokens.staffA, { fee: 8000 })).toMatchObject({
        status: 400,
        body: { error: { code: 'fee_reason_required' } },
      });
      expect(await api('POST', `${base}/confirm`, tokens.staffA, { fee: 8000, feeReason: 'Miễn phí một bản cho hộ nghèo' })).toMatchObject({
        status: 200,
        body: { status: 'confirmed', fee: 8000 },
      });
      expect(await api('POST', `${base}/confirm`, tokens.staffA, {})).toMatchObject({ status: 409, body: { error: { code: 'invalid_status' } } });
      expect(await api('POST', `${base}/deliver`, tokens.staffA, { via: 'counter' })).toMatchObject({ status: 409 });
      expect(await api('POST', `${base}/ready`, tokens.staffA, {})).toMatchObject({ status: 400, body: { error: { code: 'pickup_place_required' } } });
      expect(await api('POST', `${base}/ready`, tokens.staffA, { pickupPlace: 'Quầy số 3, tầng 1' })).toMatchObject({
        status: 200,
        body: { status: 'ready', pickupPlace: 'Quầy số 3, tầng 1' },
      });
      expect(await api('POST', `${base}/deliver`, tokens.staffA, { via: 'post', trackingNumber: 'EL123456789VN' })).toMatchObject({
        status: 409,
        body: { error: { code: 'delivery_mismatch' } },
      });
      expect(await api('POST', `${base}/deliver`, tokens.staffA, { via: 'counter' })).toMatchObject({
        status: 200,
        body: { status: 'delivered', deliveredVia: 'counter' },
      });

      const audits = await db
        .select()
        .from(auditLog)
        .where(eq(auditLog.subject, `certification:${request.id}`));
      expect(audits.map((a) => a.action)).toEqual(['certification.confirm', 'certification.ready', 'certification.deliver']);
      const sent = await notices(chatId);
      expect(sent.map((n) => n.dedupeKey)).toEqual([
        `certification:${request.id}:confirmed:${chatId}`,
        `certification:${request.id}:ready:${chatId}`,
        `certification:${request.id}:delivered:${chatId}`,
      ]);
      expect(sent.every((n) => n.priority === 50)).toBe(true);
      // "Ready" is the certification-ready reminder the citizen may switch off; the others always go.
      expect(sent.map((n) => n.kind)).toEqual(['certification', 'certification_ready', 'certification']);
      const vi = createTranslator()('vi');
      const readyText = sent[1]?.payload && 'replies' in sent[1].payload ? sent[1].payload.replies[0]?.text : '';
      expect(readyText).toBe(vi('certify.statusReady', { ref: `CT-${String(request.id).padStart(6, '0')}`, place: 'Quầy số 3, tầng 1', fee: '8.000 ₫' }));
    });

    it('rejects with a reason the citizen reads, and sends a post request with its tracking number', async () => {
      const rejected = await submittedRequest(officeA);
      expect(
        await api('POST', `/certification/requests/${rejected.request.id}/reject`, tokens.staffA, { reason: 'Bản scan bị mờ, xin mời đến quầy' }),
      ).toMatchObject({ status: 200, body: { status: 'rejected' } });
      expect((await notices(rejected.chatId))[0]?.payload).toMatchObject({ replies: [{ text: expect.stringContaining('Bản scan bị mờ') }] });
      expect(await api('POST', `/certification/requests/${rejected.request.id}/reject`, tokens.staffA, { reason: 'again' })).toMatchObject({ status: 409 });

      const posted = await submittedRequest(officeA, { method: 'post', address: '5 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội' });
      const base = `/certification/requests/${posted.request.id}`;
      await api('POST', `${base}/confirm`, tokens.staffA, {});
      expect(await api('POST', `${base}/ready`, tokens.staffA, {})).toMatchObject({ status: 200 });
      expect(await api('POST', `${base}/deliver`, tokens.staffA, { via: 'post' })).toMatchObject({ status: 400 });
      expect(await api('POST', `${base}/deliver`, tokens.staffA, { via: 'post', trackingNumber: 'EL123456789VN' })).toMatchObject({
        status: 200,
        body: { deliveredVia: 'post', trackingNumber: 'EL123456789VN' },
      });
    });

    it('does not let staff act on another office’s request, and changes nothing for bad input', async () => {
      const { request, chatId } = await submittedRequest(officeA);
      expect((await api('POST', `/certification/requests/${request.id}/confirm`, tokens.staffB, {})).status).toBe(404);
      expect((await api('POST', `/certification/requests/${request.id}/reject`, tokens.staffA, { reason: '' })).status).toBe(400);
      expect((await api('POST', `/certification/requests/${request.id}/confirm`, tokens.staffA, { fee: -1, feeReason: 'x x x' })).status).toBe(400);
      const [row] = await db.select().from(certificationRequests).where(eq(certificationRequests.id, request.id));
      expect(row?.status).toBe('submitted');
      expect(await notices(chatId)).toHaveLength(0);
    });
  });

  describe('telephone requests', () => {
    it('sends a code to a registered caller, takes the code read back and creates the request verified by telephone', async () => {
      const phone = uniquePhone();
      const { documents } = await seedCitizen(db, { phone: phone.e164, officeId: officeA, documents: [{ title: 'Bằng đại học', pages: 2 }] });
      const doc = documents[0];
      if (!doc) throw new Error('seed failed');
      expect(await api('POST', '/certification/telephone/codes', tokens.staffA, { phone: uniquePhone().typed })).toMatchObject({
        status: 404,
        body: { error: { code: 'not_registered' } },
      });
      const sent = await api('POST', '/certification/telephone/codes', tokens.staffA, { phone: phone.typed });
      expect(sent.status).toBe(202);
      const { challengeId } = sent.body as { challengeId: string };
      const code = await latestCode(db, TEST_SECRET, phone.e164);
      if (!code) throw new Error('no code queued');
      const body = { challengeId, items: [{ documentId: doc.id, copies: 3 }], delivery: { method: 'pickup' } };
      const wrong = await api('POST', '/certification/telephone/requests', tokens.staffA, { ...body, code: code === '000000' ? '111111' : '000000' });
      expect(wrong).toMatchObject({ status: 422, body: { error: { code: 'wrong_code', message: expect.stringContaining('4 tries left') } } });
      const created = await api('POST', '/certification/telephone/requests', tokens.staffA, { ...body, code });
      expect(created).toMatchObject({
        status: 201,
        body: {
          status: 'submitted',
          quotedFee: 12_000,
          verification: { method: 'telephone_otp', by: expect.stringMatching(/^token:\d+$/) },
          officeId: officeA,
        },
      });
      expect(await api('POST', '/certification/telephone/requests', tokens.staffA, { ...body, code })).toMatchObject({
        status: 422,
        body: { error: { code: 'code_expired' } },
      });
      const audits = await db.select().from(auditLog).where(sql`${auditLog.action} like 'certification.telephone_%'`);
      expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['certification.telephone_code', 'certification.telephone_request']));
    });

    it('holds a telephone request to the same copy and address rules as the chat (domain/certification/rules.ts)', async () => {
      const body = (copies: number, address: string) => ({
        challengeId: 'x'.repeat(24),
        code: '123456',
        items: [{ documentId: 1, copies }],
        delivery: { method: 'post', address },
      });
      const address = 'Số 1 Lê Lợi, Bến Nghé, TP.HCM';
      const tooMany = await api('POST', '/certification/telephone/requests', tokens.staffA, body(COPIES_PER_PAPER.max + 1, address));
      expect(tooMany).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining(`at most ${COPIES_PER_PAPER.max} copies`) } } });
      const short = await api('POST', '/certification/telephone/requests', tokens.staffA, body(1, 'x'.repeat(MIN_POSTAL_ADDRESS_LENGTH - 1)));
      expect(short).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('full postal address') } } });
      // Within both rules the body is accepted and the code is what is checked next.
      const within = await api('POST', '/certification/telephone/requests', tokens.staffA, body(COPIES_PER_PAPER.max, 'x'.repeat(MIN_POSTAL_ADDRESS_LENGTH)));
      expect(within.status).not.toBe(400);
    });

    it('limits codes per phone on the telephone too (429 with Retry-After)', async () => {
      const phone = uniquePhone();
      await seedCitizen(db, { phone: phone.e164, officeId: officeA, documents: [{ title: 'CCCD', pages: 2 }] });
      for (let i = 0; i < DEFAULT_OTP_POLICY.perPhone.quarterHour; i++)
        expect((await api('POST', '/certification/telephone/codes', tokens.staffA, { phone: phone.typed })).status).toBe(202);
      const limited = await api('POST', '/certification/telephone/codes', tokens.staffA, { phone: phone.typed });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('keeps the code unused when the documents are wrong, so the caller need not read a new one', async () => {
      const phone = uniquePhone();
      const { documents } = await seedCitizen(db, { phone: phone.e164, officeId: officeA, documents: [{ title: 'CCCD', pages: 2 }] });
      const other = await seedCitizen(db, { phone: uniquePhone().e164, officeId: officeA, documents: [{ title: 'Sổ đỏ', pages: 5 }] });
      const sent = await api('POST', '/certification/telephone/codes', tokens.staffA, { phone: phone.typed });
      const { challengeId } = sent.body as { challengeId: string };
      const code = await latestCode(db, TEST_SECRET, phone.e164);
      // One copy of one document, collected at the office, with the code the caller read back.
      const request = (token: string, documentId: number | undefined) =>
        api('POST', '/certification/telephone/requests', token, { challengeId, code, items: [{ documentId, copies: 1 }], delivery: { method: 'pickup' } });
      const someoneElses = await request(tokens.staffA, other.documents[0]?.id);
      expect(someoneElses).toMatchObject({ status: 409, body: { error: { code: 'documents_not_found' } } });
      const fromB = await request(tokens.staffB, documents[0]?.id);
      expect(fromB).toMatchObject({ status: 409, body: { error: { code: 'forbidden_office' } } });
      const right = await request(tokens.staffA, documents[0]?.id);
      expect(right.status).toBe(201);
    });

    it('leaves nothing half-done when saving fails after the code was checked: the code stays unused and no request exists', async () => {
      const phone = uniquePhone();
      const { citizen, documents } = await seedCitizen(db, { phone: phone.e164, officeId: officeA, documents: [{ title: 'Học bạ', pages: 8 }] });
      const sent = await api('POST', '/certification/telephone/codes', tokens.staffA, { phone: phone.typed });
      const { challengeId } = sent.body as { challengeId: string };
      const code = (await latestCode(db, TEST_SECRET, phone.e164)) ?? '';
      const input = { challengeId, code, items: [{ documentId: documents[0]?.id ?? 0, copies: 1 }], delivery: { method: 'pickup' as const } };
      // A crash inside the transaction, after the code is consumed and as the request is written.
      await db.execute(sql.raw(`create or replace function mc_crash() returns trigger language plpgsql as $$ begin raise exception 'simulated crash'; end $$`));
      await db.execute(sql.raw(`create trigger mc_crash before insert on certification_requests for each row execute function mc_crash()`));
      const deps = {
        db,
        otp: { secret: TEST_SECRET, policy: DEFAULT_OTP_POLICY, channel: 'sms' as const },
        feeTable: NATIONAL_COPY_FEES,
        translator: createTranslator(),
      };
      const actor = { kind: 'token' as const, id: 1, name: 'Cán bộ A', role: 'staff' as const, officeId: officeA };
      try {
        const failure: unknown = await createTelephoneRequest(deps, actor, input, assistant.clock.now()).then(
          () => null,
          (error: unknown) => error,
        );
        // drizzle wraps the database's error; the crash is its cause.
        expect(failure).toBeInstanceOf(Error);
        expect(String(failure instanceof Error ? (failure.cause instanceof Error ? failure.cause.message : failure.message) : '')).toContain('simulated crash');
      } finally {
        await db.execute(sql.raw('drop trigger mc_crash on certification_requests'));
      }
      const [challenge] = await db.select().from(otpChallenges).where(eq(otpChallenges.id, challengeId));
      expect(challenge?.usedAt).toBeNull();
      expect(await db.select().from(certificationRequests).where(eq(certificationRequests.citizenId, citizen.id))).toHaveLength(0);
      expect(await db.select().from(auditLog).where(eq(auditLog.action, 'certification.telephone_request'))).not.toContainEqual(
        expect.objectContaining({ after: expect.objectContaining({ citizenId: citizen.id }) }),
      );
      // The same code still works once the system is healthy again.
      expect((await createTelephoneRequest(deps, actor, input, assistant.clock.now())).ok).toBe(true);
    });
  });
});
