import type { Locale } from '../vocabulary/locales';
import english from './data/english.json';
import { foldVietnamese } from './normalize';

/*
 * Which language a citizen wrote in, so an English question gets an English answer without
 * asking for /lang first. Vietnamese typed without accents looks like English to a letter count,
 * so the test is the shape of the words instead: every Vietnamese syllable, accents removed, is
 * an onset, a vowel group and one of eight endings ("nguoi", "khuyen", "dang"), while most English
 * words are not ("how", "cost", "register"). A chat only changes language on clear evidence: a
 * Vietnamese citizen who types "ok bye" or "lam passport online" stays in Vietnamese.
 */

const SYLLABLE =
  /^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?(?:uye|uya|uyu|uoi|uou|ieu|yeu|oai|oay|oao|oeo|uai|uay|uau|ueu|ai|ao|au|ay|eo|eu|ia|ie|iu|oa|oe|oi|oo|ua|ue|ui|uo|uu|uy|ye|[aeiouy])(?:ch|ng|nh|[cmnpt])?$/;

const COMMON = new Set(english.common);
const NEUTRAL = new Set(english.neutral);
/** Accented Vietnamese letters (and đ): a word carrying one is Vietnamese whatever its shape. */
const VIETNAMESE_LETTER = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/i;

/** Clearly English words a message needs before its chat answers in English. */
const ENGLISH_WORDS = 2;

export interface LanguageEvidence {
  /** Words only English spells ("register", "cost", "where"). */
  english: number;
  /** Common English words that could also be unaccented Vietnamese ("can", "to", "my"). */
  either: number;
  /** Words only Vietnamese spells: accented, or a syllable no English list holds ("lam", "nguoi"). */
  vietnamese: number;
}

/** Counts the message's words by the language they can belong to; abbreviations and loanwords count for neither. */
export function languageEvidence(text: string): LanguageEvidence {
  const evidence: LanguageEvidence = { english: 0, either: 0, vietnamese: 0 };
  for (const raw of text
    .normalize('NFC')
    .toLowerCase()
    .split(/[^\p{L}']+/u)) {
    const word = raw.replace(/'/g, '');
    if (!word) continue;
    if (VIETNAMESE_LETTER.test(word)) {
      evidence.vietnamese++;
      continue;
    }
    const folded = foldVietnamese(word);
    // "cccd", "ubnd", "dc": abbreviations have no vowel and say nothing about the language.
    if (NEUTRAL.has(folded) || !/[aeiouy]/.test(folded)) continue;
    if (!SYLLABLE.test(folded)) evidence.english++;
    else if (COMMON.has(folded)) evidence.either++;
    else evidence.vietnamese++;
  }
  return evidence;
}

/**
 * The language a message is clearly written in, or null when it could be either (short talk,
 * names, a mix). English needs two words only English spells ("building permit") and at most one
 * Vietnamese-only word for every three English ones ("can I register my marriage in Ha Noi?" is
 * English, "dangg kyy khai sinh" is not); Vietnamese
 * needs two accented words, or three unaccented syllables and no English word.
 *
 * @example spokenLanguage('How much does it cost?') // 'en'
 * @example spokenLanguage('le phi bao nhieu') // 'vi'
 * @example spokenLanguage('ok bye') // null
 */
export function spokenLanguage(text: string): Locale | null {
  const { english, either, vietnamese } = languageEvidence(text);
  if (english >= ENGLISH_WORDS && vietnamese * 3 <= english + either) return 'en';
  const accented = text
    .normalize('NFC')
    .split(/\s+/)
    .filter((word) => VIETNAMESE_LETTER.test(word)).length;
  if (accented >= 2 || (vietnamese >= 3 && english === 0)) return 'vi';
  return null;
}
