import { describe, expect, it } from 'vitest';
import { officeFromLink, officeLink, officePayload, procedureFromLink, procedureLink, procedurePayload } from '../../knowledge/deep-link';
import { loadDefaultCatalog } from '../../knowledge/default-catalog';
import { documentsToBring, feeFact, timeFact } from '../../knowledge/facts';
import { nextSameDay } from '../../knowledge/same-day';
import { parseProceduresCsv, parseProceduresJson, proceduresToCsv } from '../../knowledge/transfer';
import { formatLocalDate, localTime } from '../../lib/vn-time';
import type { Procedure, SameDayRule } from '../../vocabulary/procedure';

const catalog = loadDefaultCatalog();
const byCode = (code: string): Procedure => {
  const found = catalog.find((p) => p.code === code);
  if (!found) throw new Error(`no ${code} in the shipped catalog`);
  return found;
};

describe('same-day days (Ngày không hẹn, Ngày thứ 6 xanh)', () => {
  const rules: SameDayRule[] = [
    { weekday: 1, label: 'Ngày không hẹn', groups: ['Hộ tịch'], cutoff: '16:00' },
    { weekday: 5, label: 'Ngày thứ 6 xanh', groups: ['Hộ kinh doanh'], cutoff: '16:00' },
  ];

  it('says "today" on the weekday before the cut-off, in Vietnam time', () => {
    // Monday 23 Nov 2026, 09:00 in Hà Nội is 02:00 UTC.
    const day = nextSameDay(rules, 'Hộ tịch', localTime(2026, 11, 23, 9, 0));
    expect(day).toMatchObject({ label: 'Ngày không hẹn', today: true });
  });

  it('counts the Vietnamese weekday, not the UTC one', () => {
    // Sunday 22 Nov 2026 20:00 UTC is already Monday 03:00 in Vietnam.
    expect(nextSameDay(rules, 'Hộ tịch', new Date('2026-11-22T20:00:00Z'))?.today).toBe(true);
    // Monday 23 Nov 2026 18:00 UTC is Tuesday 01:00 in Vietnam: next Monday.
    const late = nextSameDay(rules, 'Hộ tịch', new Date('2026-11-23T18:00:00Z'));
    expect(late?.today).toBe(false);
    expect(formatLocalDate(late?.date ?? new Date(0))).toBe('30/11/2026');
  });

  it('points to the next week once the cut-off has passed', () => {
    const day = nextSameDay(rules, 'Hộ tịch', localTime(2026, 11, 23, 16, 0));
    expect(day?.today).toBe(false);
    expect(formatLocalDate(day?.date ?? new Date(0))).toBe('30/11/2026');
  });

  it.each([
    [21, '23/11/2026'],
    [22, '23/11/2026'],
    [24, '30/11/2026'],
    [27, '30/11/2026'],
  ])('on %i Nov the next Monday is %s', (day, expected) => {
    const next = nextSameDay(rules, 'Hộ tịch', localTime(2026, 11, day, 10, 0));
    expect(formatLocalDate(next?.date ?? new Date(0))).toBe(expected);
  });

  it('uses the Friday rule for its own groups and none for groups without a day', () => {
    const friday = nextSameDay(rules, 'Hộ kinh doanh', localTime(2026, 11, 23, 10, 0));
    expect(friday).toMatchObject({ label: 'Ngày thứ 6 xanh', today: false });
    expect(formatLocalDate(friday?.date ?? new Date(0))).toBe('27/11/2026');
    expect(nextSameDay(rules, 'Cư trú', localTime(2026, 11, 23, 10, 0))).toBeNull();
  });
});

describe('deep links', () => {
  it('encodes the dots of a code for Telegram and reads both forms back', () => {
    expect(procedurePayload('1.001193')).toBe('p_1-001193');
    expect(procedurePayload('1.001193')).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    const codeFromLink = (rest: string) => procedureFromLink(rest).code;
    expect(codeFromLink('1-001193')).toBe('1.001193');
    expect(codeFromLink('1.001193')).toBe('1.001193');
    expect(codeFromLink('1-001193-H19')).toBe('1.001193.H19');
    for (const bad of ['', 'abc', '1.00119', '../etc', '1.001193;drop']) expect(codeFromLink(bad)).toBeNull();
  });

  it('opens the Telegram bot when its username is known, else the web chat', () => {
    expect(procedureLink('1.001193', { publicUrl: 'https://mc.example', telegramUsername: 'MotCuaBot' })).toBe('https://t.me/MotCuaBot?start=p_1-001193');
    expect(procedureLink('1.001193', { publicUrl: 'https://mc.example' })).toBe('https://mc.example/?p=1.001193');
  });

  it("carries an office's code within Telegram's 64 characters of A-Z a-z 0-9 _ -, by its id when the code is too long", () => {
    const short = { id: 7, code: 'phuong-ben-nghe' };
    const long = { id: 12, code: `ubnd-${'x'.repeat(59)}` };
    const payloads = [procedurePayload('1.001193', short), procedurePayload('1.001193.H19ABCDE', long), officePayload(short), officePayload(long)];
    expect(payloads).toEqual(['p_1-001193_phuong-ben-nghe', 'p_1-001193-H19ABCDE_O12', 'o_phuong-ben-nghe', 'o_O12']);
    for (const payload of payloads) expect(payload).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    expect(procedureFromLink('1-001193_phuong-ben-nghe')).toEqual({ code: '1.001193', office: 'phuong-ben-nghe' });
    expect(officeFromLink('phuong-ben-nghe')).toEqual({ code: 'phuong-ben-nghe' });
    expect(officeFromLink('O12')).toEqual({ id: 12 });
    for (const bad of ['', 'Phuong', 'O0', 'o_x', '../etc']) expect(officeFromLink(bad)).toBeNull();
    expect(procedureLink('1.001193', { publicUrl: 'https://mc.example' }, short)).toBe('https://mc.example/?start=p_1-001193_phuong-ben-nghe');
    expect(officeLink(short, { publicUrl: 'https://mc.example', telegramUsername: 'MotCuaBot' })).toBe('https://t.me/MotCuaBot?start=o_phuong-ben-nghe');
  });
});

