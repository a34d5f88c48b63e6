import { describe, expect, it } from 'vitest';
import { createSmsGatewaySender } from '../../bot/channels/sms/gateway';
import { parseConfig } from '../../config/schema';
import { otpSealer } from '../../domain/certification/otp';
import type { SmsGatewayConfig } from '../../vocabulary/settings';

const SECRET = 'gateway-test-secret-gateway-test-secret-0';
const sealer = otpSealer(SECRET);
const config: SmsGatewayConfig = {
  url: 'http://127.0.0.1:9/send',
  authHeader: ['X-Api-Key', 'k-123'],
  body: { to: '{{phoneDigits}}', text: '{{text}}', meta: { id: '{{requestId}}', keep: 5 } },
  successField: 'result.code',
  successValues: ['100', '124'],
  ratePerSecond: 1,
};

function sender(answer: () => Response | Promise<Response>, seen: Request[] = [], overrides: Partial<SmsGatewayConfig> = {}) {
  return createSmsGatewaySender({
    config: { ...config, ...overrides },
    otpText: 'Ma {{code}} ({{minutes}} phut). Khong chia se.',
    sealer,
    fetch: async (input, init) => {
      seen.push(new Request(input, init));
      return answer();
    },
  });
}

const otp = { purpose: 'otp' as const, sealedCode: sealer.seal('042917'), ttlMinutes: 5 };
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('SMS gateway sender', () => {
  it('fills the JSON template inside its strings, with the auth header, and keeps the request id across retries', async () => {
    const seen: Request[] = [];
    const s = sender(() => json(200, { result: { code: 100 } }), seen);
    expect(await s.send('+84912345678', otp)).toEqual({ status: 'sent' });
    await s.send('+84912345678', otp);
    const [first, second] = await Promise.all(seen.map((r) => r.json()));
    expect(first).toEqual({ to: '84912345678', text: 'Ma 042917 (5 phut). Khong chia se.', meta: { id: expect.stringMatching(/^[0-9a-f]{32}$/), keep: 5 } });
    expect(second.meta.id).toBe(first.meta.id);
    expect(seen[0]?.headers.get('x-api-key')).toBe('k-123');
  });

  it('cannot be steered by a message: quotes and braces stay inside the string', async () => {
    const seen: Request[] = [];
    await sender(() => json(200, { result: { code: '100' } }), seen).send('+84912345678', { purpose: 'notification', text: '"}, "to": "+1", {{phone}}' });
    expect(await seen[0]?.json()).toMatchObject({ to: '84912345678', text: '"}, "to": "+1", {{phone}}' });
  });

  it.each([
    ['a success code', () => json(200, { result: { code: '100' } }), { status: 'sent' }],
    ['a duplicate request id (already accepted)', () => json(200, { result: { code: '124' } }), { status: 'sent' }],
    [
      'a refusal code',
      () => json(200, { result: { code: '99' }, ErrorMessage: 'Phone blocked' }),
      { status: 'invalid', error: expect.stringContaining('Phone blocked') },
    ],
    ['429 with Retry-After', () => json(429, {}, { 'retry-after': '30' }), { status: 'retry', retryAfterMs: 30_000 }],
    ['a server error', () => json(503, {}), { status: 'retry' }],
    ['a client error', () => json(400, { message: 'bad phone' }), { status: 'invalid' }],
    ['an answer that is not JSON', () => new Response('<html>', { status: 200 }), { status: 'retry' }],
  ])('maps %s to a send outcome', async (_name, answer, outcome) => {
    expect(await sender(answer).send('+84912345678', otp)).toMatchObject(outcome);
  });

  it('retries when the gateway cannot be reached', async () => {
    const s = createSmsGatewaySender({
      config,
      otpText: '{{code}}',
      sealer,
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    expect(await s.send('+84912345678', otp)).toMatchObject({ status: 'retry', error: expect.stringContaining('unreachable') });
  });

  it('counts any 2xx as sent when no success field is configured', async () => {
    expect(await sender(() => new Response('OK'), [], { successField: undefined }).send('+84912345678', otp)).toEqual({ status: 'sent' });
  });

  it('gives up on a code sealed with another key, and on a scrubbed row', async () => {
    const foreign = { purpose: 'otp' as const, sealedCode: otpSealer(`${SECRET}x`).seal('111111'), ttlMinutes: 5 };
    expect(await sender(() => json(200, {})).send('+84912345678', foreign)).toMatchObject({ status: 'invalid' });
    expect(await sender(() => json(200, {})).send('+84912345678', { purpose: 'scrubbed' })).toMatchObject({ status: 'invalid' });
  });
});

describe('certification configuration', () => {
  const base = { NODE_ENV: 'test', APP_SECRET: SECRET };
  it('defaults to the national fee table, the NIST-style OTP limits and a local blob folder under DATA_DIR', () => {
    const parsed = parseConfig({ ...base, DATA_DIR: '/srv/mc' });
    expect(parsed.ok && parsed.value.certification).toMatchObject({
      otp: {
        digits: 6,
        ttlSeconds: 300,
        maxAttempts: 5,
        perPhone: { quarterHour: 3, day: 7 },
        perPhoneDesk: { quarterHour: 3, day: 3 },
        perChat: { quarterHour: 3, day: 10 },
        perAddressDay: 30,
        channel: 'sms',
      },
      feeTable: { maxPerCopy: 200_000 },
      uploadMaxBytes: 20 * 1024 * 1024,
      blobs: { kind: 'local', dir: '/srv/mc/blobs' },
      sms: undefined,
    });
  });

  it.each([
    [{ OTP_TTL_SECONDS: '900' }, 'OTP_TTL_SECONDS: expected seconds of at most 600'],
    [{ CERTIFY_FEE_TABLE: '{nope' }, 'CERTIFY_FEE_TABLE: expected JSON'],
    [{ CERTIFY_FEE_TABLE: '{"tiers":[{"fromPage":2,"perPage":1}],"maxPerCopy":null}' }, 'CERTIFY_FEE_TABLE: tiers: the first tier must start at page 1'],
    [{ S3_BUCKET: 'scans' }, 'S3_ENDPOINT: required with S3_BUCKET'],
    [{ SMS_GATEWAY_BODY: '{"a":1}' }, 'SMS_GATEWAY_URL: required when SMS_GATEWAY_BODY'],
    [{ SMS_GATEWAY_URL: 'https://sms.example/send', SMS_GATEWAY_AUTH_HEADER: 'nonsense' }, 'SMS_GATEWAY_AUTH_HEADER: expected a header line'],
    [{ SMS_OTP_TEXT: 'no code here' }, 'SMS_OTP_TEXT: expected a text containing {{code}}'],
    [{ OTP_CHANNEL: 'email' }, 'OTP_CHANNEL: expected sms or zns'],
  ])('explains a bad value %o', (env, message) => {
    const parsed = parseConfig({ ...base, ...env });
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.message).toContain(message);
  });

  it('configures an S3 bucket only with all four variables', () => {
    const parsed = parseConfig({ ...base, S3_ENDPOINT: 'https://s3.example', S3_BUCKET: 'scans', S3_ACCESS_KEY_ID: 'AK', S3_SECRET_ACCESS_KEY: 'SK' });
    expect(parsed.ok && parsed.value.certification.blobs).toEqual({
      kind: 's3',
      endpoint: 'https://s3.example',
      bucket: 'scans',
      region: 'auto',
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
    });
  });
});
