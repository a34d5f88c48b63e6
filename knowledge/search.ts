import Fuse from 'fuse.js';
import { applyLexicon, defaultLexicon, type Lexicon } from './lexicon';
import { cleanText, foldVietnamese, lowerVietnamese } from './normalize';

/** What search needs of a procedure (a catalog entry has all of it). */
export interface SearchableProcedure {
  code: string;
  name: string;
  nameEn?: string | undefined;
  keywords?: readonly string[] | undefined;
  group: string;
  field?: string | undefined;
  common?: boolean | undefined;
}

export interface SearchHit {
  code: string;
  name: string;
  /** 0..1, higher is better: how much of the question the procedure explains, and how closely. */
  score: number;
  /**
   * 0..1: how much of the procedure's best-matched name or keyword the question holds, whatever
   * else it says (the score falls with every word of context a long message adds; this does not).
   */
  closeness: number;
}

/** One confident answer, a few close ones to choose from, or nothing good enough. */
export type SearchDecision = 'one' | 'several' | 'none';

export interface SearchResult {
  decision: SearchDecision;
  /**
   * The service handled elsewhere (a referral given to createSearch) that best explains the
   * question, on the same scale as the hits, or null. Never among the hits or the decision.
   */
  referral: SearchHit | null;
  /** Ranked, best first (at most `limit`), whatever the decision. */
  hits: SearchHit[];
  /** The hits to offer: the one for `one`, up to 3 for `several`, none for `none`. */
  choices: SearchHit[];
}

export interface Search {
  search(query: string, options?: { limit?: number }): SearchResult;
  readonly size: number;
}

/** Decision thresholds, tuned on tests/eval/queries.jsonl. */
const CONFIDENT = 0.6;
const MINIMUM = 0.42;
const MARGIN = 0.06;
const MAX_CHOICES = 3;

/** How much a match in each part of a procedure counts. */
const WEIGHT = { name: 1, nameEn: 1, keyword: 1, group: 0.6, field: 0.5 } as const;
/** Candidates whose closeness to a label is worked out (the rest cannot reach the top). */
const RERANK = 60;
const ACCENT = '~';
/** The weight of a word search had to guess (a typing slip, or accents the catalog never uses). */
const DOUBTFUL = 0.5;
const CODE_IN_TEXT = /\b\d{1,2}\.\d{6}(?:\.[A-Za-z0-9]{1,8})?\b/;

interface Doc {
  code: string;
  /** A service handled elsewhere, indexed so it competes with procedures on one scale. */
  referral: boolean;
  name: string;
  common: boolean;
  /** term -> the best weight among the parts that contain it */
  weights: Map<string, number>;
  /** name, English name and keywords, the phrases a question may match closely: each one's distinct terms */
  labels: string[][];
}

/** Unigrams and the bigrams of neighbours; bigrams say "khai sinh" is one word. */
function termsOf(tokens: string[]): string[] {
  const out = [...tokens];
  for (let i = 1; i < tokens.length; i++) out.push(`${tokens[i - 1]} ${tokens[i]}`);
  return out;
}

/** The words written with accents (any non-ASCII letter), marked so they never meet folded words. */
const accentedTokens = (text: string) =>
  lowerVietnamese(text)
    .split(' ')
    .filter((token) => /[^\p{ASCII}]/u.test(token))
    .map((token) => ACCENT + token);

/**
 * A syllable no Vietnamese word has: one that ends in p, t, c or ch takes the sắc or nặng tone
 * ("thực", "cấp"), so "thưc", "cươc" or "mât" are slips of the tone keys, not other words, and
 * their folded form is the word meant ("vàng" and "vắng" are both words: that one stays doubtful).
 *
 * @example misToned('thưc') // true
 */
function misToned(word: string): boolean {
  if (!/(?:p|t|c|ch)$/.test(foldVietnamese(word))) return false;
  return !/[\u0301\u0323]/.test(word.normalize('NFD'));
}

