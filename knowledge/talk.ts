import { z } from 'zod';
import { ASPECTS, type Aspect, INTENTS, type Intent } from './aspects';
import intentsData from './data/intents.json';
import { defaultLexicon, type Lexicon } from './lexicon';
import { foldVietnamese, lowerVietnamese } from './normalize';

/** What a message says besides naming a procedure. */
export interface Talk {
  /** Everyday intents it holds, by precedence (INTENTS order). */
  intents: Intent[];
  /** Parts of a procedure it asks about, in the order asked. */
  aspects: Aspect[];
  /** The phrases (folded) that asked for each of them: "lệ phí" may be part of a procedure's name. */
  aspectPhrases: Partial<Record<Aspect, string[]>>;
  /**
   * Its words that are neither talk, filler nor a generic procedure word (folded): what is left
   * to name a particular procedure ("tạm trú" in "đăng ký tạm trú ở đâu").
   */
  content: string[];
  /** True when it uses a word of procedures ("đăng ký", "giấy", "cấp"...): a plausible procedure question. */
  cue: boolean;
}

type Label = { kind: 'intent'; intent: Intent } | { kind: 'aspect'; aspect: Aspect } | { kind: 'filler' } | { kind: 'cue' };

interface Phrase {
  /** Folded words. */
  folded: string[];
  /**
   * The same words lower-cased with their accents, to refuse a citizen's differently accented
   * word; null for the search's stop phrases, known only folded (they are fillers either way).
   */
  written: string[] | null;
  label: Label;
}

export interface TalkLexicon {
  /** Phrases by their first folded word, longest first. */
  byFirst: Map<string, Phrase[]>;
}

const listOf = z.array(z.string().min(1));
const talkSchema = z.object({
  intents: z.record(z.enum(INTENTS), listOf),
  aspects: z.record(z.enum(ASPECTS), listOf),
  fillers: listOf,
  cues: listOf,
});

/** Intents and aspects win over fillers and cues that start at the same word. */
const RANK: Record<Label['kind'], number> = { intent: 0, aspect: 0, cue: 1, filler: 2 };

/**
 * Builds the talk lexicon from its JSON form (knowledge/data/intents.json or a test's own) and the
 * search lexicon's stop phrases, which are fillers too ("cho tôi hỏi", "như thế nào").
 */
export function createTalkLexicon(data: unknown, search: Lexicon = defaultLexicon): TalkLexicon {
  const parsed = talkSchema.parse(data);
  const phrases: Phrase[] = [];
  const add = (text: string, label: Label) => {
    const folded = foldVietnamese(text).split(' ').filter(Boolean);
    const written = lowerVietnamese(text).split(' ').filter(Boolean);
    if (folded.length) phrases.push({ folded, written: written.length === folded.length ? written : folded, label });
  };
  for (const [intent, list] of Object.entries(parsed.intents)) for (const text of list) add(text, { kind: 'intent', intent: intent as Intent });
  for (const [aspect, list] of Object.entries(parsed.aspects)) for (const text of list) add(text, { kind: 'aspect', aspect: aspect as Aspect });
  for (const text of parsed.cues) add(text, { kind: 'cue' });
  for (const text of parsed.fillers) add(text, { kind: 'filler' });
  for (const list of search.stopPhrases.values()) for (const folded of list) phrases.push({ folded, written: null, label: { kind: 'filler' } });

  const byFirst = new Map<string, Phrase[]>();
  for (const phrase of phrases) {
    const first = phrase.folded[0] ?? '';
    const list = byFirst.get(first) ?? [];
    list.push(phrase);
    byFirst.set(first, list);
  }
  for (const list of byFirst.values()) list.sort((a, b) => b.folded.length - a.folded.length || RANK[a.label.kind] - RANK[b.label.kind]);
  return { byFirst };
}

export const defaultTalkLexicon: TalkLexicon = createTalkLexicon(intentsData);

const accented = (word: string) => /[^\p{ASCII}]/u.test(word);

/**
 * Reads the everyday talk in a message: left to right, the longest phrase of the lexicon that
 * starts at each word. A word the citizen typed with accents must match the phrase's accents, so
 * "cư ngụ" is not the insult "ngu"; a word typed without accents matches any accents.
 *
 * @example readTalk('phí bao nhiêu vậy em?').aspects // ['fee']
 * @example readTalk('cảm ơn bạn nhiều nhé') // { intents: ['thanks'], aspects: [], aspectPhrases: {}, content: [], cue: false }
 */
export function readTalk(text: string, lexicon: TalkLexicon = defaultTalkLexicon): Talk {
  const folded = foldVietnamese(text).split(' ').filter(Boolean);
  const lowered = lowerVietnamese(text).split(' ').filter(Boolean);
  const written = lowered.length === folded.length ? lowered : folded;
  const intents = new Set<Intent>();
  // Keyed in the order asked: the aspects are its keys.
  const aspectPhrases: Partial<Record<Aspect, string[]>> = {};
  const content: string[] = [];
  let cue = false;

  const matches = (phrase: Phrase, at: number) =>
    phrase.folded.every((word, k) => {
      const typed = written[at + k];
      if (folded[at + k] !== word || typed === undefined) return false;
      return phrase.written === null || !accented(typed) || typed === phrase.written[k];
    });

  for (let i = 0; i < folded.length; ) {
    const phrase = lexicon.byFirst.get(folded[i] ?? '')?.find((p) => matches(p, i));
    if (!phrase) {
      content.push(folded[i] ?? '');
      i++;
      continue;
    }
    const { label } = phrase;
    if (label.kind === 'intent') intents.add(label.intent);
    else if (label.kind === 'aspect') {
      aspectPhrases[label.aspect] = [...(aspectPhrases[label.aspect] ?? []), phrase.folded.join(' ')];
    } else if (label.kind === 'cue') cue = true;
    i += phrase.folded.length;
  }
  const aspects = Object.keys(aspectPhrases) as Aspect[];
  return { intents: INTENTS.filter((intent) => intents.has(intent)), aspects, aspectPhrases, content, cue };
}
