/**
 * `npm run check` step: no code reads the machine's or the database's clock except where
 * lib/clock.ts says it may. Finds, in the syntax tree (so comments and strings that merely
 * mention them do not count): `Date.now()`, `new Date()` without an argument, drizzle's
 * `defaultNow()`, and SQL time functions (`now()`, `clock_timestamp()`, `current_timestamp`...)
 * inside template literals.
 *
 * Usage: `tsx scripts/check-time.ts` (every tracked .ts/.mts/.mjs file) or with file paths.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

export type TimeReading = 'Date.now()' | 'new Date()' | 'defaultNow()' | 'SQL time';

export interface Finding {
  file: string;
  line: number;
  reading: TimeReading;
  text: string;
}

/**
 * Where real time is read on purpose, and why (lib/clock.ts names the same places). A path that
 * ends in `/` covers a folder.
 */
export const ALLOWED: { path: string; readings: TimeReading[]; why: string }[] = [
  {
    path: 'lib/clock.ts',
    readings: ['Date.now()', 'new Date()'],
    why: 'systemClock and realTimer: the one source of real time, handed down by the composition roots',
  },
  {
    path: 'domain/messaging/pacing.ts',
    readings: ['SQL time'],
    why: "the shared pacing timeline is stepped on the database's clock, so workers whose machines disagree share one timeline",
  },
  { path: 'bench/', readings: ['Date.now()', 'new Date()', 'SQL time'], why: 'benchmarks measure real time' },
  { path: 'tests/fakes/', readings: ['Date.now()', 'new Date()'], why: 'the fakes play Telegram, Zalo and SMS gateways, which live on real time' },
  { path: 'tests/support/processes.ts', readings: ['Date.now()'], why: "a real child process's readiness deadline" },
  { path: 'scripts/check-time.ts', readings: ['SQL time'], why: 'the pattern it looks for' },
  { path: 'tests/unit/check-time.test.ts', readings: ['Date.now()', 'new Date()', 'defaultNow()', 'SQL time'], why: 'examples the check must catch' },
];

const SQL_TIME =
  /\b(now\s*\(\s*\)|clock_timestamp\s*\(|statement_timestamp\s*\(|transaction_timestamp\s*\(|current_timestamp\b|localtimestamp\b|current_date\b)/i;

/** Every reading of real time in one source file, allowed or not. */
export function findTimeReadings(file: string, source: string): Finding[] {
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Finding[] = [];
  const add = (node: ts.Node, reading: TimeReading) => {
    const line = tree.getLineAndCharacterOfPosition(node.getStart(tree)).line + 1;
    found.push({ file, line, reading, text: node.getText(tree).slice(0, 80) });
  };
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const { expression, name } = node.expression;
      if (name.text === 'now' && ts.isIdentifier(expression) && expression.text === 'Date') add(node, 'Date.now()');
      if (name.text === 'defaultNow') add(node, 'defaultNow()');
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'Date' && (node.arguments?.length ?? 0) === 0) {
      add(node, 'new Date()');
    }
    if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      if (SQL_TIME.test(node.text)) add(node, 'SQL time');
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  return found;
}

/** Whether a finding stands in a place that may read real time. */
export function isAllowed(finding: Finding): boolean {
  return ALLOWED.some((a) => (a.path.endsWith('/') ? finding.file.startsWith(a.path) : finding.file === a.path) && a.readings.includes(finding.reading));
}

function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.mts', '*.mjs'], { encoding: 'utf8' });
  return out.split('\n').filter((f) => f && !f.startsWith('db/migrations/') && !f.startsWith('dist/'));
}

function main(files: string[]): number {
  const bad = files.flatMap((file) => findTimeReadings(file, readFileSync(file, 'utf8'))).filter((f) => !isAllowed(f));
  for (const f of bad) {
    process.stderr.write(`${f.file}:${f.line}: ${f.reading} reads real time: ${f.text}\n`);
  }
  if (bad.length > 0) {
    process.stderr.write(
      `\n${bad.length} reading(s) of real time. Take the time from the injected Clock or Timer (lib/clock.ts says why and where real time is allowed).\n`,
    );
    return 1;
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  process.exitCode = main(args.length > 0 ? args : trackedFiles());
}
