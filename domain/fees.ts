import { z } from 'zod';

/**
 * The fee for one certified copy (chứng thực bản sao từ bản chính), per page in tiers, with a cap
 * per copy. Kept as configuration (CERTIFY_FEE_TABLE) because the Ministry of Finance sets it and
 * it changes by circular, not by release.
 */
export const feeTableSchema = z
  .object({
    /** From page `fromPage` on, each page costs `perPage` VND (until the next tier starts). */
    tiers: z
      .array(
        z.object({
          fromPage: z.number().int('fromPage: expected a whole number').min(1, 'fromPage: expected 1 or more'),
          perPage: z.number().int('perPage: expected whole VND').min(0, 'perPage: expected 0 or more'),
        }),
      )
      .min(1, 'tiers: expected at least one tier'),
    /** The most one copy may cost, VND; null for no cap. */
    maxPerCopy: z.number().int('maxPerCopy: expected whole VND').positive('maxPerCopy: expected a positive amount').nullable(),
  })
  .refine((t) => t.tiers[0]?.fromPage === 1, { message: 'tiers: the first tier must start at page 1' })
  .refine((t) => t.tiers.every((tier, i) => i === 0 || tier.fromPage > (t.tiers[i - 1]?.fromPage ?? 0)), {
    message: 'tiers: fromPage must increase from one tier to the next',
  });

export type FeeTable = z.infer<typeof feeTableSchema>;

/**
 * The national table (Thông tư 226/2016/TT-BTC, still in force): 2,000 VND per page for pages 1-2,
 * 1,000 VND per page from page 3, at most 200,000 VND per copy.
 */
export const NATIONAL_COPY_FEES: FeeTable = {
  tiers: [
    { fromPage: 1, perPage: 2_000 },
    { fromPage: 3, perPage: 1_000 },
  ],
  maxPerCopy: 200_000,
};

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
