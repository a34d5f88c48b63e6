import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort, npmStartArgs, start, stop, waitFor } from '../../tests/support/processes';

/** The fake Bot API accepts any token that looks like one; the webhook checks this secret. */
export const BENCH_TOKEN = '123456:BENCH-token-for-the-fake-bot-api';
export const BENCH_SECRET = 'bench-webhook-secret-0123456789';
/** Distinct chats the updates come from, so per-chat state is spread like real traffic. */
const CHATS = 5000;

export interface Running {
  pid: number;
  port: number;
  stop(): Promise<void>;
}

/** The assistant's environment for a webhook benchmark: production mode, loopback, Telegram on the fake, no delivery. */
export const appEnv = (apiRoot: string) => ({
  NODE_ENV: 'production',
  APP_SECRET: 'bench-app-secret-bench-app-secret-bench-app',
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  DELIVERY_ENABLED: 'false',
  TELEGRAM_BOT_TOKEN: BENCH_TOKEN,
  TELEGRAM_WEBHOOK_SECRET: BENCH_SECRET,
  TELEGRAM_API_ROOT: apiRoot,
});

/**
 * How `npm start` runs the assistant in `root` (its package.json's start script: the bundle through
 * runtime/start.mjs, with its V8 flags), or, for an older checkout made before the bundle, its
 * sources through tsx.
 */
export function assistantEntry(root: string): string[] {
  return existsSync(resolve(root, 'runtime/start.mjs')) ? npmStartArgs(root) : ['--import', 'tsx', resolve(root, 'runtime/node.ts')];
}

/** Starts `node [nodeArgs] entry args(port)` on a free port and waits for its /healthz. */
export async function launchNode(entry: string[], args: (port: number) => string[], env: Record<string, string>, nodeArgs: string[] = []): Promise<Running> {
  const port = await freePort();
  const child = start(process.execPath, [...nodeArgs, ...entry, ...args(port)], { ...env, PORT: String(port) });
  try {
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 60_000, 50);
  } catch (error) {
    await stop(child);
    throw new Error(`${entry.join(' ')} did not start: ${error instanceof Error ? error.message : String(error)}\n${child.output()}`);
  }
  return { pid: child.pid ?? 0, port, stop: () => stop(child) };
}

let updateId = 1_000_000;
/** The next Telegram text update, from one of CHATS chats in turn, as the webhook receives it. */
export function textUpdate(text: string): string {
  const id = ++updateId;
  const chat = 10_000_000 + (id % CHATS);
  return `{"update_id":${id},"message":{"message_id":${id},"from":{"id":${chat},"is_bot":false,"first_name":"Bench","language_code":"vi"},"chat":{"id":${chat},"first_name":"Bench","type":"private"},"date":1795395600,"text":${JSON.stringify(text)}}}`;
}
