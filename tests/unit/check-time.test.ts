// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the sources under test are code held in strings
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTimeReadings, isAllowed } from '../../scripts/check-time';

const readings = (source: string, file = 'domain/example.ts') => findTimeReadings(file, source).map((f) => `${f.line}:${f.reading}`);

describe('the time check (npm run check)', () => {
  it('finds every way of reading the machine or the database clock', () => {
    const source = [
      'const a = Date.now();',
      'const b = new Date();',
      "const c = timestamp('x').notNull().defaultNow();",
      'const d = sql`update t set at = now() where id = ${id}`;',
      'const e = sql`select clock_timestamp()`;',
      'const f = sql`insert into t values (${x}, current_timestamp)`;',
    ].join('\n');
    expect(readings(source)).toEqual(['1:Date.now()', '2:new Date()', '3:defaultNow()', '4:SQL time', '5:SQL time', '6:SQL time']);
  });

  it('leaves alone what only mentions them or takes its time from elsewhere', () => {
    const source = [
      '// Date.now() and new Date() in a comment',
      "const a = 'Date.now()';",
      'const b = new Date(clock.now().getTime() + 1000);',
      'const c = clock.now();',
      'const d = sql`select ${ts(now)} as at, known_now from t`;',
      'const e = performance.now();',
    ].join('\n');
    expect(readings(source)).toEqual([]);
  });

  it('allows real time only in the places lib/clock.ts names, and only of their kind', () => {
    const at = (file: string, reading: 'Date.now()' | 'SQL time') => isAllowed({ file, line: 1, reading, text: '' });
    expect(at('lib/clock.ts', 'Date.now()')).toBe(true);
    expect(at('domain/messaging/pacing.ts', 'SQL time')).toBe(true);
    expect(at('domain/messaging/pacing.ts', 'Date.now()')).toBe(false);
    expect(at('domain/messaging/delivery-loop.ts', 'Date.now()')).toBe(false);
    expect(at('bench/webhook.ts', 'Date.now()')).toBe(true);
  });

  it('fails the command on a Date.now() in domain code and names the line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'check-time-'));
    const file = join(dir, 'late.ts');
    writeFileSync(file, 'export const due = () => Date.now() + 1000;\n');
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/check-time.ts', file], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      const failed = error as { status: number; stderr: string };
      status = failed.status;
      stderr = failed.stderr;
    }
    expect(status).toBe(1);
    expect(stderr).toContain(`${file}:1: Date.now() reads real time`);
  });
});
