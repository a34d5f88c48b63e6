import type { FeeTable } from '../../vocabulary/settings';

/**
 * The fee for one copy of a document of `pages` pages (VND).
 *
 * @example copyFee(3, NATIONAL_COPY_FEES) // 5_000 (2,000 + 2,000 + 1,000)
 */
export function copyFee(pages: number, table: FeeTable): number {
  if (!Number.isInteger(pages) || pages < 1) throw new RangeError(`pages must be a positive whole number, got ${pages}`);
  let total = 0;
  table.tiers.forEach((tier, i) => {
    const next = table.tiers[i + 1]?.fromPage ?? Number.POSITIVE_INFINITY;
    const inTier = Math.max(0, Math.min(pages, next - 1) - tier.fromPage + 1);
    total += inTier * tier.perPage;
  });
  return table.maxPerCopy === null ? total : Math.min(total, table.maxPerCopy);
}

/** The fee for `copies` copies of a `pages`-page document. */
export const itemFee = (pages: number, copies: number, table: FeeTable): number => copyFee(pages, table) * copies;

/** 12500 -> "12.500 ₫", the way Vietnamese receipts write amounts. */
export const formatVnd = (amount: number): string => `${amount.toLocaleString('vi-VN')} ₫`;
