import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DatabaseHandle } from '../../../db/open';
import { citizens, identities, otpChallenges, outbox } from '../../../db/schema';
import { issueOtp, type OtpDeps, otpSealer, verifyOtp } from '../../../domain/certification/otp';
import * as crypto from '../../../lib/crypto';
import { DEFAULT_OTP_POLICY } from '../../../vocabulary/settings';
import { createFakeClock } from '../../support/clock';
import { createTestDatabase, testDatabaseKind } from '../../support/database';

vi.mock('../../../lib/crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../lib/crypto')>();
  return { ...original, constantTimeEqual: vi.fn(original.constantTimeEqual) };
});

const SECRET = 'otp-test-secret-otp-test-secret-0123456789';
const deps: OtpDeps = { secret: SECRET, policy: DEFAULT_OTP_POLICY, channel: 'sms' };
const MINUTE = 60_000;

let database: DatabaseHandle;
const clock = createFakeClock('2026-11-23T01:00:00Z');
let phoneSeq = 0;
let chatSeq = 1_000_000;
const freshPhone = () => `+8491${String(1_000_000 + ++phoneSeq).slice(-7)}`;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.close());
beforeEach(() => clock.set('2026-11-23T01:00:00Z'));

async function issue(phone: string, identityId: number | null = null, deliver = true, origin?: string) {
  const result = await database.db.transaction((tx) => issueOtp(tx, deps, { phone, identityId, deliver, now: clock.now(), ...(origin ? { origin } : {}) }));
  if (!result.ok) return { result, code: '' };
  const [row] = await database.db
    .select({ payload: outbox.payload })
    .from(outbox)
    .where(eq(outbox.dedupeKey, `otp:${result.value.challengeId}`));
  const payload = row?.payload;
  const sealed = payload && 'phone' in payload && payload.phone.purpose === 'otp' ? payload.phone.sealedCode : '';
  const opened = otpSealer(SECRET).unseal(sealed ?? '');
  return { result, code: opened.ok ? opened.value : '', sealed };
}

async function issued(phone: string, identityId: number | null = null) {
  const { result, code, sealed } = await issue(phone, identityId);
  if (!result.ok) throw new Error('expected a code');
  return { challengeId: result.value.challengeId, code, sealed: sealed ?? '' };
}

const verify = (challengeId: string, code: string, identityId: number | null = null) =>
  database.db.transaction((tx) => verifyOtp(tx, deps, { challengeId, code, identityId, now: clock.now() }));

