import { z } from 'zod';
import referralsData from './data/referrals.json';
import type { SearchableProcedure } from './search';

/**
 * A service the commune office does not handle, and where to go instead (knowledge/data/referrals.json,
 * converted from the curated shared table by scripts/referrals-from-shared.ts). Every row keeps
 * its sources; `confirmed: false` rows are the table's UNCONFIRMED ones and are answered as such.
 */
export const referralSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z_]+$/, 'expected a lower-case id'),
    topic: z.string().min(3),
    topicEn: z.string().min(3),
    /** How citizens ask about it (the source's phrasings and our own everyday words). */
    keywords: z.array(z.string().min(1)).min(1),
    authority: z.string().min(3),
    authorityEn: z.string().min(3),
    /** The online channel as the source writes it (Vietnamese), empty when it names none. */
    online: z.string(),
    /** The first portal the online channel names. */
    portal: z.url().nullable(),
    /** 'partly': a piece of it is done in the commune (the commune police, the commune's military command, or a procedure of the catalog: the row's authority says which), the rest elsewhere. */
    handledAtCommune: z.enum(['no', 'partly']),
    confirmed: z.boolean(),
    note: z.string(),
    sources: z.array(z.strictObject({ url: z.url(), title: z.string().min(1), date: z.string() })),
  })
  // A row nobody could source is kept only as unconfirmed: the citizen hears it is not certain.
  .refine((r) => r.sources.length > 0 || !r.confirmed, { path: ['sources'], message: 'a confirmed referral needs at least one source' });
export type Referral = z.infer<typeof referralSchema>;

/** The referral table as documents for the procedure search (knowledge/search.ts `referrals`). */
export interface ReferralTable {
  /** Indexed beside the procedures, so one scale says which explains a question better. */
  documents: readonly SearchableProcedure[];
  get(id: string): Referral | undefined;
  list(): readonly Referral[];
}

/** A referral table over the given rows. */
export function createReferralTable(referrals: readonly Referral[]): ReferralTable {
  const byId = new Map(referrals.map((r) => [r.id, r]));
  const documents = referrals.map((r) => ({ code: r.id, name: r.topic, nameEn: r.topicEn, keywords: r.keywords, group: '' }));
  return { documents, get: (id) => byId.get(id), list: () => referrals };
}

let shipped: ReferralTable | undefined;

/** The shipped referral table (knowledge/data/referrals.json), parsed on first use and kept. */
export function defaultReferrals(): ReferralTable {
  shipped ??= createReferralTable(z.array(referralSchema).parse(referralsData));
  return shipped;
}
