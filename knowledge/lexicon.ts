import { z } from 'zod';
import stopwordsData from './data/stopwords.json';
import synonymsData from './data/synonyms.json';
import { foldVietnamese } from './normalize';
import { parseCount, vietnameseNumber } from './numbers';

/**
 * The words search knows about beyond the catalog: stop words of questions and everyday phrases
 * rewritten to the catalog's words. Both live in knowledge/data as JSON so they can be read and
 * extended without touching code.
 */
export interface Lexicon {
  /** Folded phrases (as token lists) that carry no meaning for search, by first token, longest first. */
  stopPhrases: Map<string, string[][]>;
  /** Folded phrase -> folded replacement tokens. */
  synonyms: Map<string, string[]>;
  /** The longest synonym phrase starting with each token, in tokens (to bound the lookup). */
  synonymLength: Map<string, number>;
  /** The lexicon's phrases as written (with accents), so search knows these accented words. */
  phrasesAsWritten: string[];
}

const stopwordsSchema = z.object({ phrases: z.array(z.string().min(1)) });
const synonymsSchema = z.object({ phrases: z.record(z.string().min(1), z.string().min(1)) });

const toTokens = (phrase: string) => foldVietnamese(phrase).split(' ').filter(Boolean);

/** Builds a lexicon from its JSON form (the shipped files, or a test's own). */
export function createLexicon(stopwords: unknown, synonyms: unknown): Lexicon {
  const stopList = stopwordsSchema.parse(stopwords).phrases;
  const synonymPairs = Object.entries(synonymsSchema.parse(synonyms).phrases);
  const stops = new Map<string, string[][]>();
  for (const phrase of stopList.map(toTokens)) {
    const first = phrase[0];
    if (first === undefined) continue;
    const list = stops.get(first) ?? [];
    list.push(phrase);
    list.sort((a, b) => b.length - a.length);
    stops.set(first, list);
  }
  const pairs = synonymPairs.map(([from, to]) => [toTokens(from).join(' '), toTokens(to)] as const);
  const synonymLength = new Map<string, number>();
  for (const [from] of pairs) {
    const words = from.split(' ');
    const first = words[0] ?? '';
    synonymLength.set(first, Math.max(synonymLength.get(first) ?? 0, words.length));
  }
  return { stopPhrases: stops, synonyms: new Map(pairs), synonymLength, phrasesAsWritten: [...stopList, ...synonymPairs.flat()] };
}

/** The lexicon shipped with the project. */
export const defaultLexicon: Lexicon = createLexicon(stopwordsData, synonymsData);

/** A token with a flag saying whether a synonym produced it (those are never stop words). */
interface Marked {
  token: string;
  kept: boolean;
}

/**
 * Rewrites synonyms (longest phrase first), drops stop phrases (longest first), then rewrites
 * once more, so "bố tôi mất" becomes "bố mất" and then "khai tử".
 *
 * @example applyLexicon(defaultLexicon, ['lam', 'so', 'do', 'o', 'dau']) // ['giay', 'chung', 'nhan', 'quyen', 'su', 'dung', 'dat']
 */
export function applyLexicon(lexicon: Lexicon, tokens: string[]): string[] {
  const once = dropStops(
    lexicon.stopPhrases,
    rewrite(
      lexicon,
      childAges(tokens).map((token) => ({ token, kept: false })),
    ),
  );
  return rewrite(lexicon, once).map((m) => m.token);
}

function rewrite(lexicon: Lexicon, tokens: Marked[]): Marked[] {
  const marked: Marked[] = [];
  for (let i = 0; i < tokens.length; ) {
    let matched = 0;
    const longest = lexicon.synonymLength.get(tokens[i]?.token ?? '') ?? 0;
    for (let n = Math.min(longest, tokens.length - i); n > 0 && !matched; n--) {
      const replacement = lexicon.synonyms.get(phraseOf(tokens, i, n) ?? '');
      if (replacement) {
        for (const token of replacement) marked.push({ token, kept: true });
        matched = n;
      }
    }
    if (matched) i += matched;
    else marked.push(tokens[i++] ?? { token: '', kept: false });
  }
  return marked;
}

/** The n tokens from i joined by spaces, or undefined when a synonym already produced one of them. */
function phraseOf(tokens: Marked[], i: number, n: number): string | undefined {
  let phrase = '';
  for (let k = i; k < i + n; k++) {
    const marked = tokens[k];
    if (!marked || marked.kept) return undefined;
    phrase = k === i ? marked.token : `${phrase} ${marked.token}`;
  }
  return phrase;
}

function dropStops(stops: Map<string, string[][]>, marked: Marked[]): Marked[] {
  const out: Marked[] = [];
  for (let i = 0; i < marked.length; ) {
    const here = marked[i];
    const phrase =
      here && !here.kept ? stops.get(here.token)?.find((p) => p.every((word, k) => !marked[i + k]?.kept && marked[i + k]?.token === word)) : undefined;
    if (phrase) i += phrase.length;
    else out.push(marked[i++] ?? { token: '', kept: false });
  }
  return out;
}

/** How an age is said after its number, folded: "6 tuổi", "3 tháng tuổi", "5 year old", "2 yo". */
const AGE_UNITS = [['thang', 'tuoi'], ['tuoi'], ['years', 'old'], ['year', 'old'], ['months', 'old'], ['month', 'old'], ['yo']];
/** Words before a number that make it a limit ("dưới 6 tuổi", "under 14 years old"), not someone's age. */
const AGE_LIMITS = new Set(['duoi', 'tu', 'du', 'tren', 'ngoai', 'qua', 'under', 'over', 'aged', 'from', 'below', 'above']);
/** The age under which the catalog speaks of a child ("trẻ em dưới 14 tuổi"). */
const CHILD_AGE = 14;

/**
 * A child's age becomes "trẻ em", the catalog's word for children: "căn cước cho con 6 tuổi" asks
 * about the card for children under 14, which a bare "6" would not say. A limit ("dưới 6 tuổi")
 * is left as it is, and so is an adult's age.
 *
 * @example childAges(['can', 'cuoc', 'cho', 'con', '6', 'tuoi']) // ['can', 'cuoc', 'cho', 'con', 'tre', 'em']
 */
function childAges(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const unit = AGE_UNITS.find((words) => words.every((word, k) => tokens[i + 1 + k] === word));
    const age = unit ? ageAt(tokens, i) : null;
    if (!unit || !age || age.value >= CHILD_AGE || AGE_LIMITS.has(out[out.length - age.length] ?? '')) {
      out.push(tokens[i] ?? '');
      continue;
    }
    out.splice(out.length - age.length + 1, age.length - 1);
    out.push('tre', 'em');
    i += unit.length;
  }
  return out;
}

/** The number that ends at token i (one word, or two Vietnamese words as in "mười hai"), and how many tokens it takes. */
function ageAt(tokens: string[], i: number): { value: number; length: number } | null {
  const two = i > 0 ? vietnameseNumber([tokens[i - 1] ?? '', tokens[i] ?? '']) : null;
  if (two !== null) return { value: two, length: 2 };
  const one = parseCount(tokens[i] ?? '');
  return one === null ? null : { value: one, length: 1 };
}