const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe(`OTP rules (${testDatabaseKind})`, () => {
  it('issues 6 decimal digits and keeps only an HMAC bound to the challenge and the phone', async () => {
    const phone = freshPhone();
    const { challengeId, code, sealed } = await issued(phone);
    expect(code).toMatch(/^\d{6}$/);
    expect(sealed).not.toContain(code);
    const [row] = await database.db.select().from(otpChallenges).where(eq(otpChallenges.id, challengeId));
    expect(JSON.stringify(row)).not.toContain(code);
    expect(row?.codeHmac).toBe(crypto.hmacHex(SECRET, `otp:v1:${challengeId}:${phone}:${code}`));
    // The same code under another challenge or phone is another HMAC.
    expect(row?.codeHmac).not.toBe(crypto.hmacHex(SECRET, `otp:v1:${challengeId}:${freshPhone()}:${code}`));
  });

  it('draws codes from the CSPRNG, uniformly enough that 300 codes are nearly all different', async () => {
    const codes = new Set(Array.from({ length: 300 }, () => crypto.randomDigits(6)));
    expect(codes.size).toBeGreaterThan(290);
  });

  it('accepts a code for 5 minutes and not a second longer', async () => {
    const early = await issued(freshPhone());
    clock.advance(5 * MINUTE - 1000);
    expect((await verify(early.challengeId, early.code)).ok).toBe(true);

    const late = await issued(freshPhone());
    clock.advance(5 * MINUTE);
    expect(await verify(late.challengeId, late.code)).toEqual({ ok: false, reason: 'expired' });
  });

  it('accepts a code once', async () => {
    const { challengeId, code } = await issued(freshPhone());
    expect((await verify(challengeId, code)).ok).toBe(true);
    expect(await verify(challengeId, code)).toEqual({ ok: false, reason: 'expired' });
  });

  it('lets only one of several simultaneous uses of a code through', async () => {
    const { challengeId, code } = await issued(freshPhone());
    const results = await Promise.all(Array.from({ length: 5 }, () => verify(challengeId, code)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it('kills a code after 5 wrong tries, even for the right code afterwards', async () => {
    const { challengeId, code } = await issued(freshPhone());
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await verify(challengeId, wrong(code)));
    expect(answers).toEqual([
      { ok: false, reason: 'wrong_code', triesLeft: 4 },
      { ok: false, reason: 'wrong_code', triesLeft: 3 },
      { ok: false, reason: 'wrong_code', triesLeft: 2 },
      { ok: false, reason: 'wrong_code', triesLeft: 1 },
      { ok: false, reason: 'too_many_tries' },
    ]);
    expect(await verify(challengeId, code)).toEqual({ ok: false, reason: 'too_many_tries' });
  });

  it('counts simultaneous wrong tries one by one, never letting more than 5 be checked', async () => {
    const { challengeId, code } = await issued(freshPhone());
    const results = await Promise.all(Array.from({ length: 12 }, () => verify(challengeId, wrong(code))));
    expect(results.filter((r) => !r.ok && r.reason === 'wrong_code')).toHaveLength(4);
    const [row] = await database.db.select().from(otpChallenges).where(eq(otpChallenges.id, challengeId));
    expect(row?.failedAttempts).toBe(5);
  });

  it('sends at most 3 codes per phone in 15 minutes', async () => {
    const phone = freshPhone();
    for (let i = 0; i < 3; i++) expect((await issue(phone, await chatId())).result.ok).toBe(true);
    const fourth = await issue(phone, await chatId());
    expect(fourth.result).toMatchObject({ ok: false, reason: 'rate_limited', retryAfterMs: 15 * MINUTE });
    clock.advance(15 * MINUTE + 1000);
    expect((await issue(phone, await chatId())).result.ok).toBe(true);
  });

  it('sends chats that have not proved the phone at most 7 codes a day, however many chats ask', async () => {
    const phone = freshPhone();
    for (let i = 0; i < 7; i++) {
      expect((await issue(phone, await chatId())).result.ok).toBe(true);
      clock.advance(20 * MINUTE);
    }
    const eighth = await issue(phone, await chatId());
    expect(eighth.result).toMatchObject({ ok: false, reason: 'rate_limited' });
    clock.advance(24 * 60 * MINUTE - 6 * 20 * MINUTE);
    expect((await issue(phone, await chatId())).result.ok).toBe(true);
  });

  it('gives the staff desk its own 3 codes a day per phone', async () => {
    const phone = freshPhone();
    for (let i = 0; i < 3; i++) {
      expect((await issue(phone)).result.ok).toBe(true);
      clock.advance(20 * MINUTE);
    }
    expect((await issue(phone)).result).toMatchObject({ ok: false, reason: 'rate_limited' });
  });

  it("never lets strangers lock out the citizen's proven chat or the staff desk, nor void their codes", async () => {
    const phone = freshPhone();
    const citizensChat = await provenChat(phone);
    const mine = await issued(phone, citizensChat);
    const desk = await issued(phone);
    // Strangers ask for the phone's codes while the citizen is typing theirs...
    for (let i = 0; i < 2; i++) expect((await issue(phone, await chatId())).result.ok).toBe(true);
    expect((await verify(mine.challengeId, mine.code, citizensChat)).ok).toBe(true);
    expect((await verify(desk.challengeId, desk.code)).ok).toBe(true);
    // ...and then all day long, with any number of chats, until their budget is spent.
    let strangerCodes = 2;
    for (let i = 0; i < 40; i++) {
      if ((await issue(phone, await chatId())).result.ok) strangerCodes++;
      clock.advance(MINUTE);
    }
    expect(strangerCodes).toBe(DEFAULT_OTP_POLICY.perPhone.day);
    expect((await issue(phone, citizensChat)).result.ok).toBe(true);
    expect((await issue(phone)).result.ok).toBe(true);
  });

  it('sends at most 30 codes a day asked from one network address, whatever phones and chats it uses', async () => {
    for (let i = 0; i < DEFAULT_OTP_POLICY.perAddressDay; i++) expect((await issue(freshPhone(), await chatId(), true, '198.51.100.40')).result.ok).toBe(true);
    expect((await issue(freshPhone(), await chatId(), true, '198.51.100.40')).result).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect((await issue(freshPhone(), await chatId(), true, '198.51.100.41')).result.ok).toBe(true);
  });

  it('keeps the guessing chance per phone per day at most 5e-5 for everyone who has not proved the phone', async () => {
    const phone = freshPhone();
    let codes = 0;
    // A day of asking every quarter of an hour, twice from new chats and once from the desk.
    for (let quarter = 0; quarter < 24 * 4; quarter++) {
      for (const chat of [await chatId(), await chatId(), null]) if ((await issue(phone, chat)).result.ok) codes++;
      clock.advance(15 * MINUTE);
    }
    const { maxAttempts, digits } = DEFAULT_OTP_POLICY;
    expect(codes).toBe(DEFAULT_OTP_POLICY.perPhone.day + DEFAULT_OTP_POLICY.perPhoneDesk.day);
    expect((codes * maxAttempts) / 10 ** digits).toBeLessThanOrEqual(5e-5);
  });

  it('applies the same limits per chat, whatever phones it tries', async () => {
    const chat = await chatId();
    for (let i = 0; i < 3; i++) expect((await issue(freshPhone(), chat)).result.ok).toBe(true);
    expect((await issue(freshPhone(), chat)).result).toMatchObject({ ok: false, reason: 'rate_limited' });
    for (let i = 0; i < 7; i++) {
      clock.advance(16 * MINUTE);
      expect((await issue(freshPhone(), chat)).result.ok).toBe(true);
    }
    clock.advance(16 * MINUTE);
    expect((await issue(freshPhone(), chat)).result).toMatchObject({ ok: false, reason: 'rate_limited' });
  });

  it('counts codes for unregistered phones exactly like real ones, and they can never be verified', async () => {
    const phone = freshPhone();
    const ghost = await issue(phone, null, false);
    expect(ghost.result.ok).toBe(true);
    expect(ghost.sealed).toBe('');
    if (!ghost.result.ok) return;
    for (const code of ['000000', '123456', '999999']) {
      expect(await verify(ghost.result.value.challengeId, code)).toMatchObject({ ok: false, reason: 'wrong_code' });
    }
    await issue(phone, null, false);
    await issue(phone, null, false);
    expect((await issue(phone, null, false)).result).toMatchObject({ ok: false, reason: 'rate_limited' });
  });

  it('compares codes in constant time', async () => {
    const compare = vi.mocked(crypto.constantTimeEqual);
    compare.mockClear();
    const { challengeId, code } = await issued(freshPhone());
    await verify(challengeId, wrong(code));
    await verify(challengeId, code);
    expect(compare).toHaveBeenCalledTimes(2);
    for (const [a, b] of compare.mock.calls) {
      expect(a).toMatch(/^[0-9a-f]{64}$/);
      expect(b).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('voids the previous code when a new one is sent to the phone', async () => {
    const phone = freshPhone();
    const first = await issued(phone);
    const second = await issued(phone);
    expect(await verify(first.challengeId, first.code)).toEqual({ ok: false, reason: 'expired' });
    expect((await verify(second.challengeId, second.code)).ok).toBe(true);
  });

  it('binds a chat code to the chat that asked for it', async () => {
    const [mine, other] = [await chatId(), await chatId()];
    const { challengeId, code } = await issued(freshPhone(), mine);
    expect(await verify(challengeId, code, other)).toEqual({ ok: false, reason: 'expired' });
    expect(await verify(challengeId, code, null)).toEqual({ ok: false, reason: 'expired' });
    expect((await verify(challengeId, code, mine)).ok).toBe(true);
  });

  it('queues the code at OTP priority, ahead of everything else', async () => {
    const { challengeId } = await issued(freshPhone());
    const [row] = await database.db
      .select()
      .from(outbox)
      .where(eq(outbox.dedupeKey, `otp:${challengeId}`));
    expect(row).toMatchObject({ channel: 'sms', kind: 'otp', priority: 100, status: 'pending' });
  });
});

async function chatId(citizenId: number | null = null): Promise<number> {
  const now = clock.now();
  const [row] = await database.db
    .insert(identities)
    .values({ channel: 'web', externalId: `otp-chat-${++chatSeq}`, citizenId, createdAt: now, lastSeenAt: now })
    .returning({ id: identities.id });
  if (!row) throw new Error('no identity');
  return row.id;
}

/** A chat linked to the citizen who owns `phone`: it proved the phone before. */
async function provenChat(phone: string): Promise<number> {
  const [citizen] = await database.db.insert(citizens).values({ phone, createdAt: clock.now() }).returning({ id: citizens.id });
  return chatId(citizen?.id ?? null);
}
