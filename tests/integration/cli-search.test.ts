import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `npm run -s cli -- <args>` with the given stdin, as other programs do. */
function runCli(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '-s', 'cli', '--', ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** The shape other programs depend on; strict, so an added or renamed field fails here. */
const line = z.strictObject({
  query: z.string(),
  answer: z.enum(['card', 'choices', 'none']),
  intent: z.string().optional(),
  referral: z.string().optional(),
  dossier: z.literal(true).optional(),
  results: z.array(z.strictObject({ code: z.string(), name: z.string(), score: z.number().min(0).max(1) })),
});

describe('npm run -s cli -- search --top 3 --jsonl', () => {
  it('prints one JSON line per question, best first, in the documented shape', async () => {
    const questions = [
      'làm giấy khai sinh cho con cần gì',
      'chung thuc ban sao het bao nhieu tien',
      '',
      '😀',
      'register a marriage',
      'x'.repeat(3000),
      'làm hộ chiếu ở đâu',
      'cảm ơn nhé',
      'tra hồ sơ H19.22-261122-0001 giúp em',
    ];
    const { code, stdout } = await runCli(['search', '--top', '3', '--jsonl'], `${questions.join('\n')}\n`);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(questions.length);
    const parsed = lines.map((l) => line.parse(JSON.parse(l)));
    expect(parsed.map((p) => p.query)).toEqual(questions);
    expect(lines[0]).toMatch(
      /^\{"query": "làm giấy khai sinh cho con cần gì", "answer": "card", "results": \[\{"code": "1\.001193", "name": "Thủ tục đăng ký khai sinh", "score": 0\.\d+\}/,
    );
    // What the chat would do with each as a first message: a referral, everyday talk, a look-up.
    expect(parsed[6]).toMatchObject({ answer: 'none', referral: 'passport' });
    expect(parsed[7]).toMatchObject({ answer: 'none', intent: 'thanks' });
    expect(parsed[8]).toMatchObject({ answer: 'none', dossier: true });
    expect(parsed[2]?.answer).toBe('none');
    expect(parsed[1]?.results[0]?.code).toBe('2.000815');
    expect(parsed[4]?.results[0]?.code).toBe('1.000894');
    expect(parsed[2]?.results).toEqual([]);
    expect(parsed[3]?.results).toEqual([]);
    for (const p of parsed) {
      expect(p.results.length).toBeLessThanOrEqual(3);
      for (let i = 1; i < p.results.length; i++) expect(p.results[i]?.score).toBeLessThanOrEqual(p.results[i - 1]?.score ?? 1);
    }
  });

  it('refuses bad options with usage on stderr', async () => {
    const { code, stderr } = await runCli(['search', '--top', 'many'], '');
    expect(code).toBe(2);
    expect(stderr).toContain('usage:');
  });
});