describe('facts shown on cards', () => {
  it('never completes a time the source gave without its unit', () => {
    expect(timeFact(byCode('1.000894'))).toEqual({ lines: [], byCase: false });
  });

  it('asks the office for fees and times the source does not state', () => {
    const unsourced = byCode('1.001776');
    expect(feeFact(unsourced)).toEqual({ kind: 'ask_office' });
    expect(timeFact(unsourced).lines).toEqual([]);
    expect(timeFact(byCode('2.000815')).lines).toEqual([]);
    expect(feeFact(byCode('1.003197'))).toEqual({ kind: 'ask_office' });
  });

  it('gives fees per channel where channels differ', () => {
    const fee = feeFact(byCode('1.004194'));
    expect(fee.kind).toBe('known');
    if (fee.kind === 'known')
      expect(fee.lines.map((l) => `${l.channels.join(', ')}: ${l.amount.kind === 'amount' ? l.amount.text : l.amount.kind}`)).toEqual([
        'Trực tuyến: 7,000 Việt Nam Đồng',
        'Trực tiếp: 10,000 Việt Nam Đồng',
      ]);
  });

  it('lists papers to bring without the notes mixed into the source, keeping papers needed only in some cases', () => {
    const docs = documentsToBring(byCode('1.001193'));
    expect(docs.some((d) => d.text.startsWith('Tờ khai đăng ký khai sinh'))).toBe(true);
    expect(docs.some((d) => d.text.startsWith('Trường hợp trẻ em bị bỏ rơi thì phải có biên bản'))).toBe(true);
    expect(docs.some((d) => /^Lưu ý|^Trường hợp người yêu cầu đã nộp bản điện tử/.test(d.text) || d.group === 'Lưu ý')).toBe(false);
    for (const p of catalog) for (const d of documentsToBring(p)) expect(d.quantity ?? '', p.code).not.toMatch(/^0 bản/);
  });
});

describe('catalog import and export', () => {
  const sample = catalog.slice(0, 5);

  it('round-trips CSV and JSON', () => {
    const csv = parseProceduresCsv(proceduresToCsv(sample));
    expect(csv).toEqual({ ok: true, value: sample });
    expect(parseProceduresJson(JSON.parse(JSON.stringify(sample)))).toEqual({ ok: true, value: sample });
  });

  it('lists every bad record and field, not just the first', () => {
    const bad = [
      { ...sample[0], code: 'abc' },
      sample[1],
      { ...sample[2], feeStatus: 'maybe', onlineUrl: 'not a url' },
      { ...sample[3], code: sample[1]?.code },
    ];
    const result = parseProceduresJson(bad);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => `${p.row}:${p.field}`).sort()).toEqual(['1:code', '3:feeStatus', '3:onlineUrl', '4:code']);
  });

  it('names the CSV cells that do not parse', () => {
    const lines = proceduresToCsv(sample.slice(0, 2)).split('\n');
    const broken = [lines[0], lines[1]?.replace('"[{""name""', '"[{oops'), lines[2]].join('\n');
    const result = parseProceduresCsv(`${broken}\n`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems).toContainEqual(expect.objectContaining({ row: 1, field: 'documents' }));
    const missing = parseProceduresCsv('code,name\n1.001193,Khai sinh\n');
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.problems.map((p) => p.field)).toEqual(expect.arrayContaining(['group', 'feeStatus', 'source']));
  });

  it('rejects something that is not a list, and an empty list', () => {
    expect(parseProceduresJson({ code: '1.001193' }).ok).toBe(false);
    expect(parseProceduresJson([]).ok).toBe(false);
    expect(parseProceduresCsv('"unterminated').ok).toBe(false);
  });
});
