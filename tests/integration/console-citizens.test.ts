import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, citizens, storedDocuments } from '../../db/schema';
import type { Database } from '../../db/types';
import { findCitizen } from '../../domain/certification/documents';
import { createRequest } from '../../domain/certification/requests';
import { createBlobStore } from '../../lib/local-blob-store';
import { NATIONAL_COPY_FEES } from '../../vocabulary/settings';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { seedOffice, uniquePhone } from '../support/certification';
import { type ConsoleClient, consoleClient, createStaffAccount, signInWithHttp } from '../support/console';

const UPLOAD_LIMIT = 4096;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

let assistant: TestAssistant;
let db: Database;
let dataDir: string;
let officeA: number;
let clerkA: ConsoleClient;
let clerkB: ConsoleClient;
let official: ConsoleClient;
let admin: ConsoleClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mc-console-citizens-'));
  assistant = await createTestAssistant({ DATA_DIR: dataDir, UPLOAD_MAX_BYTES: String(UPLOAD_LIMIT) });
  db = assistant.database.db;
  officeA = await seedOffice(db, 'UBND phường A');
  const officeB = await seedOffice(db, 'UBND phường B');
  await createStaffAccount(db, { username: 'clerk-a', role: 'staff', officeId: officeA });
  await createStaffAccount(db, { username: 'clerk-b', role: 'staff', officeId: officeB });
  await createStaffAccount(db, { username: 'lanh-dao', role: 'official', officeId: officeA });
  await createStaffAccount(db, { username: 'quan-tri', role: 'admin', officeId: null });
  clerkA = await signInWithHttp(assistant.app, 'clerk-a');
  clerkB = await signInWithHttp(assistant.app, 'clerk-b');
  official = await signInWithHttp(assistant.app, 'lanh-dao');
  admin = await signInWithHttp(assistant.app, 'quan-tri');
});
afterAll(async () => {
  await assistant.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const blobs = () => createBlobStore({ kind: 'local', dir: join(dataDir, 'blobs') });

function uploadForm(fields: Record<string, string>, file?: { bytes: Uint8Array; name: string; type: string }): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries({ kind: 'tot_nghiep', title: 'Bằng tốt nghiệp THPT', pages: '2', ...fields })) form.append(k, v);
  if (file) form.append('file', new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
  return form;
}

const documentsOfCitizen = (citizenId: number) => db.select().from(storedDocuments).where(eq(storedDocuments.citizenId, citizenId));

/** A citizen registered through the console by clerk A, with their id. */
async function registered(name = 'Nguyễn Thị Lan') {
  const phone = uniquePhone();
  const res = await clerkA.post('/console/citizens', { phone: phone.typed, fullName: name });
  expect(res.status).toBe(303);
  const citizen = await findCitizen(db, { phone: phone.e164 });
  if (!citizen) throw new Error('not registered');
  return { ...citizen, typed: phone.typed };
}

async function uploaded(citizenId: number, file = { bytes: PNG, name: 'scan.png', type: 'image/png' }, title = 'Bằng tốt nghiệp THPT') {
  const res = await clerkA.post(`/console/citizens/${citizenId}/documents`, uploadForm({ title }, file));
  expect(res.status).toBe(303);
  const [doc] = (await documentsOfCitizen(citizenId)).filter((d) => d.title === title);
  if (!doc) throw new Error('not stored');
  return doc;
}

describe('console citizens: who may', () => {
  it('sends a signed-out visitor to sign in and refuses their posts, changing nothing', async () => {
    const citizen = await registered();
    const doc = await uploaded(citizen.id);
    const anon = consoleClient(assistant.app, null);
    for (const path of ['/console/citizens', `/console/citizens/${citizen.id}`, `/console/citizens/${citizen.id}/documents/${doc.id}/file`]) {
      const res = await anon.get(path);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toMatch(/^\/console\/sign-in\?next=/);
    }
    const phone = uniquePhone();
    expect((await anon.post('/console/citizens', { phone: phone.typed, fullName: 'Trần Văn Ẩn' })).status).toBe(401);
    expect(await findCitizen(db, { phone: phone.e164 })).toBeNull();
    expect(
      (await anon.post(`/console/citizens/${citizen.id}/documents`, uploadForm({ title: 'Ẩn danh' }, { bytes: PNG, name: 'a.png', type: 'image/png' }))).status,
    ).toBe(401);
    expect((await anon.post(`/console/citizens/${citizen.id}/documents/${doc.id}/retire`, {})).status).toBe(401);
    expect((await documentsOfCitizen(citizen.id)).map((d) => d.id)).toEqual([doc.id]);
  });

  it('refuses an official (403) on every page and post', async () => {
    const citizen = await registered();
    const doc = await uploaded(citizen.id);
    for (const path of ['/console/citizens', `/console/citizens/${citizen.id}`, `/console/citizens/${citizen.id}/documents/${doc.id}/file`]) {
      expect((await official.get(path)).status).toBe(403);
    }
    const phone = uniquePhone();
    expect((await official.post('/console/citizens', { phone: phone.typed, fullName: 'Lê Văn Quan' })).status).toBe(403);
    expect(await findCitizen(db, { phone: phone.e164 })).toBeNull();
    expect((await official.post(`/console/citizens/${citizen.id}/documents/${doc.id}/retire`, {})).status).toBe(403);
    expect(await documentsOfCitizen(citizen.id)).toHaveLength(1);
  });

  it('refuses every post without the CSRF token (the multipart upload too), changing nothing', async () => {
    const citizen = await registered();
    const doc = await uploaded(citizen.id);
    const phone = uniquePhone();
    const register = await clerkA.post('/console/citizens', { phone: phone.typed, fullName: 'Phạm Thị Hoa' }, { csrf: false });
    expect(register.status).toBe(403);
    expect(await findCitizen(db, { phone: phone.e164 })).toBeNull();
    const upload = await clerkA.post(
      `/console/citizens/${citizen.id}/documents`,
      uploadForm({ title: 'Không có mã' }, { bytes: PNG, name: 'a.png', type: 'image/png' }),
      { csrf: false },
    );
    expect(upload.status).toBe(403);
    expect(await upload.text()).toContain('Biểu mẫu đã hết hạn');
    const retire = await clerkA.post(`/console/citizens/${citizen.id}/documents/${doc.id}/retire`, {}, { csrf: false });
    expect(retire.status).toBe(403);
    expect((await documentsOfCitizen(citizen.id)).map((d) => d.id)).toEqual([doc.id]);
  });
});

describe('console citizens: find and register', () => {
  it('answers a phone that is no phone number with 400 and the message', async () => {
    const res = await clerkA.get('/console/citizens?phone=12ab');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Vui lòng nhập số điện thoại di động Việt Nam');
  });

  it('offers to register an unknown number, prefilled, and opens a known one', async () => {
    const phone = uniquePhone();
    const unknown = await clerkA.get(`/console/citizens?phone=${encodeURIComponent(phone.typed)}`);
    expect(unknown.status).toBe(200);
    const html = await unknown.text();
    expect(html).toContain('Chưa có công dân nào đăng ký với số');
    const local = `0${phone.e164.slice(3)}`;
    expect(html).toContain(`value="${local.slice(0, 4)} ${local.slice(4, 7)} ${local.slice(7)}"`);

    const citizen = await registered();
    const known = await clerkA.get(`/console/citizens?phone=${encodeURIComponent(citizen.phone)}`);
    expect(known.status).toBe(303);
    expect(known.headers.get('location')).toBe(`/console/citizens/${citizen.id}`);
  });

  it('registers by phone and name (normalised like the API), audited, and takes a known number again', async () => {
    const phone = uniquePhone();
    const res = await clerkA.post('/console/citizens', { phone: phone.typed, fullName: 'Võ Thị Sáu' });
    const citizen = await findCitizen(db, { phone: phone.e164 });
    expect(citizen?.fullName).toBe('Võ Thị Sáu');
    expect(res.headers.get('location')).toBe(`/console/citizens/${citizen?.id}?done=registered`);
    const page = await clerkA.get(res.headers.get('location') ?? '');
    expect(await page.text()).toContain('Đã đăng ký công dân');
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'citizen.register'), eq(auditLog.subject, `citizen:${citizen?.id}`)));
    expect(audit?.actor).toMatch(/^staff:/);

    const again = await clerkA.post('/console/citizens', { phone: phone.e164, fullName: 'Võ Thị Sáu' });
    expect(again.headers.get('location')).toBe(`/console/citizens/${citizen?.id}?done=known`);
    expect(await db.select().from(citizens).where(eq(citizens.phone, phone.e164))).toHaveLength(1);
  });

  it('shows the form again with each problem when the phone or name is wrong, registering no one', async () => {
    const res = await clerkA.post('/console/citizens', { phone: '0123', fullName: 'A' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Vui lòng nhập số điện thoại di động Việt Nam');
    expect(html).toContain('Vui lòng nhập họ và tên của công dân');
    expect(html).toContain('href="#register-phone"');
  });
});

