import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { npmStartArgs } from '../support/processes';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function checkout(start: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'mc-start-args-'));
  made.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { start } }));
  return dir;
}

describe('npmStartArgs (what tests and benchmarks run as `npm start`)', () => {
  it("gives this checkout's start script: its V8 flags first, then the launcher by absolute path", () => {
    const args = npmStartArgs('.');
    expect(args.at(-1)).toBe(resolve('runtime/start.mjs'));
    expect(args).toContain('--max-semi-space-size=64');
  });

  it('resolves the launcher against the checkout it reads, for another checkout (bench --compare)', () => {
    const dir = checkout('node  --flag runtime/start.mjs ');
    expect(npmStartArgs(dir)).toEqual(['--flag', join(dir, 'runtime/start.mjs')]);
  });

  it('refuses a start script that is not a node command, naming it', () => {
    expect(() => npmStartArgs(checkout('tsx runtime/node.ts'))).toThrow(/not "node \.\.\.": tsx runtime\/node\.ts/);
    expect(() => npmStartArgs(checkout(undefined))).toThrow(/not "node \.\.\."/);
  });
});
