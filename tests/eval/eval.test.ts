import { describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from '../../knowledge/default-catalog';
import { createSearch } from '../../knowledge/search';
import { loadEvalQueries } from './queries';

describe('search accuracy on labelled citizen questions', () => {
  const catalog = loadDefaultCatalog();
  const search = createSearch(catalog);
  const queries = loadEvalQueries();

  it('labels only procedures of the shipped catalog and holds at least 150 questions', () => {
    const codes = new Set(catalog.map((p) => p.code));
    expect(queries.length).toBeGreaterThanOrEqual(150);
    expect(queries.filter((q) => !codes.has(q.code))).toEqual([]);
  });

  it('finds the right procedure first for >= 90% and in the top 3 for >= 97%', () => {
    let top1 = 0;
    let top3 = 0;
    const misses: string[] = [];
    for (const q of queries) {
      const codes = search.search(q.query, { limit: 3 }).hits.map((h) => h.code);
      if (codes[0] === q.code) top1++;
      else misses.push(`${q.query} -> ${codes.join(', ')} (want ${q.code})`);
      if (codes.includes(q.code)) top3++;
    }
    const pct = (n: number) => Math.round((n / queries.length) * 1000) / 10;
    console.log(`search eval: ${queries.length} questions, top-1 ${pct(top1)}%, top-3 ${pct(top3)}%`);
    if (misses.length) console.log(`top-1 misses:\n  ${misses.join('\n  ')}`);
    expect(pct(top1)).toBeGreaterThanOrEqual(90);
    expect(pct(top3)).toBeGreaterThanOrEqual(97);
  });
});