/** Spelling slips that come from how words sound in each region (tr/ch, s/x, d/gi/r, l/n, -n/-ng, -c/-t) or from neighbouring keys (-m/-n). */
const SOUND_SWAPS: [RegExp, string][] = [
  [/^tr/, 'ch'],
  [/^ch/, 'tr'],
  [/^s/, 'x'],
  [/^x/, 's'],
  [/^gi/, 'd'],
  [/^d/, 'gi'],
  [/^r/, 'd'],
  [/^d/, 'r'],
  [/^l/, 'n'],
  [/^n/, 'l'],
  [/ng$/, 'n'],
  [/n$/, 'ng'],
  [/c$/, 't'],
  [/t$/, 'c'],
  // m and n sit side by side on the keyboard: "kết hôm" is "kết hôn".
  [/m$/, 'n'],
  [/n$/, 'm'],
];

/**
 * Builds the procedure search once (STYLE 15): an inverted index of folded words and word pairs
 * from names, English names, everyday keywords, groups and fields, and fuse.js indexes over the
 * vocabulary for typing slips.
 *
 * A question is cleaned, folded, spelling-corrected against the vocabulary, rewritten with the
 * lexicon's synonyms and stripped of question words. A procedure scores by the share of the
 * question it explains (words weighted by rarity) and by how fully it matches one of its labels.
 *
 * @example
 * const search = createSearch(catalog);
 * search.search('lam giay khai sinh cho con can gi').choices[0]?.code // '1.001193'
 */
