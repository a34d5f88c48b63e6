/**
 * Command-line tools over the shipped data, no database needed: `npm run -s cli -- <command>`.
 *
 *   search [--top N] [--jsonl]   one question per line on stdin; with --jsonl one JSON line per
 *                                question: {"query": "...", "answer": "card" | "choices" | "none",
 *                                "results": [{"code", "name", "score"}]} best first, score in [0, 1];
 *                                `answer` is what the chat does with that text as a first message
 *                                (knowledge/understand.ts), with "intent" or "referral" naming the
 *                                everyday talk or the service handled elsewhere when it answers so.
 *                                Without --jsonl a readable list.
 */
import { createInterface } from 'node:readline';
import { loadDefaultCatalog } from '../knowledge/default-catalog';
import { defaultReferrals } from '../knowledge/referrals';
import { createSearch } from '../knowledge/search';
import { answerOf, type Understanding, understand } from '../knowledge/understand';

const USAGE = 'usage: npm run -s cli -- search [--top N] [--jsonl] < questions.txt';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

/** What answered, besides a card: the intent or the referral. */
function detail(meant: Understanding): string {
  if (meant.kind === 'intent') return `, "intent": ${JSON.stringify(meant.intent)}`;
  if (meant.kind === 'referral') return `, "referral": ${JSON.stringify(meant.referral.id)}`;
  if (meant.kind === 'dossier') return ', "dossier": true';
  return '';
}

/** One result line, spaced like the documented shape: {"query": "...", "answer": "card", "results": [{"code": "...", "name": "...", "score": 0.5}]}. */
function jsonLine(query: string, meant: Understanding, results: { code: string; name: string; score: number }[]): string {
  const items = results.map((r) => `{"code": ${JSON.stringify(r.code)}, "name": ${JSON.stringify(r.name)}, "score": ${JSON.stringify(r.score)}}`);
  return `{"query": ${JSON.stringify(query)}, "answer": ${JSON.stringify(answerOf(meant))}${detail(meant)}, "results": [${items.join(', ')}]}`;
}

async function search(args: string[]) {
  let top = 3;
  let jsonl = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--jsonl') jsonl = true;
    else if (arg === '--top') {
      const value = Number(args[++i]);
      if (!Number.isInteger(value) || value < 1 || value > 50) fail('--top needs a whole number from 1 to 50');
      top = value;
    } else fail(`unknown option ${arg}`);
  }
  const referrals = defaultReferrals();
  const index = createSearch(loadDefaultCatalog(), { referrals: referrals.documents });
  const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    const query = line.replace(/\r$/, '');
    const results = index.search(query, { limit: top }).hits.map((h) => ({ code: h.code, name: h.name, score: h.score }));
    const meant = await understand(query, null, { search: (q) => index.search(q), referrals });
    if (jsonl) process.stdout.write(`${jsonLine(query, meant, results)}\n`);
    else {
      const list = results.map((r, i) => `  ${i + 1}. ${r.code} ${r.score.toFixed(3)} ${r.name}`).join('\n') || '  (nothing)';
      process.stdout.write(`${query}\n  answer: ${answerOf(meant)}${detail(meant).replace(/[",]/g, '')}\n${list}\n`);
    }
  }
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'search') await search(rest);
else fail(command ? `unknown command ${command}` : 'no command given');
