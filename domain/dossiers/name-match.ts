import { type SQL, sql } from 'drizzle-orm';
import { foldedText } from '../../db/folded-text';
import { dossiers } from '../../db/schema';

/** Enough words for any Vietnamese name; more would only slow the query. */
const MAX_WORDS = 6;

/**
 * Dossiers whose applicant's name has every typed word, or a word starting with it, accents and
 * case aside: "lan", "Nguyen Lan" and "nguyễn thị" all find "Nguyễn Thị Lan". Served by the GIN
 * index on the folded name. Null when the text has no word to look for.
 *
 * @example applicantNameMatches('Thị lan') // words "thi:* & lan:*" against dossiers_applicant_name_words
 */
export function applicantNameMatches(text: string): SQL | null {
  // Letters with their (decomposed) marks and digits only: nothing that to_tsquery reads as an operator.
  const words = (text.normalize('NFC').match(/[\p{L}\p{M}\p{N}]+/gu) ?? [])
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .slice(0, MAX_WORDS)
    .map((w) => w.slice(0, 40));
  if (words.length === 0) return null;
  const query = words.map((w) => `${w}:*`).join(' & ');
  return sql`to_tsvector('simple', ${dossiers.applicantNameFolded}) @@ to_tsquery('simple', ${foldedText(sql`${query}`)})`;
}
