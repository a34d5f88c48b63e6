/**
 * Vietnamese text folding: lower case, diacritics removed (đ -> d), punctuation collapsed to
 * spaces. "Chứng thực bản sao?" and "chung thuc ban sao" fold to the same string, so citizens who
 * type without accents are understood. Composed (NFC) and decomposed (NFD) input fold alike.
 *
 * @example foldVietnamese('Đăng ký KHAI SINH!') // 'dang ky khai sinh'
 */
export function foldVietnamese(input: string): string {
  return input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}/]+/gu, ' ')
    .trim();
}

/**
 * A tone mark on the first vowel of an open oa, oe or uy ("hòa", "xóa", "thủy"): both placements
 * are taught and both are in the catalog ("hòa" and "hoà", "ủy" and "uỷ"), so the mark is moved
 * to the second vowel and the two spellings are one word. Matched on the decomposed (NFD) text,
 * where vowel, mark and vowel are one UTF-16 unit each.
 */
const TONE_ON_FIRST_VOWEL = /(?:o[\u0300\u0301\u0303\u0309\u0323][ae]|u[\u0300\u0301\u0303\u0309\u0323]y)(?!\p{L})/gu;

/**
 * Lower case with the diacritics kept (NFC), punctuation collapsed to spaces, one placement of
 * the tone mark: the accented form used to prefer "bán" (sell) over "bản" (copy) when the
 * citizen typed the accents.
 *
 * @example lowerVietnamese('Bản  SAO, chứng thực') // 'bản sao chứng thực'
 * @example lowerVietnamese('Hòa giải') === lowerVietnamese('hoà giải') // true
 */
export function lowerVietnamese(input: string): string {
  return input
    .normalize('NFD')
    .toLowerCase()
    .replace(TONE_ON_FIRST_VOWEL, ([first, mark, second]) => `${first}${second}${mark}`)
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}/]+/gu, ' ')
    .trim();
}

/** The longest question we read; a citizen's question is a line, not a letter. */
export const MAX_QUERY_LENGTH = 200;

/**
 * Makes untrusted text safe to analyse: NFC, control and zero-width characters turned into
 * spaces, runs of spaces collapsed, cut to `max` characters (without splitting a surrogate pair).
 *
 * @example cleanText('khai\u0000sinh\u200b ') // 'khai sinh'
 */
export function cleanText(input: string, max = MAX_QUERY_LENGTH): string {
  const cleaned = input
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\uFFFD]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // A string no longer than `max` UTF-16 units has no more than `max` characters: nothing to cut.
  if (cleaned.length <= max) return cleaned;
  return Array.from(cleaned).slice(0, max).join('').trim();
}

/** True when the text has at least one letter or digit (not only emoji, symbols or spaces). */
export function hasWords(input: string): boolean {
  return /[\p{L}\p{N}]/u.test(input);
}
