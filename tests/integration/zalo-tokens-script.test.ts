import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TOKEN_SEAL_PURPOSE } from '../../bot/channels/zalo/channel';
import { openDatabase } from '../../db/open';
import { zaloTokens } from '../../db/schema';
import { createSealer } from '../../lib/seal';
import { type FakeZalo, startFakeZalo } from '../fakes/zalo-server';

const run = promisify(execFile);
const APP = { appId: '3608465248940903967', appSecret: 'zalo-app-secret' };
const APP_SECRET = 'script-test-secret-script-test-secret-12';

let zalo: FakeZalo;
let dataDir: string;
beforeAll(async () => {
  zalo = await startFakeZalo({ ...APP, accessToken: 'access-0', refreshToken: 'refresh-from-console' });
  dataDir = mkdtempSync(join(tmpdir(), 'zalo-tokens-'));
});
// Each test counts only the calls it caused, whichever ran before it.
beforeEach(() => {
  zalo.calls.length = 0;
});
afterAll(async () => {
  await zalo.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function script(...args: string[]) {
  const env = {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    APP_SECRET,
    DATA_DIR: dataDir,
    ZALO_APP_ID: APP.appId,
    ZALO_APP_SECRET: APP.appSecret,
    ZALO_OA_SECRET_KEY: 'oa-secret-key-for-tests',
    ZALO_API_BASE: zalo.url,
    ZALO_OAUTH_BASE: zalo.url,
    ZALO_ZNS_BASE: zalo.url,
  };
  return run(process.execPath, ['--import', 'tsx', 'scripts/zalo-tokens.ts', ...args], { env, timeout: 60_000 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

describe('npm run zalo:tokens', () => {
  it('refuses to run without a refresh token, saying how to call it', async () => {
    const result = await script();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--refresh-token is required');
  });

  it('trades the console refresh token for a fresh pair and stores it sealed', async () => {
    const result = await script('--refresh-token', 'refresh-from-console');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Zalo OA tokens stored.');
    expect(zalo.callsTo('oauth')).toHaveLength(1);

    const database = await openDatabase({ dataDir });
    try {
      const [row] = await database.db.select().from(zaloTokens);
      const sealer = createSealer(APP_SECRET, TOKEN_SEAL_PURPOSE);
      expect(row && sealer.unseal(row.refreshToken)).toEqual({ ok: true, value: zalo.state.refreshToken });
      expect(row && sealer.unseal(row.accessToken)).toEqual({ ok: true, value: zalo.state.accessToken });
    } finally {
      await database.close();
    }
  });

  it('fails with the reason when Zalo refuses the refresh token', async () => {
    const result = await script('--refresh-token', 'already-used-token');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('answered -14014: refresh token is invalid or used');
  });
});
