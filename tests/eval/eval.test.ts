import { describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from '../../knowledge/default-catalog';
import { foldVietnamese } from '../../knowledge/normalize';
import { createSearch, type Search } from '../../knowledge/search';
import { loadEvalQueries, TUNING_SETS } from './queries';

type Labelled = ReturnType<typeof loadEvalQueries>;

/** Top-1 / top-3 accuracy in percent (one decimal), printed with the top-1 misses and a per-kind count. */
function measure(search: Search, queries: Labelled, label: string) {
  let top1 = 0;
  let top3 = 0;
  const misses: string[] = [];
  const byKind = new Map<string, { n: number; top1: number; top3: number }>();
  for (const q of queries) {
    const codes = search.search(q.query, { limit: 3 }).hits.map((h) => h.code);
    const kind = byKind.get(q.kind) ?? { n: 0, top1: 0, top3: 0 };
    byKind.set(q.kind, kind);
    kind.n++;
    if (codes[0] === q.code) {
      top1++;
      kind.top1++;
    } else misses.push(`${q.query} -> ${codes.join(', ')} (want ${q.code})`);
    if (codes.includes(q.code)) {
      top3++;
      kind.top3++;
    }
  }
  const pct = (n: number) => Math.round((n / queries.length) * 1000) / 10;
  const kinds = [...byKind].map(([kind, k]) => `${kind} ${k.top1}/${k.top3}/${k.n}`).join(', ');
  console.log(`${label}: ${queries.length} questions, top-1 ${pct(top1)}%, top-3 ${pct(top3)}% (top-1/top-3/n by kind: ${kinds})`);
  if (misses.length) console.log(`${label} top-1 misses:\n  ${misses.join('\n  ')}`);
  return { top1: pct(top1), top3: pct(top3) };
}

describe('search accuracy on labelled citizen questions', () => {
  const catalog = loadDefaultCatalog();
  const search = createSearch(catalog);
  const queries = loadEvalQueries();

  it('labels only procedures of the shipped catalog and holds at least 150 questions', () => {
    const codes = new Set(catalog.map((p) => p.code));
    expect(queries.length).toBeGreaterThanOrEqual(150);
    expect(queries.filter((q) => !codes.has(q.code))).toEqual([]);
  });

  it('finds the right procedure first for >= 97% and in the top 3 for >= 99%', () => {
    const { top1, top3 } = measure(search, queries, 'search eval');
    expect(top1).toBeGreaterThanOrEqual(97);
    expect(top3).toBeGreaterThanOrEqual(99);
  });
});

// The questions that tell a situation (tests/eval/context.jsonl) and the third round of first
// questions (fresh.jsonl), tuning sets written fresh (see queries.ts), harder than queries.jsonl.
// Measured 2026-12-01 before any tuning on them: context top-1 84.7%, top-3 96.4%; fresh 80.4%,
// top-3 95.6%. The floors sit a few points below, as for the other sets.
describe.each([
  { set: 'context' as const, top1: 81, top3: 93 },
  { set: 'fresh' as const, top1: 77, top3: 92 },
  { set: 'mixed' as const, top1: 80, top3: 92 },
  { set: 'typed' as const, top1: 80, top3: 92 },
  { set: 'english' as const, top1: 76, top3: 90 },
  { set: 'short' as const, top1: 87, top3: 95 },
])('search accuracy on the $set questions', ({ set, top1: floor1, top3: floor3 }) => {
  const catalog = loadDefaultCatalog();
  const search = createSearch(catalog);
  const questions = loadEvalQueries(set);

  it('labels only procedures of the shipped catalog, one question each, none from another tuning set', () => {
    const codes = new Set(catalog.map((p) => p.code));
    expect(questions.length).toBeGreaterThanOrEqual(200);
    expect(questions.filter((q) => !codes.has(q.code))).toEqual([]);
    const others = TUNING_SETS.filter((other) => other !== set).flatMap((other) => loadEvalQueries(other));
    const tuned = new Set(others.map((q) => foldVietnamese(q.query)));
    const folded = questions.map((q) => foldVietnamese(q.query));
    expect(folded.filter((f, i) => tuned.has(f) || folded.indexOf(f) !== i)).toEqual([]);
  });

  it(`finds the right procedure first for >= ${floor1}% and in the top 3 for >= ${floor3}%`, () => {
    const { top1, top3 } = measure(search, questions, `search ${set} eval`);
    expect(top1).toBeGreaterThanOrEqual(floor1);
    expect(top3).toBeGreaterThanOrEqual(floor3);
  });
});

// The held-out set (tests/eval/holdout.jsonl): questions the tuning never saw, see the rule in
// queries.ts. Its accuracy is the honest estimate of how the search does on new questions.
describe('search accuracy on held-out citizen questions', () => {
  const catalog = loadDefaultCatalog();
  const search = createSearch(catalog);
  const holdout = loadEvalQueries('holdout');
  const tuning = TUNING_SETS.flatMap((set) => loadEvalQueries(set));

  it('labels only procedures of the shipped catalog, with a known kind, and holds at least 80 questions', () => {
    const codes = new Set(catalog.map((p) => p.code));
    const kinds = new Set(['accented', 'unaccented', 'colloquial', 'typo', 'english']);
    expect(holdout.length).toBeGreaterThanOrEqual(80);
    expect(holdout.filter((q) => !codes.has(q.code))).toEqual([]);
    expect(holdout.filter((q) => !kinds.has(q.kind))).toEqual([]);
  });

  it('shares no question with the tuning set, even up to accents, case and punctuation', () => {
    const tuned = new Set(tuning.map((q) => foldVietnamese(q.query)));
    expect(holdout.filter((q) => tuned.has(foldVietnamese(q.query))).map((q) => q.query)).toEqual([]);
    const folded = holdout.map((q) => foldVietnamese(q.query));
    expect(folded.filter((f, i) => folded.indexOf(f) !== i)).toEqual([]);
  });

  // Measured 2026-12-01 on 173 held-out questions: top-1 79.2% (137), top-3 94.8% (164); after
  // everyday keywords for every procedure (written without this set in view) 87.9% / 97.7%, the
  // tuning set 99.7% / 99.7% the same day. After 261 new tuning questions and the English, teencode
  // and country vocabulary they called for (docs/BENCHMARKS.md): 91.9% / 98.3%, tuning 97.8% /
  // 99.8% on 547. Round 2 (479 more tuning questions, English the most, measured once after):
  // 95.4% / 98.8%, tuning 99.6% / 100% on 1026. The floors sit a few points below the
  // held-out figures so the test fails on a real regression, not on one question changing.
  // Never raise them above what the search measures, and never tune on this set to pass them.
  it('finds the right procedure first for >= 92% and in the top 3 for >= 96%', () => {
    const { top1, top3 } = measure(search, holdout, 'search held-out eval');
    expect(top1).toBeGreaterThanOrEqual(92);
    expect(top3).toBeGreaterThanOrEqual(96);
  });
});