export function createSearch(catalog: readonly SearchableProcedure[], options: { lexicon?: Lexicon; referrals?: readonly SearchableProcedure[] } = {}): Search {
  const lexicon = options.lexicon ?? defaultLexicon;
  const docs: Doc[] = [];
  const rawWords = new Set<string>();
  const rawPairs = new Set<string>();
  /** Every accented word the catalog uses: a typed word with other accents is another word. */
  const accentedWords = new Set<string>();
  const noteRaw = (tokens: readonly string[]) => {
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] ?? '';
      rawWords.add(token);
      if (i > 0) rawPairs.add(`${tokens[i - 1]} ${token}`);
    }
  };
  const foldedTokens = (text: string) => foldVietnamese(text).split(' ').filter(Boolean);
  for (const phrases of lexicon.stopPhrases.values()) for (const phrase of phrases) noteRaw(phrase);
  for (const [from, to] of lexicon.synonyms) {
    noteRaw(from.split(' '));
    noteRaw(to);
  }
  for (const phrase of lexicon.phrasesAsWritten) for (const token of accentedTokens(phrase)) accentedWords.add(token);

  const entries = [...catalog.map((p) => ({ p, referral: false })), ...(options.referrals ?? []).map((p) => ({ p, referral: true }))];
  for (const { p: procedure, referral } of entries) {
    const weights = new Map<string, number>();
    const labels: string[][] = [];
    const add = (text: string | undefined, weight: number, isLabel: boolean) => {
      if (!text) return;
      const tokens = foldedTokens(text);
      noteRaw(tokens);
      const accented = accentedTokens(text);
      for (const token of accented) accentedWords.add(token);
      const terms = termsOf(applyLexicon(lexicon, tokens));
      if (isLabel) {
        terms.push(...accented);
        labels.push([...new Set(terms)]);
      }
      for (const term of terms) if ((weights.get(term) ?? 0) < weight) weights.set(term, weight);
    };
    add(procedure.name, WEIGHT.name, true);
    add(procedure.nameEn, WEIGHT.nameEn, true);
    for (const keyword of procedure.keywords ?? []) add(keyword, WEIGHT.keyword, true);
    add(procedure.group, WEIGHT.group, false);
    add(procedure.field, WEIGHT.field, false);
    docs.push({ code: procedure.code, referral, name: procedure.name, common: procedure.common ?? false, weights, labels });
  }

  const postings = new Map<string, { docs: number[]; weights: number[] }>();
  for (let index = 0; index < docs.length; index++) {
    for (const [term, weight] of (docs[index] as Doc).weights) {
      const list = postings.get(term);
      if (list) {
        list.docs.push(index);
        list.weights.push(weight);
      } else postings.set(term, { docs: [index], weights: [weight] });
    }
  }
  const total = Math.max(docs.length, 1);
  const maxIdf = Math.log(1 + total);
  const idfs = new Map<string, number>();
  for (const [term, list] of postings) idfs.set(term, Math.log(1 + total / list.docs.length));
  const idf = (term: string) => idfs.get(term) ?? 0;
  const byCode = new Map(docs.map((doc) => [doc.code, doc]));

  // Labels numbered flat, with an index from term to the labels that hold it: closeness is then
  // summed over the question's few terms rather than over every term of every candidate's labels.
  const labelDoc: number[] = [];
  const labelIdfSum: number[] = [];
  const labelPostings = new Map<string, number[]>();
  docs.forEach((doc, index) => {
    for (const terms of doc.labels) {
      const idfSum = terms.reduce((sum, term) => sum + idf(term), 0);
      if (idfSum === 0) continue;
      const id = labelDoc.length;
      labelDoc.push(index);
      labelIdfSum.push(idfSum);
      for (const term of terms) {
        const list = labelPostings.get(term);
        if (list) list.push(id);
        else labelPostings.set(term, [id]);
      }
    }
  });

  // Typing slips: a word not in the vocabulary is replaced by its closest vocabulary word
  // (preferring one that makes a known pair with its neighbour); "khaisinh" splits in two.
  // One small fuse index per first letter: a slip in the first letter is rare (and the sound
  // swaps below cover the common ones), and small indexes keep a lookup well under a millisecond.
  const byInitial = new Map<string, string[]>();
  for (const word of rawWords) {
    if (word.length < 2 || /^\d+$/.test(word)) continue;
    const list = byInitial.get(word[0] ?? '');
    if (list) list.push(word);
    else byInitial.set(word[0] ?? '', [word]);
  }
  const vocabularyFuse = new Map(
    [...byInitial].map(([initial, words]) => [initial, new Fuse(words, { includeScore: true, threshold: 0.34, ignoreLocation: true })]),
  );
  const joined = new Map<string, [string, string]>();
  for (const pair of rawPairs) {
    const [a = '', b = ''] = pair.split(' ');
    if (!rawWords.has(a + b)) joined.set(a + b, [a, b]);
  }

  const coverage = new Float64Array(docs.length);
  const labelMatched = new Float64Array(labelDoc.length);
  const closeness = new Float64Array(docs.length);
  const accentHits = new Uint16Array(docs.length);

  /**
   * Corrects typing slips. Words it had to guess (a fuzzy or sound-alike correction) go into
   * `doubtful`, and so do words typed with accents the catalog never uses ("vàng" is not "vắng").
   */
  function correct(tokens: string[], doubtful: Set<string>): string[] {
    const out: string[] = [];
    for (const [i, token] of tokens.entries()) {
      if (rawWords.has(token) || /^\d+$/.test(token) || token.length < 3) {
        out.push(token);
        continue;
      }
      const split = joined.get(token);
      if (split) {
        out.push(...split);
        continue;
      }
      const prev = out.at(-1);
      const next = tokens[i + 1];
      const limit = token.length <= 4 ? 0.26 : 0.34;
      const stretch = token.length <= 4 ? 1 : 2;
      const found = (vocabularyFuse.get(token[0] ?? '')?.search(token, { limit: 8 }) ?? []).filter((c) => Math.abs(c.item.length - token.length) <= stretch);
      const candidates = found.filter((c) => (c.score ?? 1) <= limit);
      const pairedBefore = (c: { item: string }) => prev !== undefined && rawPairs.has(`${prev} ${c.item}`);
      const pairedAfter = (c: { item: string }) => next !== undefined && rawPairs.has(`${c.item} ${next}`);
      const paired = (c: { item: string }) => pairedBefore(c) || pairedAfter(c);
      // A guess further off than a short word's guess may be alone is taken when its neighbours
      // vouch for it: a word without a vowel is no Vietnamese word, so one known pair will do
      // ("khai snh" is "khai sinh", while "xưa" stays "xưa"); any other word needs a known pair
      // on both sides ("cấp pép xây dựng" is "cấp phép xây dựng").
      const vouched = (c: { item: string }) => (/[aeiouy]/.test(token) ? pairedBefore(c) && pairedAfter(c) : paired(c));
      const inContext = candidates.find(paired) ?? found.find(vouched);
      const chosen = (inContext ?? candidates[0])?.item ?? token;
      if (chosen !== token) doubtful.add(chosen);
      out.push(chosen);
    }
    // Sound-alike slips make real words ("tam chu"), so they are fixed only where the pair is unknown.
    for (let i = 0; i < out.length; i++) {
      const prev = out[i - 1];
      const next = out[i + 1];
      const word = out[i] ?? '';
      const pairedBefore = prev !== undefined && rawPairs.has(`${prev} ${word}`);
      const pairedAfter = next !== undefined && rawPairs.has(`${word} ${next}`);
      if (pairedBefore || pairedAfter || (prev === undefined && next === undefined)) continue;
      for (const [pattern, replacement] of SOUND_SWAPS) {
        const variant = word.replace(pattern, replacement);
        if (variant !== word && ((prev !== undefined && rawPairs.has(`${prev} ${variant}`)) || (next !== undefined && rawPairs.has(`${variant} ${next}`)))) {
          out[i] = variant;
          doubtful.add(variant);
          break;
        }
      }
    }
    return out;
  }

  /** The best `limit` procedures and the best referral for a question. */
  function rank(query: string, limit: number): { hits: SearchHit[]; referral: SearchHit | null } {
    const none = { hits: [], referral: null };
    const cleaned = cleanText(query);
    const code = CODE_IN_TEXT.exec(cleaned)?.[0];
    const exact = code ? byCode.get(code) : undefined;
    if (exact && !exact.referral) return { hits: [{ code: exact.code, name: exact.name, score: 1, closeness: 1 }], referral: null };

    const accents = [...new Set(accentedTokens(cleaned))];
    const unknownAccents = accents.filter((a) => !accentedWords.has(a)).map((a) => a.slice(ACCENT.length));
    const doubtful = new Set(unknownAccents.filter((word) => !misToned(word)).map(foldVietnamese));
    const tokens = applyLexicon(lexicon, correct(foldVietnamese(cleaned).split(' ').filter(Boolean), doubtful));
    const terms = [...new Set(termsOf(tokens))];
    if (terms.length === 0) return none;

    // Unknown words count against every procedure (the question is about something else);
    // unknown pairs are just two words side by side and count for nothing.
    const weightOf = (term: string) => idf(term) || (term.includes(' ') ? 0 : maxIdf * 0.5);
    const queryWeight = terms.reduce((sum, term) => sum + weightOf(term), 0);
    if (queryWeight === 0) return none;

    // Coverage: the share of the question's weight each procedure explains. A reused dense
    // array and the list of touched procedures keep this linear in the postings read.
    const touched: number[] = [];
    for (const term of terms) {
      const list = postings.get(term);
      if (!list) continue;
      // A guessed word counts for less: it may be another word altogether.
      const guessed = doubtful.size > 0 && term.split(' ').some((word) => doubtful.has(word));
      const w = (idf(term) * (guessed ? DOUBTFUL : 1)) / queryWeight;
      for (let k = 0; k < list.docs.length; k++) {
        const doc = list.docs[k] as number;
        if (coverage[doc] === 0) touched.push(doc);
        coverage[doc] = (coverage[doc] as number) + w * (list.weights[k] as number);
      }
    }
    if (touched.length === 0) return none;

    // Closeness: how fully the question covers the procedure's best-matched label.
    const touchedLabels: number[] = [];
    for (const term of new Set([...terms, ...accents])) {
      const weight = idf(term);
      for (const label of labelPostings.get(term) ?? []) {
        if (labelMatched[label] === 0) touchedLabels.push(label);
        labelMatched[label] = (labelMatched[label] as number) + weight;
      }
    }
    for (const label of touchedLabels) {
      const doc = labelDoc[label] as number;
      closeness[doc] = Math.max(closeness[doc] as number, (labelMatched[label] as number) / (labelIdfSum[label] as number));
      labelMatched[label] = 0;
    }

    // Only the best-covered procedures can reach the top; find the cut without sorting them all.
    let cut = 0;
    if (touched.length > RERANK) {
      const values = new Float64Array(touched.length);
      for (let k = 0; k < touched.length; k++) values[k] = coverage[touched[k] as number] as number;
      values.sort();
      cut = values[values.length - RERANK] as number;
    }
    // How many of the question's accented words each procedure uses, from the postings.
    for (const a of accents) for (const doc of postings.get(a)?.docs ?? []) accentHits[doc] = (accentHits[doc] as number) + 1;
    // The best `limit` by score, kept in order as they come (ties keep the earlier one first).
    const best: { index: number; score: number }[] = [];
    let bestReferral: { index: number; score: number } | null = null;
    let scored = 0;
    for (const index of touched) {
      const covered = coverage[index] as number;
      coverage[index] = 0;
      if (covered < cut || scored >= RERANK * 2) continue;
      scored++;
      const doc = docs[index] as Doc;
      const accentShare = accents.length ? (accentHits[index] as number) / accents.length : 0;
      const score = round(Math.min(0.62 * covered + 0.33 * Math.min(closeness[index] as number, 1) + (doc.common ? 0.03 : 0) + 0.02 * accentShare, 1));
      if (doc.referral) {
        if (!bestReferral || score > bestReferral.score) bestReferral = { index, score };
        continue;
      }
      if (best.length === limit && score <= (best[limit - 1] as { score: number }).score) continue;
      let at = best.length;
      while (at > 0 && (best[at - 1] as { score: number }).score < score) at--;
      best.splice(at, 0, { index, score });
      if (best.length > limit) best.pop();
    }
    for (const a of accents) for (const doc of postings.get(a)?.docs ?? []) accentHits[doc] = 0;
    const hit = ({ index, score }: { index: number; score: number }): SearchHit => ({
      code: (docs[index] as Doc).code,
      name: (docs[index] as Doc).name,
      score,
      closeness: round(Math.min(closeness[index] as number, 1)),
    });
    // A referral must match one of its own names or keywords at least as closely as the best
    // procedure matches one of its: "đăng ký khai tử" says the procedure's whole name and only part
    // of "khai tử ở nước ngoài", so it is about the procedure, while "ly hôn" is all of the
    // referral's keyword and a small part of the procedure that records a divorce granted abroad.
    const closenessOf = (index: number | undefined) => (index === undefined ? 0 : (closeness[index] as number));
    const distinct = bestReferral !== null && closenessOf(bestReferral.index) >= closenessOf(best[0]?.index);
    const referral = bestReferral && distinct ? hit(bestReferral) : null;
    const hits = best.map(hit);
    for (const label of touchedLabels) closeness[labelDoc[label] as number] = 0;
    return { hits, referral };
  }

  return {
    size: catalog.length,
    search(query, options = {}) {
      const { hits, referral } = rank(query, Math.max(options.limit ?? 5, MAX_CHOICES));
      const limited = hits.slice(0, options.limit ?? 5);
      const [top, second] = hits;
      if (!top || top.score < MINIMUM) return { decision: 'none', hits: limited, choices: [], referral };
      if (top.score >= CONFIDENT && (!second || top.score - second.score >= MARGIN)) return { decision: 'one', hits: limited, choices: [top], referral };
      const choices = hits.filter((hit) => hit.score >= MINIMUM && top.score - hit.score < MARGIN * 2).slice(0, MAX_CHOICES);
      return { decision: 'several', hits: limited, choices, referral };
    },
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
