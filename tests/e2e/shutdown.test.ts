import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_HEADER } from '../../bot/channels/telegram/webhook';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server';
import { freePort, start, stop, waitFor } from '../support/processes';
import { TELEGRAM_TEST_ENV, textUpdate } from '../support/telegram-app';

/**
 * The Node entry (runtime/node.ts, from the sources) as a process, against a Bot API that takes
 * a second to answer. Issue 14, finding 11: SIGTERM cut every webhook in flight; finding 13: a
 * client that never finishes its request kept its connection.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'mc-shutdown-'));
const children: ChildProcess[] = [];
let fake: FakeTelegram;
beforeAll(async () => {
  fake = await startFakeTelegram({ delayMs: 1_000 });
});
afterAll(async () => {
  for (const child of children) await stop(child);
  await fake.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function startService(name: string, env: Record<string, string> = {}) {
  const port = await freePort();
  const child = start(process.execPath, ['--import', 'tsx', 'runtime/node.ts'], {
    PORT: String(port),
    DATA_DIR: join(dataDir, name),
    DELIVERY_ENABLED: 'false',
    LOG_LEVEL: 'warn',
    ...TELEGRAM_TEST_ENV,
    TELEGRAM_API_ROOT: fake.apiRoot,
    ...env,
  });
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${base}/healthz`)).ok, 60_000, 100).catch((error: unknown) => {
    throw new Error(`the service did not start (${String(error)}):\n${child.output()}`);
  });
  return { port, base, child };
}

const post = (base: string, update: unknown) =>
  fetch(`${base}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SECRET_HEADER]: TELEGRAM_TEST_ENV.TELEGRAM_WEBHOOK_SECRET },
    body: JSON.stringify(update),
  });

describe('the Node entry', () => {
  it('on SIGTERM answers the webhooks in flight, refuses new ones, and exits 0', async () => {
    const { base, child } = await startService('drain');
    expect((await post(base, textUpdate(9_400_000, 'menu'))).status).toBe(200); // getMe done, the bot ready
    const before = fake.calls('sendMessage').length;
    const answers = Array.from({ length: 10 }, (_, i) =>
      post(base, textUpdate(9_400_001 + i, 'menu')).then(
        (res) => res.status,
        () => 'cut',
      ),
    );
    // All ten are waiting for the Bot API to answer their reply.
    await waitFor(async () => fake.calls('sendMessage').length >= before + 10, 20_000);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    await waitFor(
      async () =>
        await post(base, textUpdate(9_400_100, 'menu')).then(
          () => false,
          () => true,
        ),
      5_000,
      20,
    );
    expect(await Promise.all(answers)).toEqual(Array(10).fill(200));
    expect(await exited).toBe(0);
  }, 90_000);

  it('cuts a client that never finishes its request headers', async () => {
    const { port } = await startService('slow-client', { HTTP_HEADERS_TIMEOUT_MS: '500', HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '400' });
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let closed = false;
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
    });
    socket.on('close', () => {
      closed = true;
    });
    socket.on('error', () => {});
    socket.write('POST /chat/messages HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
    await waitFor(async () => closed, 20_000, 50);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 90_000);
});
