import { describe, expect, it } from 'vitest';
import { civilEventOf } from '../../domain/dossiers/civil-events';
import { parseRegister } from '../../domain/dossiers/csv-register';
import { checkMove, TRANSITIONS } from '../../domain/dossiers/status';
import { hashPassword, verifyPassword } from '../../domain/people/passwords';
import { DOSSIER_STATUSES, type DossierStatus } from '../../vocabulary/dossiers';

describe('status moves', () => {
  const allowed = DOSSIER_STATUSES.flatMap((from) => TRANSITIONS[from].map((to): [DossierStatus, DossierStatus] => [from, to]));
  const details = { missing: ['Tờ khai'], reason: 'Không đủ điều kiện' };

  it.each(allowed)('lets staff move %s -> %s', (from, to) => {
    expect(checkMove(from, to, details, 'staff')).toEqual({ ok: true, forced: false });
  });

  const refused = DOSSIER_STATUSES.flatMap((from) =>
    DOSSIER_STATUSES.filter((to) => to !== from && !TRANSITIONS[from].includes(to)).map((to) => [from, to] as const),
  );
  it.each(refused)('refuses %s -> %s unless an admin forces it with a reason', (from, to) => {
    expect(checkMove(from, to, details, 'admin')).toMatchObject({ ok: false, reason: 'invalid_transition' });
    expect(checkMove(from, to, details, 'staff', { reason: 'nhập bù' })).toMatchObject({ ok: false, reason: 'force_not_allowed' });
    expect(checkMove(from, to, details, 'admin', { reason: 'nhập bù' })).toEqual({ ok: true, forced: true });
  });

  it('never returns a result that was not ready', () => {
    for (const from of DOSSIER_STATUSES.filter((s) => s !== 'ready')) expect(TRANSITIONS[from]).not.toContain('returned');
  });

  it('refuses staying in the same status, even forced', () => {
    expect(checkMove('processing', 'processing', {}, 'admin', { reason: 'again' })).toMatchObject({ ok: false, reason: 'same_status' });
  });
});

describe('civil-status results', () => {
  it.each([
    ['1.001193', null, 'birth'],
    ['1.000894', null, 'marriage'],
    ['1.000656', null, 'death'],
    ['LOCAL.1', 'Thủ tục đăng ký khai sinh lưu động', 'birth'],
    ['LOCAL.2', 'ĐĂNG KÝ KẾT HÔN có yếu tố nước ngoài', 'marriage'],
    ['LOCAL.3', 'Đăng ký lại khai tử', null],
    ['2.000635', 'Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh', null],
    ['1.004222', 'Chứng thực bản sao từ bản chính', null],
  ])('%s %s -> %s', (code, name, expected) => {
    expect(civilEventOf(code, name)).toBe(expected);
  });
});

describe('day register CSV', () => {
  const header = 'receipt_code;procedure_code;applicant_name;applicant_phone;channel;received_at;due_at';
  it('reads semicolon files and Vietnamese dates as Vietnam time', () => {
    const parsed = parseRegister(`\uFEFF${header}\nhs 01;1.001193;An;0912345678;Trực tuyến;01/11/2026 00:30;05/11/2026`);
    expect(parsed).toMatchObject({ ok: true, rows: [{ line: 2, receiptCode: 'HS01', fields: { channel: 'online', applicantPhone: '+84912345678' } }] });
    if (!parsed.ok) return;
    expect(parsed.rows[0]?.fields.receivedAt.toISOString()).toBe('2026-10-31T17:30:00.000Z');
    expect(parsed.rows[0]?.fields.dueAt.toISOString()).toBe('2026-11-04T17:00:00.000Z');
  });

  it('reports a short row and an empty file', () => {
    expect(parseRegister(`${header}\nHS02;1.001193`)).toMatchObject({
      ok: false,
      errors: expect.arrayContaining([{ line: 2, column: '', message: 'expected 7 cells, found 2' }]),
    });
    expect(parseRegister('')).toMatchObject({ ok: false });
    expect(parseRegister(header)).toMatchObject({ ok: false, errors: [{ line: 2 }] });
  });
});

describe('staff passwords', () => {
  it('verifies the right password only, with salted hashes that carry their parameters', async () => {
    const one = await hashPassword('mật khẩu đúng');
    const two = await hashPassword('mật khẩu đúng');
    expect(one).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(one).not.toBe(two);
    expect(await verifyPassword('mật khẩu đúng', one)).toBe(true);
    expect(await verifyPassword('mật khẩu sai', one)).toBe(false);
    expect(await verifyPassword('mật khẩu đúng', 'plain-text')).toBe(false);
  });
});
