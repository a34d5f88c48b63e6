import { and, asc, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTranslator } from '../../bot/locales';
import { auditLog, citizens, dossiers, identities, notificationSettings, outbox, permits, reminders, webInbox } from '../../db/schema';
import { NOTICE_KINDS, statusNoticeKind } from '../../domain/messaging/notification-settings';
import { notifyChats } from '../../domain/messaging/notify';
import { linkVerifiedPhone } from '../../domain/people/citizens';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { createTestToken } from '../support/tokens';

const vi = createTranslator()('vi');
let assistant: TestAssistant;
let staff: string;
let official: string;
const PHONE = '+84912345678';

beforeAll(async () => {
  assistant = await createTestAssistant();
  staff = await createTestToken(assistant.database.db, 'staff', { officeId: 1 });
  official = await createTestToken(assistant.database.db, 'official', { officeId: 1 });
});
afterAll(async () => assistant.close());
beforeEach(async () => {
  const { db } = assistant.database;
  await db.delete(outbox);
  await db.delete(reminders);
  await db.delete(dossiers);
  await db.delete(permits);
  await db.delete(notificationSettings);
  await db.delete(identities);
  await db.delete(citizens);
  assistant.clock.set('2026-11-23T01:00:00Z'); // 08:00 on 23/11 in Vietnam
});

const db = () => assistant.database.db;

/** A web chat whose citizen proved `phone`. */
async function citizenChat(externalId: string, phone = PHONE, locale = 'vi'): Promise<number> {
  const [row] = await db()
    .insert(identities)
    .values({ channel: 'web', externalId, locale, createdAt: assistant.clock.now(), lastSeenAt: assistant.clock.now() })
    .returning();
  if (!row) throw new Error('no identity');
  await linkVerifiedPhone(db(), row.id, phone, assistant.clock.now());
  return row.id;
}

