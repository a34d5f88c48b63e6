import { foldVietnamese } from './normalize';

/**
 * Number words as citizens type them, folded (no diacritics): Vietnamese one to nine with their
 * spoken variants ("tư" for 4 and "lăm" for 5 after a ten, "mốt" for 1 after a ten from twenty,
 * "bẩy"), and English one to twenty for the English chat.
 */
const UNITS: Record<string, number> = {
  mot: 1,
  hai: 2,
  ba: 3,
  bon: 4,
  tu: 4,
  nam: 5,
  lam: 5,
  sau: 6,
  bay: 7,
  bey: 7,
  tam: 8,
  chin: 9,
};
const ENGLISH = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
const ENGLISH_TEENS = ['eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty'];
const ENGLISH_WORDS = new Map([...ENGLISH, ...ENGLISH_TEENS].map((word, i) => [word, i + 1]));

/**
 * A whole number written in folded Vietnamese words, 1 to 99: "ba" 3, "muoi" 10, "muoi lam" 15,
 * "hai muoi" 20, "hai muoi mot" 21, "hai muoi tu" 24 ("mươi" folds like "mười"). Null when the
 * words are not exactly one number.
 */
export function vietnameseNumber(words: readonly string[]): number | null {
  const [first, second, third, ...rest] = words;
  if (first === undefined || rest.length > 0) return null;
  const unit = (word: string | undefined) => (word === undefined ? undefined : UNITS[word]);
  if (first === 'muoi') {
    // mười, mười một ... mười chín ("mười lăm", "mười tư" and "mười năm" are all typed).
    if (second === undefined) return 10;
    const ones = unit(second);
    return third === undefined && ones !== undefined ? 10 + ones : null;
  }
  // "tư" and "lăm" only follow a ten.
  const tens = first === 'tu' || first === 'lam' ? undefined : unit(first);
  if (tens === undefined) return null;
  if (second === undefined) return tens;
  if (second !== 'muoi' || tens < 2) return null;
  if (third === undefined) return tens * 10;
  const ones = unit(third);
  return ones === undefined ? null : tens * 10 + ones;
}

/** Words around a count that say nothing about it: units ("bản", "bộ"), and "tôi cần", "xin". */
const COUNT_FILLER = new Set([
  'ban',
  'bo',
  'to',
  'cai',
  'sao',
  'copy',
  'copies',
  'toi',
  'em',
  'minh',
  'can',
  'lay',
  'xin',
  'cho',
  'la',
  'i',
  'want',
  'need',
  'please',
]);

/**
 * How many of something the citizen asked for, in what they typed: "3", "3 bản", "3 ban",
 * "ba bản", "2 bộ", "x3", "3x", "×3", "mười lăm bản", "lấy 2 bản", "three copies". Null when the
 * text is not one whole number (with such words around it) or the number is 0; any range check
 * is the caller's.
 *
 * @example parseCount('ba bản') // 3
 * @example parseCount('x3') // 3
 * @example parseCount('3 hoặc 4') // null
 */
export function parseCount(text: string): number | null {
  // A sign or a fraction is not a count, though folding would turn "-3" and "3,5" into words.
  if (/-\s*\d|\d\s*[.,]\s*\d/.test(text)) return null;
  const spaced = text
    .normalize('NFC')
    .replace(/(\d)(?=\p{L})/gu, '$1 ')
    .replace(/[×*]/g, ' x ')
    .replace(/(\d)\s*x\b/gi, '$1 ')
    .replace(/\bx\s*(\d)/gi, ' $1');
  const words = foldVietnamese(spaced)
    .split(' ')
    .filter((word) => word !== '' && !COUNT_FILLER.has(word));
  if (words.length === 0) return null;
  const [only] = words;
  const count =
    words.length === 1 && only !== undefined && /^\d{1,3}$/.test(only)
      ? Number(only)
      : words.length === 1 && only !== undefined && ENGLISH_WORDS.has(only)
        ? (ENGLISH_WORDS.get(only) ?? null)
        : vietnameseNumber(words);
  return count !== null && count > 0 ? count : null;
}
