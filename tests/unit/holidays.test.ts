import { describe, expect, it } from 'vitest';
import { holidayDate, upcomingHolidays } from '../../knowledge/holidays';
import { officeSchema } from '../../vocabulary/procedure';

const office = { name: 'Một cửa', address: 'Số 1', phone: '0200', openingHours: 'Thứ Hai – Thứ Sáu' };

describe('office holidays', () => {
  it('names the next days off from today, local time, soonest first', () => {
    const days = [
      { date: '2027-02-17', name: 'Tết' },
      { date: '2026-09-02', name: 'Quốc khánh' },
      { date: '2026-11-23', name: 'Hôm nay' },
      { date: '2027-01-01', name: 'Năm mới' },
    ];
    // 23:30 on 22/11 UTC is already 23/11 in Vietnam: today's day off counts.
    expect(upcomingHolidays(days, new Date('2026-11-22T17:30:00Z'), 2).map((d) => d.name)).toEqual(['Hôm nay', 'Năm mới']);
    expect(upcomingHolidays(days, new Date('2026-11-22T16:59:00Z'), 5).map((d) => d.name)).toEqual(['Hôm nay', 'Năm mới', 'Tết']);
    expect(upcomingHolidays(days, new Date('2027-03-01T00:00:00Z'), 3)).toEqual([]);
    expect(holidayDate('2026-09-02')).toBe('02/09/2026');
  });

  it('keeps days off valid: real dates, each once, at most 60, none by default', () => {
    expect(officeSchema.parse(office).holidays).toEqual([]);
    expect(officeSchema.safeParse({ ...office, holidays: [{ date: '2027-02-29', name: 'x' }] }).success).toBe(false);
    expect(officeSchema.safeParse({ ...office, holidays: [{ date: '2027-01-01', name: '' }] }).success).toBe(false);
    const twice = officeSchema.safeParse({
      ...office,
      holidays: [
        { date: '2027-01-01', name: 'a' },
        { date: '2027-01-01', name: 'b' },
      ],
    });
    expect(twice.error?.issues.map((i) => i.path.join('.'))).toEqual(['holidays']);
    const many = Array.from({ length: 61 }, (_, i) => ({ date: new Date(Date.UTC(2027, 0, 1 + i)).toISOString().slice(0, 10), name: 'Nghỉ' }));
    expect(officeSchema.safeParse({ ...office, holidays: many }).success).toBe(false);
    expect(officeSchema.safeParse({ ...office, holidays: many.slice(0, 60) }).success).toBe(true);
  });
});
