import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dataDir = mkdtempSync(join(tmpdir(), 'mc-npm-start-'));
const started: ChildProcess[] = [];

afterAll(async () => {
  for (const child of started) {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  return typeof address === 'object' && address ? address.port : 0;
}

/** What `npm start` runs (runtime/start.mjs), with nothing configured but a port and a data folder. */
async function startService(): Promise<{ port: number; output: () => string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['runtime/start.mjs'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), DATA_DIR: dataDir, DELIVERY_ENABLED: 'false', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return { port, child, output: () => output };
}

async function firstReply(port: number, output: () => string): Promise<{ replies: { text: string }[] }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${port}/chat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ start: '' }),
    }).catch(() => null);
    if (res?.ok) return (await res.json()) as { replies: { text: string }[] };
    if (Date.now() > deadline) throw new Error(`no answer from npm start:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('npm start (runtime/start.mjs)', () => {
  it('runs the bundled service on a new DATA_DIR: it says what runs and greets in the web chat, then starts again on the same folder', async () => {
    const first = await startService();
    const greeting = await firstReply(first.port, first.output);
    expect(greeting.replies[0]?.text).toContain('Xin chào');
    expect(first.output()).toContain('Một Cửa Assistant is running');
    expect(first.output()).toContain(`embedded PGlite in ${dataDir}/pglite`);
    first.child.kill('SIGTERM');
    const [code] = await once(first.child, 'exit');
    expect(code).toBe(0);

    const again = await startService();
    expect((await firstReply(again.port, again.output)).replies[0]?.text).toContain('Xin chào');
  }, 120_000);
});
