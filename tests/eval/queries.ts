import { readFileSync } from 'node:fs';
import { z } from 'zod';

const labelled = z.array(z.object({ query: z.string().min(1), code: z.string(), kind: z.string() }));

/** The labelled questions of tests/eval/queries.jsonl, as citizens type them (also used by bench/search). */
export function loadEvalQueries() {
  const lines = readFileSync(new URL('./queries.jsonl', import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  return labelled.parse(lines.map((l) => JSON.parse(l)));
}
