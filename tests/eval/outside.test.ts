import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadDefaultCatalog } from '../../knowledge/default-catalog';
import { foldVietnamese } from '../../knowledge/normalize';
import { defaultReferrals } from '../../knowledge/referrals';
import { createSearch } from '../../knowledge/search';
import { answerOf, understand } from '../../knowledge/understand';
import { type EvalSet, loadEvalQueries, TUNING_SETS } from './queries';

/*
 * Questions about services the office does not handle (passport, vehicles, tax, a death abroad,
 * or nothing official at all), measured through the same understanding the chat uses: the share
 * answered "none" (no card, no choice: a referral, everyday talk or "not found") and the share of
 * referral topics named right. tests/eval/outside.jsonl and outside-english.jsonl (English, as
 * foreign residents and Vietnamese typing English ask) are the tuning part, outside-holdout.jsonl
 * the held-out part (the rule of tests/eval/queries.ts holds). In-scope questions are measured the
 * same way, so a referral that steals a real procedure question shows here.
 */
const outsideSchema = z.array(z.object({ query: z.string().min(1), referral: z.string().nullable(), kind: z.string() }));
const loadOutside = (file: string) =>
  outsideSchema.parse(
    readFileSync(new URL(`./${file}.jsonl`, import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l)),
  );

const referrals = defaultReferrals();
const search = createSearch(loadDefaultCatalog(), { referrals: referrals.documents });
const deps = { search: (q: string) => search.search(q), referrals };

async function measureOutside(file: string) {
  const questions = loadOutside(file);
  let none = 0;
  let named = 0;
  let withTopic = 0;
  const misses: string[] = [];
  for (const q of questions) {
    const meant = await understand(q.query, null, deps);
    if (answerOf(meant) === 'none') none++;
    else misses.push(`${q.query} -> ${answerOf(meant)} ${meant.kind === 'procedure' ? meant.code : ''}`);
    if (q.referral) {
      withTopic++;
      if (meant.kind === 'referral' && meant.referral.id === q.referral) named++;
      else if (answerOf(meant) === 'none')
        misses.push(`${q.query} -> ${meant.kind === 'referral' ? meant.referral.id : meant.kind} (want referral ${q.referral})`);
    }
  }
  const pct = (n: number, of: number) => Math.round((n / of) * 1000) / 10;
  console.log(
    `${file}: ${questions.length} questions outside the catalog, ${pct(none, questions.length)}% answered "none", referral named for ${pct(named, withTopic)}% of ${withTopic} with a topic`,
  );
  if (misses.length) console.log(`${file} misses:\n  ${misses.join('\n  ')}`);
  return { none: pct(none, questions.length), named: pct(named, withTopic), questions };
}

/**
 * The share of each in-scope set the chat answers with the right card first, at least: a few points
 * under what was measured (the figures are in the test below), so a real regression fails.
 */
const IN_SCOPE_FLOORS: Record<EvalSet, number> = { queries: 97, context: 78, fresh: 71, mixed: 77, typed: 80, english: 71, short: 85, holdout: 90 };

/** In-scope questions as the chat answers them: the right card first (or first among the choices). */
async function measureInScope(set: EvalSet) {
  const questions = loadEvalQueries(set);
  let right = 0;
  let referred = 0;
  for (const q of questions) {
    const meant = await understand(q.query, null, deps);
    const first = meant.kind === 'procedure' ? meant.code : meant.kind === 'choices' ? meant.hits[0]?.code : undefined;
    if (first === q.code) right++;
    if (meant.kind === 'referral') referred++;
  }
  const top1 = Math.round((right / questions.length) * 1000) / 10;
  console.log(`${set} through the understanding: ${questions.length} in-scope questions, top-1 ${top1}%, ${referred} sent elsewhere`);
  return { top1, referred };
}

