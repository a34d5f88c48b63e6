import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, npmStartArgs, start, stop, waitFor } from '../support/processes';

const dataDir = mkdtempSync(join(tmpdir(), 'mc-npm-start-'));
const started: ChildProcess[] = [];

afterAll(async () => {
  for (const child of started) await stop(child);
  rmSync(dataDir, { recursive: true, force: true });
});

/** What `npm start` runs (runtime/start.mjs), with nothing configured but a port and a data folder. */
async function startService() {
  const port = await freePort();
  const child = start(process.execPath, npmStartArgs('.'), { PORT: String(port), DATA_DIR: dataDir, DELIVERY_ENABLED: 'false', LOG_LEVEL: 'warn' });
  started.push(child);
  return { port, child };
}

/** The first web chat answer once the service listens. */
async function firstReply(port: number, output: () => string): Promise<{ replies: { text: string }[] }> {
  let body: unknown;
  const greet = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/chat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ start: '' }),
    });
    body = res.ok ? await res.json() : undefined;
    return res.ok;
  };
  await waitFor(greet, 60_000, 50).catch((error: unknown) => {
    throw new Error(`no answer from npm start (${String(error)}):\n${output()}`);
  });
  return body as { replies: { text: string }[] };
}

describe('npm start (runtime/start.mjs)', () => {
  it('runs the bundled service on a new DATA_DIR: it says what runs, greets in the web chat and opens the console to the first admin, then starts again on the same folder', async () => {
    const first = await startService();
    const greeting = await firstReply(first.port, first.child.output);
    expect(greeting.replies[0]?.text).toContain('Xin chào');
    expect(first.child.output()).toContain('Một Cửa Assistant is running');
    expect(first.child.output()).toContain(`embedded PGlite in ${dataDir}/pglite`);
    // The console opens on a fresh machine: the first start made an admin and said its one-time password.
    const password = /first admin account "admin", one-time password (\S+) /.exec(first.child.output())?.[1];
    expect(password).toBeDefined();
    const signIn = await fetch(`http://127.0.0.1:${first.port}/console/sign-in`, {
      method: 'POST',
      body: new URLSearchParams({ username: 'admin', password: password ?? '' }),
      redirect: 'manual',
    });
    expect([signIn.status, signIn.headers.get('location')]).toEqual([303, '/console/password']);
    await stop(first.child);
    expect(first.child.exitCode).toBe(0);

    const again = await startService();
    expect((await firstReply(again.port, again.child.output)).replies[0]?.text).toContain('Xin chào');
    // The account exists now: no second password is made or shown.
    expect(again.child.output()).not.toContain('one-time password');
  }, 120_000);
});