async function call(method: string, path: string, token: string | null, body?: unknown, contentType = 'application/json') {
  const res = await assistant.app.request(path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': contentType },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string; message: string; errors?: unknown[] } } };
}

/** Moves the clock (a Vietnam wall-clock time or an instant) and runs one scheduler + delivery pass. */
async function at(when: string): Promise<void> {
  assistant.clock.set(when);
  await assistant.delivery.runOnce();
}

const rowsOfKind = (kind: string) => db().select().from(outbox).where(eq(outbox.kind, kind)).orderBy(asc(outbox.id));
const textOf = (row: { payload: unknown }) => JSON.stringify(row.payload);

async function putDossier(code: string, dueAt: string, receivedAt = '2026-11-23T08:00:00+07:00') {
  return call('PUT', `/api/v1/dossiers/${code}`, staff, {
    procedureCode: '1.001193',
    procedureName: 'Đăng ký khai sinh',
    applicantName: 'Nguyễn Văn An',
    applicantPhone: '0912 345 678',
    channel: 'counter',
    receivedAt,
    dueAt,
  });
}

async function chatSays(externalId: string, message: { text: string } | { action: string }) {
  return assistant.dialog.handle({ channel: 'web', externalId, message: 'text' in message ? { kind: 'text', ...message } : { kind: 'action', ...message } });
}

describe('appointment reminder', () => {
  it('fires once at 08:00 local on the day before the due date', async () => {
    const chat = await citizenChat('a');
    expect((await putDossier('HS-1', '2026-11-27T10:00:00+07:00')).status).toBe(201);
    await at('2026-11-26T00:59:00Z'); // 07:59 on 26/11
    expect(await rowsOfKind(NOTICE_KINDS.appointment)).toHaveLength(0);
    await at('2026-11-26T01:00:00Z'); // 08:00 on 26/11
    await at('2026-11-26T01:05:00Z');
    await at('2026-11-27T01:00:00Z');
    const sent = await rowsOfKind(NOTICE_KINDS.appointment);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ identityId: chat, status: 'sent', subject: `dossier:${(await db().select().from(dossiers))[0]?.id}` });
    expect(textOf(sent[0] ?? { payload: null })).toContain('HS-1');
    expect(textOf(sent[0] ?? { payload: null })).toContain('27/11/2026');
    const inbox = await db().select().from(webInbox).where(eq(webInbox.identityId, chat));
    expect(inbox.map((m) => JSON.stringify(m.payload)).filter((p) => p.includes('Nhắc lịch hẹn'))).toHaveLength(1);
  });

  it('waits for 07:00 when it falls due inside quiet hours', async () => {
    await citizenChat('a');
    await putDossier('HS-2', '2026-11-30T14:00:00+07:00');
    assistant.clock.set('2026-11-26T15:00:00Z'); // 22:00 on 26/11: the due date moves to tomorrow, past the reminder's time
    await putDossier('HS-2', '2026-11-27T14:00:00+07:00');
    await at('2026-11-26T15:00:00Z');
    const [queued] = await rowsOfKind(NOTICE_KINDS.appointment);
    expect(queued?.status).toBe('pending');
    expect(queued?.notBefore.toISOString()).toBe('2026-11-27T00:00:00.000Z'); // 07:00 on 27/11
    await at('2026-11-26T23:59:00Z');
    expect((await rowsOfKind(NOTICE_KINDS.appointment))[0]?.status).toBe('pending');
    await at('2026-11-27T00:00:00Z');
    expect((await rowsOfKind(NOTICE_KINDS.appointment))[0]?.status).toBe('sent');
  });

  it.each([
    ['by day: the slip goes at once', '2026-11-26T03:00:00Z', '2026-11-26T09:30:00+07:00'],
    ['at night: the slip waits for 07:00', '2026-11-26T15:00:00Z', '2026-11-26T21:55:00+07:00'],
  ])('is not sent with the appointment slip of a dossier received on the eve of its due date (%s)', async (_case, now, receivedAt) => {
    const chat = await citizenChat('a');
    assistant.clock.set(now);
    expect((await putDossier('HS-6', '2026-11-27T14:00:00+07:00', receivedAt)).status).toBe(201);
    for (const when of [now, '2026-11-27T00:00:00Z', '2026-11-27T01:00:00Z', '2026-11-27T06:00:00Z']) await at(when);
    const sent = await db().select().from(outbox).where(eq(outbox.identityId, chat));
    expect(sent.map((row) => [row.kind, row.status])).toEqual([[statusNoticeKind('received'), 'sent']]);
    expect(textOf(sent[0] ?? { payload: null })).toContain('27/11/2026');
    expect(await db().select().from(reminders)).toEqual([]);
  });

  it('moves with the due date and is sent for the new date only', async () => {
    await citizenChat('a');
    await putDossier('HS-3', '2026-11-27T10:00:00+07:00');
    expect((await putDossier('HS-3', '2026-11-30T10:00:00+07:00')).status).toBe(200);
    const planned = await db().select().from(reminders).orderBy(asc(reminders.id));
    expect(planned.map((r) => r.status)).toEqual(['cancelled', 'pending']);
    expect(planned[1]?.fireAt.toISOString()).toBe('2026-11-29T01:00:00.000Z');
    await at('2026-11-26T01:00:00Z');
    expect(await rowsOfKind(NOTICE_KINDS.appointment)).toHaveLength(0);
    await at('2026-11-29T01:00:00Z');
    const sent = await rowsOfKind(NOTICE_KINDS.appointment);
    expect(sent).toHaveLength(1);
    expect(textOf(sent[0] ?? { payload: null })).toContain('30/11/2026');
  });

  it('comes back once if the due date moves away and back, and is never sent twice', async () => {
    await citizenChat('a');
    await putDossier('HS-4', '2026-11-27T10:00:00+07:00');
    await putDossier('HS-4', '2026-11-30T10:00:00+07:00');
    await putDossier('HS-4', '2026-11-27T10:00:00+07:00');
    await at('2026-11-26T01:00:00Z');
    await putDossier('HS-4', '2026-11-27T11:00:00+07:00'); // same day: the same reminder, already sent
    await at('2026-11-26T02:00:00Z');
    expect(await rowsOfKind(NOTICE_KINDS.appointment)).toHaveLength(1);
  });

  it.each([
    ['withdrawn', {}],
    ['rejected', { reason: 'Hồ sơ không đúng thẩm quyền' }],
  ])('is cancelled when the dossier is %s', async (status, details) => {
    await citizenChat('a');
    await putDossier('HS-5', '2026-11-27T10:00:00+07:00');
    expect((await call('POST', '/api/v1/dossiers/HS-5/events', staff, { status, details })).status).toBe(201);
    expect((await db().select().from(reminders))[0]?.status).toBe('cancelled');
    await at('2026-11-26T01:00:00Z');
    expect(await rowsOfKind(NOTICE_KINDS.appointment)).toHaveLength(0);
  });

  it('is queued once when several processes run the scheduler at the same moment', async () => {
    await citizenChat('a');
    await citizenChat('b');
    await putDossier('HS-10', '2026-11-27T10:00:00+07:00');
    assistant.clock.set('2026-11-26T01:00:00Z');
    await Promise.all([assistant.delivery.runOnce(), assistant.delivery.runOnce(), assistant.delivery.runOnce()]);
    await assistant.delivery.runOnce();
    const rows = await rowsOfKind(NOTICE_KINDS.appointment);
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(new Set(rows.map((r) => r.identityId)).size).toBe(2);
  });

  it('reaches a chat that proves the phone after the dossier was received', async () => {
    await putDossier('HS-6', '2026-11-27T10:00:00+07:00');
    const late = await citizenChat('late');
    await at('2026-11-26T01:00:00Z');
    expect((await rowsOfKind(NOTICE_KINDS.appointment)).map((r) => r.identityId)).toEqual([late]);
  });
});

