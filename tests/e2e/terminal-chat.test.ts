import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Runs `npm run chat` (scripts/chat.ts) with `input` on its standard input, all at once. */
function chat(input: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/chat.ts'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'error' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
    child.stdin.end(input);
  });
}

describe('npm run chat (the dialog in a terminal)', () => {
  it('answers every line of input in turn, even lines that came while it was answering, then exits 0', async () => {
    const { code, output } = await chat('lam giay khai sinh\nphí bao nhiêu?\n\ncan mang gi\n');
    expect(code).toBe(0);
    // The card, then the fee section of the same procedure (the topic kept), then its papers.
    const card = output.indexOf('💰 Lệ phí: Miễn phí');
    const fee = output.indexOf('💰 Lệ phí\n');
    const papers = output.indexOf('📎 Giấy tờ cần mang');
    expect(card).toBeGreaterThan(0);
    expect(fee).toBeGreaterThan(card);
    expect(papers).toBeGreaterThan(fee);
  }, 60_000);
});
