import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server';
import { TELEGRAM_TEST_ENV } from '../support/telegram-app';

const run = promisify(execFile);
let fake: FakeTelegram;
beforeAll(async () => {
  fake = await startFakeTelegram();
});
afterAll(async () => fake.stop());

async function script(args: string[], env: Record<string, string> = { ...TELEGRAM_TEST_ENV, TELEGRAM_API_ROOT: fake.apiRoot }) {
  const { PATH = '', HOME = '' } = process.env;
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/telegram-webhook.ts', ...args], {
      // APP_SECRET given, so the script has no reason to write a dev secret anywhere.
      env: { PATH, HOME, APP_SECRET: 'script-test-secret-script-test-secret-0', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return z.object({ code: z.number(), stdout: z.string(), stderr: z.string() }).parse(error);
  }
}

describe('npm run telegram:webhook', () => {
  it('sets the webhook with the secret and the update types, then prints the webhook info', async () => {
    fake.reset();
    const result = await script(['--url', 'https://bot.example.vn', '--drop-pending']);
    expect(result.code).toBe(0);
    expect(fake.webhook()).toEqual({
      url: 'https://bot.example.vn/webhooks/telegram',
      secret_token: TELEGRAM_TEST_ENV.TELEGRAM_WEBHOOK_SECRET,
      allowed_updates: ['message', 'callback_query'],
      drop_pending_updates: true,
    });
    expect(fake.calls('getWebhookInfo')).toHaveLength(1);
    expect(result.stdout).toContain('"url": "https://bot.example.vn/webhooks/telegram"');
    expect(result.stdout).not.toContain(TELEGRAM_TEST_ENV.TELEGRAM_WEBHOOK_SECRET);
  });

  it('keeps a full webhook URL as given and does not drop pending updates unless asked', async () => {
    fake.reset();
    expect((await script(['--url', 'https://bot.example.vn/webhooks/telegram'])).code).toBe(0);
    expect(fake.webhook()).toMatchObject({ url: 'https://bot.example.vn/webhooks/telegram', drop_pending_updates: false });
  });

  it('refuses a plain http URL and sets nothing', async () => {
    fake.reset();
    const result = await script(['--url', 'http://bot.example.vn']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('https://');
    expect(fake.calls()).toEqual([]);
  });

  it('says what to set when Telegram is not configured', async () => {
    const result = await script(['--url', 'https://bot.example.vn'], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('TELEGRAM_BOT_TOKEN');
  });
});