describe('citizen switches', () => {
  it('a reminder switched off is not queued, and one queued before the switch is cancelled at send time', async () => {
    await citizenChat('a');
    // Queued during quiet hours (the due date moved to tomorrow at 22:00, so it waits for 07:00),
    // then the citizen switches appointment reminders off.
    await putDossier('HS-7', '2026-11-30T14:00:00+07:00');
    assistant.clock.set('2026-11-26T15:00:00Z');
    await putDossier('HS-7', '2026-11-27T14:00:00+07:00');
    await at('2026-11-26T15:00:00Z');
    await chatSays('a', { action: 'settings:mute:appointment' });
    await at('2026-11-27T00:00:00Z');
    expect((await rowsOfKind(NOTICE_KINDS.appointment)).map((r) => r.status)).toEqual(['cancelled']);

    await putDossier('HS-8', '2026-11-29T10:00:00+07:00');
    await at('2026-11-28T01:00:00Z');
    expect(await rowsOfKind(NOTICE_KINDS.appointment)).toHaveLength(1);
  });

  it('result ready and supplement needed are the dossier status notices, once each, under their own switches', async () => {
    await citizenChat('a');
    await putDossier('HS-9', '2026-11-27T10:00:00+07:00');
    await chatSays('a', { action: 'settings:mute:result_ready' });
    const supplement = { status: 'needs_supplement', details: { missing: ['Bản sao CCCD'] } };
    expect((await call('POST', '/api/v1/dossiers/HS-9/events', staff, supplement)).status).toBe(201);
    expect((await call('POST', '/api/v1/dossiers/HS-9/events', staff, supplement)).status).toBe(200);
    expect((await call('POST', '/api/v1/dossiers/HS-9/events', staff, { status: 'ready', details: { collectAt: 'Quầy số 3' } })).status).toBe(201);
    await at('2026-11-23T01:01:00Z');
    expect((await rowsOfKind(NOTICE_KINDS.supplement)).map((r) => r.status)).toEqual(['sent']);
    expect(await rowsOfKind(NOTICE_KINDS.resultReady)).toHaveLength(0);
  });

  it('the certification-ready switch applies to certification notices', async () => {
    const chat = await citizenChat('a');
    const notice = { kind: NOTICE_KINDS.certificationReady, render: () => [{ text: 'Bản sao đã xong' }] };
    expect(await notifyChats(db(), [chat], { ...notice, dedupeKey: 'cert:1:ready' }, { now: assistant.clock.now() })).toBe(1);
    await chatSays('a', { action: 'settings:mute:certification' });
    expect(await notifyChats(db(), [chat], { ...notice, dedupeKey: 'cert:2:ready' }, { now: assistant.clock.now() })).toBe(0);
  });

  it('/stop silences reminders and announcements but not answers to the citizen’s own requests; resume brings them back', async () => {
    const chat = await citizenChat('a');
    const [reply] = (await chatSays('a', { text: 'dừng' })) ?? [];
    expect(reply?.text).toContain('Đã tạm ngừng');
    const now = assistant.clock.now();
    const queue = (kind: string, key: string) => notifyChats(db(), [chat], { kind, dedupeKey: key, render: () => [{ text: kind }] }, { now });
    expect(await queue(NOTICE_KINDS.appointment, 'k1')).toBe(0);
    expect(await queue(NOTICE_KINDS.broadcast, 'k2')).toBe(0);
    expect(await queue(NOTICE_KINDS.resultReady, 'k3')).toBe(0);
    expect(await queue('certification_status', 'k4')).toBe(1);
    expect(await queue('otp', 'k5')).toBe(1);
    const [resumed] = (await chatSays('a', { action: 'settings:resume' })) ?? [];
    expect(resumed?.text).toContain('Đã bật lại');
    expect(await queue(NOTICE_KINDS.appointment, 'k6')).toBe(1);
  });

  it('a paused chat that comes back to /start is told so, with the resume button first; /start never resumes by itself', async () => {
    const chat = await citizenChat('a');
    await chatSays('a', { text: 'dừng' });
    const [greeting] = (await assistant.dialog.handle({ channel: 'web', externalId: 'a', message: { kind: 'start' } })) ?? [];
    expect(greeting?.text).toMatch(/^Xin chào/);
    expect(greeting?.text).toContain('Anh/Chị đang tạm ngừng nhận thông báo và nhắc nhở');
    expect(greeting?.buttons?.[0]).toEqual([{ label: '▶️ Bật lại thông báo', action: 'settings:resume' }]);
    const now = assistant.clock.now();
    expect(await notifyChats(db(), [chat], { kind: NOTICE_KINDS.broadcast, dedupeKey: 'p1', render: () => [{ text: 'x' }] }, { now })).toBe(0);

    await chatSays('a', { action: 'settings:resume' });
    const [after] = (await chatSays('a', { text: '/start' })) ?? [];
    expect(after?.text).not.toContain('tạm ngừng');
    expect(after?.buttons?.flat().map((b) => ('action' in b ? b.action : b.url))).not.toContain('settings:resume');
  });

  it('settings follow the citizen to every chat linked to the same phone', async () => {
    await citizenChat('web-chat');
    const [telegram] = await db()
      .insert(identities)
      .values({ channel: 'telegram', externalId: '777', createdAt: assistant.clock.now(), lastSeenAt: assistant.clock.now() })
      .returning();
    if (!telegram) throw new Error('no identity');
    await linkVerifiedPhone(db(), telegram.id, PHONE, assistant.clock.now());
    await chatSays('web-chat', { action: 'settings:mute:permit_expiry' });
    const view = await assistant.dialog.handle({ channel: 'telegram', externalId: '777', message: { kind: 'action', action: 'settings:reminders' } });
    const labels = (view?.[0]?.buttons ?? []).flat().map((b) => b.label);
    expect(labels).toContain('⬜ Giấy phép sắp hết hạn');
    expect(labels).toContain('✅ Lịch hẹn trả kết quả');
  });

  it('lets a citizen pick their ward by typing it without accents', async () => {
    const admin = await createTestToken(db(), 'admin');
    expect(
      (
        await call('PUT', '/api/v1/areas', admin, {
          items: [
            { code: 'ben-thanh', name: 'Phường Bến Thành' },
            { code: 'tan-dinh', name: 'Phường Tân Định' },
          ],
        })
      ).status,
    ).toBe(200);
    await citizenChat('a');
    const [ask] = (await chatSays('a', { action: 'settings:area' })) ?? [];
    expect(ask?.text).toContain('xã/phường');
    const [pick] = (await chatSays('a', { text: 'ben thanh' })) ?? [];
    expect(pick?.buttons?.[0]?.[0]).toEqual({ label: 'Phường Bến Thành', action: 'settings:area:set:ben-thanh' });
    const [saved] = (await chatSays('a', { action: 'settings:area:set:ben-thanh' })) ?? [];
    expect(saved?.text).toContain('Đã lưu khu vực: Phường Bến Thành');
  });

  it('matches a ward typed as "P.1", "phường Một" or "phuong 01", and offers the closest names as buttons for a typo', async () => {
    const admin = await createTestToken(db(), 'admin');
    const items = [
      { code: 'phuong-1', name: 'Phường 1' },
      { code: 'phuong-10', name: 'Phường 10' },
      { code: 'ben-thanh', name: 'Phường Bến Thành' },
      { code: 'tan-dinh', name: 'Phường Tân Định' },
    ];
    expect((await call('PUT', '/api/v1/areas', admin, { items })).status).toBe(200);
    await citizenChat('a');
    const back = [{ label: vi('settings.buttonBack'), action: 'settings:main' }];
    await chatSays('a', { action: 'settings:area' });
    for (const typed of ['P.1', 'phường Một', 'phuong 01', 'Phuong 1']) {
      const [pick] = (await chatSays('a', { text: typed })) ?? [];
      expect(pick, typed).toEqual({ text: vi('settings.areaPick'), buttons: [[{ label: 'Phường 1', action: 'settings:area:set:phuong-1' }], back] });
    }
    const [closest] = (await chatSays('a', { text: 'phuong ben tanh' })) ?? [];
    expect(closest).toEqual({
      text: vi('settings.areaClosest', { typed: 'phuong ben tanh' }),
      buttons: [[{ label: 'Phường Bến Thành', action: 'settings:area:set:ben-thanh' }], back],
    });
    await chatSays('a', { action: 'settings:area:set:ben-thanh' });
    // With an area set, the step keeps its "clear" button under every answer.
    await chatSays('a', { action: 'settings:area' });
    const [typo] = (await chatSays('a', { text: 'tan dihn' })) ?? [];
    expect(typo?.buttons).toEqual([
      [{ label: 'Phường Tân Định', action: 'settings:area:set:tan-dinh' }],
      [{ label: vi('settings.areaClear'), action: 'settings:area:clear' }],
      back,
    ]);
  });
});

