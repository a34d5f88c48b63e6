import { describe, expect, it } from 'vitest';
import { durationText } from '../../bot/flows/fact-text';
import { loadDefaultCatalog } from '../../knowledge/default-catalog';
import { feeFact, resultWithinADay, timeFact } from '../../knowledge/facts';
import { formatMoney } from '../../knowledge/money';
import { sameDayFor } from '../../knowledge/same-day';
import { localTime } from '../../lib/vn-time';
import type { Procedure, SameDayRule } from '../../vocabulary/procedure';

const catalog = loadDefaultCatalog();
const byCode = (code: string) => catalog.find((p) => p.code === code) as Procedure;

describe('money', () => {
  it.each([
    ['50,000 Việt Nam Đồng', '50.000 đồng', '50,000 VND'],
    ['50.000 đồng', '50.000 đồng', '50,000 VND'],
    ['400.000đ', '400.000 đồng', '400,000 VND'],
    ['8,000 VNĐ', '8.000 đồng', '8,000 VND'],
    ['100.000 VNĐ/bản', '100.000 đồng/bản', '100,000 VND/bản'],
    ['1500000 đồng / trường hợp', '1.500.000 đồng/trường hợp', '1,500,000 VND/trường hợp'],
    ['10 USD', '10 USD', '10 USD'],
    ['10 USD/bản', '10 USD/bản', '10 USD/bản'],
  ])('prints %s as %s (vi) and %s (en)', (source, vi, en) => {
    expect(formatMoney(source, 'vi')).toBe(vi);
    expect(formatMoney(source, 'en')).toBe(en);
  });

  it('passes unknown shapes through unchanged', () => {
    for (const text of ['Miễn phí', 'Không có thông tin', 'Theo quy định của HĐND tỉnh', '2 triệu đồng', '']) expect(formatMoney(text, 'vi')).toBe(text);
  });
});

describe('fee qualifiers', () => {
  const qualifier = (code: string) => {
    const fee = feeFact(byCode(code));
    return fee.kind === 'known' ? fee.qualifier : fee.kind;
  };

  it('marks a "Miễn phí" whose note says the provincial People\'s Council sets the fee', () => {
    for (const code of ['1.013225', '1.013229', '1.000689', '2.000720', '1.001570']) expect(qualifier(code), code).toBe('province_sets');
  });

  it('keeps a stated amount with an HĐND note as a reference amount', () => {
    const fee = feeFact(byCode('1.001612'));
    expect(fee.kind === 'known' && fee.qualifier).toBe('province_sets');
    expect(fee.kind === 'known' && fee.lines.map((l) => l.amount)).toEqual([
      { kind: 'amount', text: '150,000 Việt Nam Đồng', per: '' },
      { kind: 'amount', text: '50,000 VNĐ', per: '' },
    ]);
  });

  it('marks fees "according to the law on fees" and unclear exemptions', () => {
    expect(qualifier('1.013978')).toBe('fee_law');
    expect(qualifier('1.004845')).toBe('unclear');
  });

  it('leaves plain free procedures free', () => {
    for (const code of ['1.001193', '1.000894', '1.013979']) expect(qualifier(code), code).toBe('none');
  });

  it('never takes a fee paid abroad for the counter fee', () => {
    const fee = feeFact(byCode('2.000815'));
    if (fee.kind !== 'known') throw new Error('expected a fee');
    expect(fee.abroad).toEqual(['10 USD/bản']);
    expect(fee.lines).toEqual([{ channels: ['Trực tiếp'], amount: { kind: 'amount', text: '2,000 Việt Nam Đồng', per: '/trang' } }]);
  });

  it('keeps a temporary reduction with its dates', () => {
    const fee = feeFact(byCode('1.014064'));
    if (fee.kind !== 'known') throw new Error('expected a fee');
    expect(fee.reduced).toBe(true);
    expect(fee.notes.join('\n')).toContain('đến hết ngày 31/12/2026');
  });

  it('gives fees per channel where channels differ', () => {
    const fee = feeFact(byCode('1.004194'));
    expect(fee.kind === 'known' && fee.lines).toEqual([
      { channels: ['Trực tuyến'], amount: { kind: 'amount', text: '7,000 Việt Nam Đồng', per: '' } },
      { channels: ['Trực tiếp'], amount: { kind: 'amount', text: '10,000 Việt Nam Đồng', per: '' } },
    ]);
  });

  it('asks the office where the source states no fee', () => {
    expect(feeFact(byCode('1.001776'))).toEqual({ kind: 'ask_office' });
    expect(feeFact(byCode('1.003197'))).toEqual({ kind: 'ask_office' });
  });
});

describe('processing time', () => {
  it('never completes a number without its unit, but reads the time the steps state', () => {
    expect(timeFact(byCode('1.000894'))).toEqual({ lines: [], byCase: false });
    const birth = timeFact(byCode('1.001193'));
    expect(birth.lines).toEqual([]);
    expect(birth.steps?.vi).toBe('Nhận hồ sơ trước 15 giờ: trả kết quả trong ngày');
    expect(birth.steps?.quote).toContain('nếu tiếp nhận hồ sơ sau 15 giờ');
  });

  it('has a steps time for the procedures whose steps say a dossier before 15:00 is done the same day', () => {
    const withSteps = catalog.filter((p) => p.stepsTime).map((p) => p.code);
    expect(withSteps.sort()).toEqual(['1.000110', '1.000656', '1.001193', '1.001766', '1.011441', '2.000528', '2.000547', '2.000635']);
  });

  it('reads durations in each language', () => {
    expect(durationText('5 Ngày làm việc', 'vi')).toBe('5 ngày làm việc');
    expect(durationText('1 Ngày làm việc', 'en')).toBe('1 working day');
    expect(durationText('20 Ngày', 'en')).toBe('20 days');
    expect(durationText('1 Giờ', 'en')).toBe('1 hour');
    expect(durationText('Không có thông tin', 'en')).toBe('Không có thông tin');
  });
});

describe('same-day days', () => {
  const rules: SameDayRule[] = [
    { weekday: 1, label: 'Ngày không hẹn', groups: ['Hộ tịch', 'Chứng thực', 'Đất đai'], cutoff: '16:00' },
    { weekday: 5, label: 'Ngày thứ 6 xanh', groups: ['Xây dựng / nhà ở', 'Hộ kinh doanh'], cutoff: '16:00' },
  ];
  const monday = localTime(2026, 11, 23, 9, 0);

  it('applies where the time or the steps allow a result within a day', () => {
    expect(resultWithinADay(byCode('1.001193'))).toBe(true);
    expect(resultWithinADay(byCode('2.000908'))).toBe(true);
    expect(sameDayFor(rules, byCode('1.001193'), monday)?.today).toBe(true);
    expect(sameDayFor(rules, byCode('2.000908'), monday)?.label).toBe('Ngày không hẹn');
  });

  it('never applies to procedures that take days, or whose time is unknown', () => {
    for (const code of ['1.013978', '1.012784', '1.013225', '1.013229', '1.000894', '1.001612', '2.000815']) {
      expect(resultWithinADay(byCode(code)), code).toBe(false);
      expect(sameDayFor(rules, byCode(code), monday), code).toBeNull();
    }
    // Every other procedure it applies to takes at most a day, or its steps say it is done the same day.
    for (const p of catalog.filter((x) => resultWithinADay(x) && !x.stepsTime?.sameDay))
      for (const line of timeFact(p).lines) expect(line.time, p.code).toMatch(/^1 (Ngày|Giờ)/);
  });
});