describe('console citizens: scans', () => {
  it('stores a scan and serves it inline with its own type, nosniff and a sandboxing policy', async () => {
    const citizen = await registered();
    const doc = await uploaded(citizen.id);
    expect(doc).toMatchObject({ officeId: officeA, kind: 'tot_nghiep', pages: 2, contentType: 'image/png', sizeBytes: PNG.byteLength });
    const page = await (await clerkA.get(`/console/citizens/${citizen.id}`)).text();
    expect(page).toContain('Bằng tốt nghiệp THPT');
    expect(page).toContain(`src="/console/citizens/${citizen.id}/documents/${doc.id}/file"`);
    expect(page).toContain('Cán bộ clerk-a');

    const file = await clerkA.get(`/console/citizens/${citizen.id}/documents/${doc.id}/file`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-security-policy')).toContain('sandbox');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PNG);

    const pdf = await uploaded(citizen.id, { bytes: PDF, name: 'khai-sinh.pdf', type: 'application/pdf' }, 'Giấy khai sinh');
    const pdfFile = await clerkA.get(`/console/citizens/${citizen.id}/documents/${pdf.id}/file`);
    expect(pdfFile.headers.get('content-type')).toBe('application/pdf');
    expect(pdfFile.headers.get('content-disposition')).toMatch(/^inline;/);
    expect(pdfFile.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it.each([
    ['too big', { bytes: new Uint8Array(UPLOAD_LIMIT + 1).fill(0x25), name: 'big.pdf', type: 'application/pdf' }, 'vượt quá giới hạn 4 KB'],
    ['not a scan', { bytes: new TextEncoder().encode('<html><script>alert(1)</script>'), name: 'scan.png', type: 'image/png' }, 'không phải PDF, JPEG hay PNG'],
    ['empty', { bytes: new Uint8Array(0), name: 'empty.png', type: 'image/png' }, 'không có nội dung'],
  ])('refuses a file that is %s with a specific message, storing nothing', async (_, file, message) => {
    const citizen = await registered();
    const res = await clerkA.post(`/console/citizens/${citizen.id}/documents`, uploadForm({ title: 'Sổ hộ khẩu' }, file));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(message);
    expect(html).toContain('value="Sổ hộ khẩu"');
    expect(await documentsOfCitizen(citizen.id)).toEqual([]);
  });

  it('answers a body far over the limit with a console page before reading it, storing nothing', async () => {
    const citizen = await registered();
    const huge = new Uint8Array(UPLOAD_LIMIT + 1024 * 1024 + 1).fill(0x25);
    const res = await clerkA.post(
      `/console/citizens/${citizen.id}/documents`,
      uploadForm({ title: 'Sổ hộ khẩu' }, { bytes: huge, name: 'huge.pdf', type: 'application/pdf' }),
    );
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('Tệp gửi lên quá lớn');
    expect(await documentsOfCitizen(citizen.id)).toEqual([]);
    // Any other console form over the app's 1 MiB limit gets the same page, not the API's JSON.
    const big = await clerkA.post('/console/citizens', { phone: '0'.repeat(1024 * 1024 + 10) });
    expect([big.status, big.headers.get('content-type')]).toEqual([413, 'text/html; charset=UTF-8']);
  });

  it('asks for a missing file, kind, name and pages', async () => {
    const citizen = await registered();
    const res = await clerkA.post(`/console/citizens/${citizen.id}/documents`, uploadForm({ kind: 'nothing', title: '', pages: '0' }));
    expect(res.status).toBe(400);
    const html = await res.text();
    for (const m of ['Vui lòng chọn tệp bản quét', 'Vui lòng chọn loại giấy tờ', 'Vui lòng nhập tên giấy tờ', 'Vui lòng nhập số trang'])
      expect(html).toContain(m);
    expect(await documentsOfCitizen(citizen.id)).toEqual([]);
  });

  it('has a province-wide admin choose the office that keeps the scan', async () => {
    const citizen = await registered();
    const form = () => uploadForm({ title: 'Hộ chiếu' }, { bytes: PNG, name: 'a.png', type: 'image/png' });
    const missing = await admin.post(`/console/citizens/${citizen.id}/documents`, form());
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('Vui lòng chọn cơ quan lưu giữ bản quét');
    const withOffice = form();
    withOffice.set('officeId', String(officeA));
    expect((await admin.post(`/console/citizens/${citizen.id}/documents`, withOffice)).status).toBe(303);
    expect((await documentsOfCitizen(citizen.id)).map((d) => d.officeId)).toEqual([officeA]);
  });

  it('keeps another office’s scans from a clerk: not listed, no file, no retiring', async () => {
    const citizen = await registered();
    const doc = await uploaded(citizen.id, undefined, 'Bản đăng ký kết hôn năm 2015');
    const page = await clerkB.get(`/console/citizens/${citizen.id}`);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain('Bản đăng ký kết hôn năm 2015');
    for (const path of [`/console/citizens/${citizen.id}/documents/${doc.id}/file`, `/console/citizens/${citizen.id}/documents/${doc.id}/retire`]) {
      expect((await clerkB.get(path)).status).toBe(404);
    }
    expect((await clerkB.post(`/console/citizens/${citizen.id}/documents/${doc.id}/retire`, {})).status).toBe(404);
    expect((await documentsOfCitizen(citizen.id)).map((d) => d.id)).toEqual([doc.id]);
    expect(await blobs().get(doc.blobKey)).not.toBeNull();
  });

  it('retires a scan after the confirmation page: row and file gone, audited', async () => {
    const citizen = await registered();
    const doc = await uploaded(citizen.id);
    const confirm = await clerkA.get(`/console/citizens/${citizen.id}/documents/${doc.id}/retire`);
    expect(await confirm.text()).toContain('sẽ bị xoá khỏi hệ thống');
    const res = await clerkA.post(`/console/citizens/${citizen.id}/documents/${doc.id}/retire`, {});
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/console/citizens/${citizen.id}?done=retired#documents`);
    expect(await documentsOfCitizen(citizen.id)).toEqual([]);
    expect(await blobs().get(doc.blobKey)).toBeNull();
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'document.retire'), eq(auditLog.subject, `citizen:${citizen.id}`)));
    expect(audit?.before).toMatchObject({ documentId: doc.id, title: doc.title });
    expect((await clerkA.get(`/console/citizens/${citizen.id}/documents/${doc.id}/file`)).status).toBe(404);
  });

  it('will not retire a scan an unfinished request still needs', async () => {
    const citizen = await registered();
    const doc = await uploaded(citizen.id);
    const now = assistant.clock.now();
    const request = await db.transaction((tx) =>
      createRequest(tx, NATIONAL_COPY_FEES, {
        citizenId: citizen.id,
        identityId: null,
        items: [{ documentId: doc.id, copies: 1 }],
        delivery: { method: 'pickup' },
        verification: { method: 'telephone_otp', at: now, by: 'staff:1' },
        now,
      }),
    );
    if (!request.ok) throw new Error(request.reason);
    const res = await clerkA.post(`/console/citizens/${citizen.id}/documents/${doc.id}/retire`, {});
    expect(res.status).toBe(409);
    expect(await res.text()).toContain(`CT-${String(request.value.id).padStart(6, '0')}`);
    expect(await documentsOfCitizen(citizen.id)).toHaveLength(1);
    const page = await (await clerkA.get(`/console/citizens/${citizen.id}`)).text();
    expect(page).toContain(`href="/console/certification/${request.value.id}"`);
  });

  it('lists the office’s recently scanned citizens with masked phones, not other offices’', async () => {
    const citizen = await registered('Đặng Văn Gần');
    await uploaded(citizen.id);
    const local = `0${citizen.phone.slice(3)}`;
    const mine = await (await clerkA.get('/console/citizens')).text();
    expect(mine).toContain('Đặng Văn Gần');
    expect(mine).toContain(`${local.slice(0, 4)} *** ${local.slice(-3)}`);
    expect(mine).not.toContain(local.slice(4, 7) + local.slice(7));
    expect(await (await clerkB.get('/console/citizens')).text()).not.toContain('Đặng Văn Gần');
  });
});