describe('permits', () => {
  const permit = {
    holderName: 'Hộ kinh doanh Trần Thị Bình',
    phone: '0912345678',
    kind: 'Giấy chứng nhận đăng ký hộ kinh doanh',
    number: '41A8012345',
    issuedOn: '2022-01-10',
    expiresOn: '2027-01-10',
    office: 'UBND phường Bến Thành',
  };

  it('reminds 30, 7 and 1 days before expiry at 08:00, once each, to the chats of the verified phone', async () => {
    const chat = await citizenChat('a');
    const created = await call('POST', '/api/v1/permits', staff, permit);
    expect(created.status).toBe(201);
    const planned = await db().select().from(reminders).orderBy(asc(reminders.fireAt));
    expect(planned.map((r) => r.fireAt.toISOString())).toEqual(['2026-12-11T01:00:00.000Z', '2027-01-03T01:00:00.000Z', '2027-01-09T01:00:00.000Z']);
    for (const when of [
      '2026-12-11T00:59:00Z',
      '2026-12-11T01:00:00Z',
      '2026-12-12T01:00:00Z',
      '2027-01-03T01:00:00Z',
      '2027-01-09T01:00:00Z',
      '2027-01-09T05:00:00Z',
    ])
      await at(when);
    const sent = await rowsOfKind(NOTICE_KINDS.permitExpiry);
    expect(sent.map((r) => [r.identityId, r.status, r.notBefore.toISOString()])).toEqual([
      [chat, 'sent', '2026-12-11T01:00:00.000Z'],
      [chat, 'sent', '2027-01-03T01:00:00.000Z'],
      [chat, 'sent', '2027-01-09T01:00:00.000Z'],
    ]);
    expect(textOf(sent[0] ?? { payload: null })).toContain('còn 30 ngày');
    expect(textOf(sent[2] ?? { payload: null })).toContain('10/01/2027');
  });

  it('the same permit again changes nothing; a later expiry renews it and replaces its pending reminders', async () => {
    await call('POST', '/api/v1/permits', staff, permit);
    const audits = async () => (await db().select().from(auditLog).where(like(auditLog.action, 'permit.%'))).length;
    const before = await audits();
    expect((await call('POST', '/api/v1/permits', staff, permit)).body).toMatchObject({ outcome: 'unchanged' });
    expect(await audits()).toBe(before);
    const renewed = await call('POST', '/api/v1/permits', staff, { ...permit, expiresOn: '2032-01-10' });
    expect(renewed.body).toMatchObject({ outcome: 'renewed', permit: { expiresOn: '2032-01-10' } });
    const planned = await db().select().from(reminders).orderBy(asc(reminders.id));
    expect(planned.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'pending', 'pending', 'pending']);
    expect(planned.filter((r) => r.status === 'pending').map((r) => r.fireAt.toISOString())[0]).toBe('2031-12-11T01:00:00.000Z');
  });

  it('a permit recorded a few days before expiry gets one reminder now and the 1-day one later', async () => {
    await citizenChat('a');
    await call('POST', '/api/v1/permits', staff, { ...permit, expiresOn: '2026-11-28' });
    const planned = await db().select().from(reminders).orderBy(asc(reminders.fireAt));
    expect(planned.map((r) => [r.params.days, r.fireAt.toISOString()])).toEqual([
      ['7', '2026-11-23T01:00:00.000Z'],
      ['1', '2026-11-27T01:00:00.000Z'],
    ]);
  });

  const csv = [
    'holder_name,phone,kind,number,issued,expires,office',
    'Trần Thị Bình,0912345678,Giấy phép kinh doanh,GP-001,10/01/2022,10/01/2027,UBND phường Bến Thành',
    'Lê Văn Cường,+84987654321,Giấy phép xây dựng,XD-17,2025-05-01,2027-05-01,UBND phường Tân Định',
  ].join('\n');

  it('imports a CSV register; importing it again changes nothing', async () => {
    const first = await call('POST', '/api/v1/permits/import', staff, csv, 'text/csv');
    expect(first).toMatchObject({ status: 200, body: { created: 2, unchanged: 0 } });
    const counts = async () => ({
      permits: (await db().select().from(permits)).length,
      reminders: (await db().select().from(reminders)).length,
      audit: (await db().select().from(auditLog).where(like(auditLog.action, 'permit.%'))).length,
    });
    const before = await counts();
    const again = await call('POST', '/api/v1/permits/import', staff, csv, 'text/csv');
    expect(again).toMatchObject({ status: 200, body: { created: 0, renewed: 0, updated: 0, unchanged: 2 } });
    expect(await counts()).toEqual(before);
  });

  it('rejects a file with a bad row, naming line and column, and imports none of it', async () => {
    const bad = `${csv}\nPhạm Văn Dũng,12345,Giấy phép kinh doanh,GP-002,01/01/2024,31/02/2027,UBND phường Bến Thành`;
    const result = await call('POST', '/api/v1/permits/import', staff, bad, 'text/csv');
    expect(result.status).toBe(422);
    expect(result.body.error?.errors).toEqual([
      { line: 4, column: 'phone', message: 'expected a Vietnamese phone number (09x…, +849x…, 849x…)' },
      { line: 4, column: 'expires', message: 'expected the expiry date as yyyy-MM-dd or dd/MM/yyyy' },
    ]);
    expect(await db().select().from(permits)).toHaveLength(0);
  });

  it.each([
    ['no token', null, 401],
    ['an official', 'official', 403],
  ])('refuses %s', async (_who, role, status) => {
    const token = role === 'official' ? official : null;
    expect((await call('POST', '/api/v1/permits', token, permit)).status).toBe(status);
    expect((await call('POST', '/api/v1/permits/import', token, csv, 'text/csv')).status).toBe(status);
  });

  it('answers a bad permit with a 400 naming the field', async () => {
    const result = await call('POST', '/api/v1/permits', staff, { ...permit, expiresOn: '2021-01-01' });
    expect(result.status).toBe(400);
    expect(result.body.error?.message).toContain('expiresOn');
    expect(
      await db()
        .select()
        .from(permits)
        .where(and(eq(permits.number, permit.number))),
    ).toHaveLength(0);
  });
});
