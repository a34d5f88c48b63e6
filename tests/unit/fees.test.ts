import { describe, expect, it } from 'vitest';
import { copyFee, formatVnd, itemFee } from '../../domain/certification/fees';
import { feeTableSchema, NATIONAL_COPY_FEES } from '../../vocabulary/settings';

describe('certified copy fee (national table)', () => {
  it.each([
    [1, 2_000],
    [2, 4_000],
    [3, 5_000],
    [4, 6_000],
    [197, 199_000],
    [198, 200_000],
    [199, 200_000],
    [1_000, 200_000],
  ])('charges %i page(s) %i VND per copy', (pages, fee) => {
    expect(copyFee(pages, NATIONAL_COPY_FEES)).toBe(fee);
  });

  it('multiplies by the number of copies after the per-copy cap', () => {
    expect(itemFee(3, 2, NATIONAL_COPY_FEES)).toBe(10_000);
    expect(itemFee(500, 3, NATIONAL_COPY_FEES)).toBe(600_000);
  });

  it.each([0, -1, 1.5])('refuses %s pages', (pages) => {
    expect(() => copyFee(pages, NATIONAL_COPY_FEES)).toThrow(RangeError);
  });

  it('follows a configured table with three tiers and no cap', () => {
    const table = feeTableSchema.parse({
      tiers: [
        { fromPage: 1, perPage: 3_000 },
        { fromPage: 3, perPage: 1_500 },
        { fromPage: 10, perPage: 500 },
      ],
      maxPerCopy: null,
    });
    expect(copyFee(2, table)).toBe(6_000);
    expect(copyFee(9, table)).toBe(6_000 + 7 * 1_500);
    expect(copyFee(11, table)).toBe(6_000 + 7 * 1_500 + 2 * 500);
  });

  it.each([
    [{ tiers: [{ fromPage: 2, perPage: 1 }], maxPerCopy: null }, 'start at page 1'],
    [{ tiers: [], maxPerCopy: 5 }, 'at least one tier'],
    [
      {
        tiers: [
          { fromPage: 1, perPage: 1 },
          { fromPage: 1, perPage: 2 },
        ],
        maxPerCopy: null,
      },
      'must increase',
    ],
  ])('rejects a malformed table with a clear message (%#)', (table, message) => {
    const parsed = feeTableSchema.safeParse(table);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message).join('; ')).toContain(message);
  });

  it('writes amounts the Vietnamese way', () => {
    expect(formatVnd(12_500)).toBe('12.500 ₫');
  });
});
