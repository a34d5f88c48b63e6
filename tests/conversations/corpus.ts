import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ASPECTS, INTENTS } from '../../knowledge/aspects';

/*
 * Scripted conversations (issue 13), one JSON object per line, in two sets with the rule of
 * tests/eval/queries.ts: tuning.jsonl may be used to tune the understanding (knowledge/data/
 * intents.json, knowledge/understand.ts, the search's data); holdout.jsonl was written apart and
 * is never tuned on. A held-out conversation may only MOVE to tuning.jsonl (with a commit note).
 */

const expectation = z.union([
  z.strictObject({ card: z.string() }),
  z.strictObject({ section: z.enum(ASPECTS), code: z.string() }),
  z.strictObject({ choices: z.array(z.string()).min(1) }),
  z.strictObject({ intent: z.enum(INTENTS) }),
  z.strictObject({ which: z.literal(true) }),
  z.strictObject({ referral: z.string() }),
  z.strictObject({ dossier: z.enum(['ask_digits', 'card', 'retry_digits']) }),
  z.strictObject({ none: z.literal(true) }),
]);
export type Expectation = z.infer<typeof expectation>;

const turn = z.union([z.strictObject({ say: z.string().min(1), expect: expectation }), z.strictObject({ press: z.string().min(1), expect: expectation })]);
export type Turn = z.infer<typeof turn>;

const conversation = z.strictObject({ name: z.string().min(1), lang: z.enum(['vi', 'en']), turns: z.array(turn).min(1) });
export type Conversation = z.infer<typeof conversation>;

export type CorpusSet = 'tuning' | 'holdout';

export function loadConversations(set: CorpusSet): Conversation[] {
  return readFileSync(new URL(`./${set}.jsonl`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => conversation.parse(JSON.parse(line)));
}

/** The kind of answer as one comparable line: "section fee 1.001193", "intent thanks", ... */
export function describe(expected: Expectation): string {
  if ('card' in expected) return `card ${expected.card}`;
  if ('section' in expected) return `section ${expected.section} ${expected.code}`;
  if ('choices' in expected) return `choices ${expected.choices.join(' ')}`;
  if ('intent' in expected) return `intent ${expected.intent}`;
  if ('which' in expected) return 'which';
  if ('referral' in expected) return `referral ${expected.referral}`;
  if ('dossier' in expected) return `dossier ${expected.dossier}`;
  return 'none';
}