describe('questions outside the catalog', () => {
  it('holds at least 60 questions in two parts that share none', () => {
    const tuning = [...loadOutside('outside'), ...loadOutside('outside-english')];
    const holdout = loadOutside('outside-holdout');
    expect(tuning.length + holdout.length).toBeGreaterThanOrEqual(60);
    const tuned = new Set(tuning.map((q) => foldVietnamese(q.query)));
    expect(holdout.filter((q) => tuned.has(foldVietnamese(q.query))).map((q) => q.query)).toEqual([]);
    const ids = new Set(referrals.list().map((r) => r.id));
    expect([...tuning, ...holdout].filter((q) => q.referral !== null && !ids.has(q.referral)).map((q) => q.referral)).toEqual([]);
  });

  // Floors a few points under what was measured when they were set (docs/BENCHMARKS.md has the
  // figures): a real regression fails, one question changing does not. Never tune on the held-out part.
  // Measured 2026-12-01: tuning 88.2% (51), held-out 87.8%; after 78 new tuning questions and
  // choices only from a score that explains the question: tuning 88.4% (129), held-out 89.8%
  // (issue 13 asks 90% of the held-out part: printed, not asserted). Round 2 (138 more tuning
  // questions outside and 341 in scope, measured once after): tuning 94.4% (267), held-out 91.8%.
  it('answers "none" (no card that merely shares words) for the tuning part', async () => {
    expect((await measureOutside('outside')).none).toBeGreaterThanOrEqual(91);
    // 110 English questions written 2026-12-02 measured 80.0% before any tuning on them; with
    // "wedding" read as marrying only where it is registered and a nationality read as a foreign
    // element in two words rather than five: 88.6% (114, four added since).
    expect((await measureOutside('outside-english')).none).toBeGreaterThanOrEqual(85);
  });

  it('answers "none" for the held-out part', async () => {
    const { none } = await measureOutside('outside-holdout');
    console.log(`issue 13 goal: 90% of the held-out part answered "none" (${none >= 90 ? 'met' : 'not met'}: ${none}%)`);
    expect(none).toBeGreaterThanOrEqual(88);
  });

  it('keeps in-scope questions on their procedures', async () => {
    const measured: ({ set: EvalSet } & Awaited<ReturnType<typeof measureInScope>>)[] = [];
    for (const set of [...TUNING_SETS, 'holdout'] as const) measured.push({ set, ...(await measureInScope(set)) });
    // Measured 2026-12-01: 98.6% and 83.2%, 7 of 459 sent elsewhere; after the 261 new tuning
    // questions and what they called for: 96.3% (547) and 90.8%, 1 of 720 sent elsewhere; after
    // round 2: 99.6% (1026) and 93.6%, 1 of 1199 sent elsewhere. The questions with context
    // (context.jsonl, 222) measured 74.8% before any tuning on them; with choices for long
    // messages that hold most of a procedure's name: 80.2%, the held-out part 94.2%; with the
    // choices in the search's order and two lexicon slips mended ("còn làm lại", "mới mất bao
    // lâu"): 82.4%, held-out 94.2%. The third round (fresh.jsonl, 250) measured 73.6% before any
    // tuning on it; with long messages offered choices from a closeness of 0.52 (was 0.55) and the
    // m/n keyboard slip: 74.8%, context 83.3%, held-out 94.2%; with a tone no syllable has
    // ("thưc", "mât") read as a slip: fresh 75.6%; a word without a vowel ("snh") corrected by
    // its neighbour: 76.0%. The fourth round (mixed.jsonl, 234, the held-out set's mix of kinds)
    // measured 75.6% before any tuning on it; with a guess vouched for by known pairs on both sides
    // ("cấp pép xây dựng"), the everyday words its misses showed and English kinship words as
    // stop words: 82.9%, fresh 76.8%, context 83.8%, held-out 94.8%. The fifth (typed.jsonl, 234
    // colloquial, typed with slips or without accents) measured 82.1% before any tuning on it; with
    // one placement of the tone mark ("uỷ"/"ủy") and the southern words its misses showed: 84.2%;
    // with more nationalities and officers coming to the place: typed 84.6%, mixed 83.8%, context
    // 84.7%, fresh 77.2%, held-out 94.8%. The sixth (english.jsonl, 234) measured 47.4% before any
    // tuning on it; with English keywords for the situations it describes: 74.4%. The seventh
    // (short.jsonl, 234 chat-typed questions of 3 to 9 words) measured 85.0%; with the
    // abbreviations and everyday words its misses showed: 90.2%, mixed 90.6%, typed 88.9%, fresh
    // 84.0%, context 86.0%, held-out 95.4%.
    const holdout = measured.find((m) => m.set === 'holdout')?.top1 ?? 0;
    console.log(`issue 13 goal: top-1 95% of the held-out part (${holdout >= 95 ? 'met' : 'not met'}: ${holdout}%)`);
    for (const { set, top1 } of measured) expect(top1, set).toBeGreaterThanOrEqual(IN_SCOPE_FLOORS[set]);
    expect(measured.reduce((sum, m) => sum + m.referred, 0)).toBeLessThanOrEqual(5);
  });
});
