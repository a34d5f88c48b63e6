import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/schema';

describe('configuration', () => {
  it('starts with no configuration at all: embedded database, port 8787', () => {
    const parsed = parseConfig({});
    expect(parsed.ok && parsed.value).toMatchObject({
      port: 8787,
      databaseUrl: undefined,
      dataDir: './data',
      telegram: undefined,
      publicUrl: 'http://localhost:8787',
    });
  });

  it('names every bad variable and what it expects, on its own line, without echoing secrets', () => {
    const parsed = parseConfig({ PORT: 'eighty', TELEGRAM_BOT_TOKEN: 'not-a-token', DATABASE_URL: 'mysql://x' });
    expect(parsed.ok).toBe(false);
    const lines = (!parsed.ok && parsed.message?.split('\n')) || [];
    expect(lines).toContain('PORT: expected a port number (got "eighty")');
    expect(lines.find((l) => l.startsWith('TELEGRAM_BOT_TOKEN:'))).toContain('(got a value)');
    expect(lines.find((l) => l.startsWith('DATABASE_URL:'))).toBe('DATABASE_URL: expected a postgres:// connection URL (got a value)');
  });

  it('requires the webhook secret with a Telegram token, and a server secret in production', () => {
    const parsed = parseConfig({ NODE_ENV: 'production', TELEGRAM_BOT_TOKEN: '123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    const message = !parsed.ok ? parsed.message : '';
    expect(message).toContain('TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_BOT_TOKEN is set');
    expect(message).toContain('APP_SECRET: required in production');
  });

  it('refuses on Workers what needs a filesystem: the folder blob store and a generated secret', () => {
    const parsed = parseConfig({ PUBLIC_URL: 'https://motcua.example.vn' }, 'workers');
    const lines = (!parsed.ok && parsed.message?.split('\n')) || [];
    expect(lines.find((l) => l.startsWith('S3_ENDPOINT:'))).toContain('no filesystem for scanned documents');
    expect(lines.find((l) => l.startsWith('APP_SECRET:'))).toContain('required on Workers');
    // The same variables start a Node process, which keeps scans in DATA_DIR.
    expect(parseConfig({ PUBLIC_URL: 'https://motcua.example.vn' }).ok).toBe(true);
    const bucket = { S3_ENDPOINT: 'https://acc.r2.cloudflarestorage.com', S3_BUCKET: 'scans', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' };
    const workers = parseConfig({ ...bucket, APP_SECRET: 'x'.repeat(32) }, 'workers');
    expect(workers.ok && workers.value.certification.blobs.kind).toBe('s3');
  });

  it('shows codes with the development sender only on the zero-configuration local start, or when asked for', () => {
    const on = (env: Record<string, string>) => {
      const parsed = parseConfig(env);
      return parsed.ok ? parsed.value.devOtpSender : parsed.message;
    };
    expect(on({})).toBe(true);
    // A deployment that forgot NODE_ENV: a public address, or a server open to the network.
    expect(on({ PUBLIC_URL: 'https://motcua.example.vn' })).toBe(false);
    expect(on({ HOST: '0.0.0.0' })).toBe(false);
    expect(on({ NODE_ENV: 'production', APP_SECRET: 'x'.repeat(32) })).toBe(false);
    expect(on({ OTP_DEV_SENDER: 'false' })).toBe(false);
    expect(on({ OTP_DEV_SENDER: 'true', PUBLIC_URL: 'http://127.0.0.1:8787', HOST: '0.0.0.0' })).toBe(true);
    expect(on({ OTP_DEV_SENDER: 'true', PUBLIC_URL: 'https://motcua.example.vn' })).toMatch(/^OTP_DEV_SENDER: refused while PUBLIC_URL is not a local address/);
    expect(on({ OTP_DEV_SENDER: 'true', NODE_ENV: 'production', APP_SECRET: 'x'.repeat(32) })).toMatch(/^OTP_DEV_SENDER: refused in production/);
  });

  it('treats empty variables as unset', () => {
    const parsed = parseConfig({ PORT: '', DATABASE_URL: '' });
    expect(parsed.ok && parsed.value.port).toBe(8787);
  });

  it('stops start-up with exit code 2 and one line per bad variable', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'runtime/node.ts'], {
      env: { PATH: process.env.PATH, PORT: '99999', LOG_LEVEL: 'loud' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('PORT: expected 1-65535 (got "99999")');
    expect(run.stderr).toContain('LOG_LEVEL: expected debug, info, warn or error (got "loud")');
  });
});
