import { and, desc, eq, gt, isNotNull, isNull, lt, not, type SQL, sql } from 'drizzle-orm';
import { citizens, identities, otpChallenges, outbox } from '../../db/schema';
import type { Executor } from '../../db/types';
import { constantTimeEqual, hmacHex, randomDigits, randomToken } from '../../lib/crypto';
import { ok } from '../../lib/result';
import { createSealer, type Sealer } from '../../lib/seal';
import type { PhoneChannel } from '../../vocabulary/channels';
import type { CodeLimits, OtpPolicy } from '../../vocabulary/settings';
import { enqueue, PRIORITY } from '../messaging/outbox';
import { hit, msUntilWindowEnds, peek, type RateLimit } from '../messaging/rate-counters';

export interface OtpDeps {
  /** The server secret (APP_SECRET): the key of the code HMAC and, through HKDF, of the sealing. */
  secret: string;
  policy: OtpPolicy;
  /** Where codes go: an SMS gateway or Zalo ZNS. */
  channel: PhoneChannel;
}

/** The sealing of codes in the outbox: createSealer(APP_SECRET, 'otp'); every OTP sender (SMS, ZNS, dev) unseals with it. */
export const otpSealer = (secret: string): Sealer => createSealer(secret, 'otp');

const QUARTER_HOUR_MS = 15 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** HMAC(secret, id | phone | code): a stolen table reveals no code and a code fits one challenge only. */
const codeHmac = (secret: string, challengeId: string, phone: string, code: string) => hmacHex(secret, `otp:v1:${challengeId}:${phone}:${code}`);

export interface IssueInput {
  phone: string;
  /** The chat that asked (limits per chat apply), or null for a staff member on the telephone. */
  identityId: number | null;
  /** The staff member (actor ref) who asked on a caller's behalf. */
  requestedBy?: string;
  /** The network address the chat wrote from, where the channel sees one (the web chat). */
  origin?: string;
  /**
   * False for a phone with nothing to certify: the challenge is recorded and counted exactly like
   * a real one, so the answer is the same, but no code exists and nothing is sent.
   */
  deliver: boolean;
  now: Date;
}

export type IssueResult = { ok: true; value: { challengeId: string; expiresAt: Date } } | { ok: false; reason: 'rate_limited'; retryAfterMs: number };

/**
 * Issues a code for `phone`: checks the limits of the requester's budget (see {@link OtpPolicy}),
 * voids the requester's own earlier codes, stores only the HMAC, and queues the sealed code in the
 * outbox at OTP priority. Call it inside a transaction: a per-phone advisory lock keeps concurrent
 * requests from both slipping under a limit.
 *
 * @example
 * const issued = await db.transaction((tx) => issueOtp(tx, deps, { phone, identityId, deliver: true, now }));
 * if (!issued.ok) reply(t('certify.rateLimited'));
 */
export async function issueOtp(tx: Executor, deps: OtpDeps, input: IssueInput): Promise<IssueResult> {
  const { phone, identityId, now } = input;
  // Locks in a fixed order (phone, then chat), so two requests can never wait on each other.
  const chatLock = identityId === null ? sql`` : sql`, pg_advisory_xact_lock(hashtext(${`otp-chat:${identityId}`}))`;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`otp:${phone}`}))${chatLock}`);

  const limited = (await budgetWait(tx, deps.policy, phone, identityId, now)) ?? (await addressWait(tx, deps.policy, input.origin, now));
  if (limited !== null) return { ok: false, reason: 'rate_limited', retryAfterMs: limited };

  // A new code voids only the requester's own earlier ones: a stranger's request must never
  // void the code the citizen is about to type.
  const own = identityId === null ? and(eq(otpChallenges.phone, phone), isNull(otpChallenges.identityId)) : eq(otpChallenges.identityId, identityId);
  await tx
    .update(otpChallenges)
    .set({ voidedAt: now })
    .where(and(own, isNull(otpChallenges.usedAt), isNull(otpChallenges.voidedAt)));

  const challengeId = randomToken(18);
  const code = randomDigits(deps.policy.digits);
  const expiresAt = new Date(now.getTime() + deps.policy.ttlSeconds * 1000);
  const dedupeKey = `otp:${challengeId}`;
  if (input.deliver) {
    await enqueue(
      tx,
      [
        {
          phone,
          channel: deps.channel,
          kind: 'otp',
          priority: PRIORITY.otp,
          dedupeKey,
          message: { purpose: 'otp', sealedCode: otpSealer(deps.secret).seal(code), ttlMinutes: Math.ceil(deps.policy.ttlSeconds / 60) },
        },
      ],
      now,
    );
  }
  await tx.insert(otpChallenges).values({
    id: challengeId,
    phone,
    identityId,
    requestedBy: input.requestedBy ?? null,
    // Nothing was sent: store an HMAC no 6-digit code can match.
    codeHmac: input.deliver ? codeHmac(deps.secret, challengeId, phone, code) : hmacHex(deps.secret, `otp:none:${randomToken(32)}`),
    outboxId: input.deliver ? sql`(select ${outbox.id} from ${outbox} where ${outbox.dedupeKey} = ${dedupeKey})` : null,
    expiresAt,
    createdAt: now,
  });
  return ok({ challengeId, expiresAt });
}

const addressLimit = (policy: OtpPolicy): RateLimit => ({ max: policy.perAddressDay, windowMs: DAY_MS });

/** How long `origin` must wait for another code (ms), or null, counting this one when it may have it. */
async function addressWait(tx: Executor, policy: OtpPolicy, origin: string | undefined, now: Date): Promise<number | null> {
  if (origin === undefined) return null;
  const limit = addressLimit(policy);
  const bucket = `otp-from:${origin}`;
  if ((await peek(tx, bucket, limit, now)) >= limit.max) return Math.max(1000, msUntilWindowEnds(now, limit));
  await hit(tx, bucket, limit, now);
  return null;
}

/** Chats linked to the citizen who owns `phone`: they proved it before. */
const chatsThatProved = (phone: string) =>
  sql`${otpChallenges.identityId} in (select ${identities.id} from ${identities} inner join ${citizens} on ${citizens.id} = ${identities.citizenId} where ${citizens.phone} = ${phone})`;

/** How long the requester must wait for its budget (ms), or null when it may have a code now. */
async function budgetWait(tx: Executor, policy: OtpPolicy, phone: string, identityId: number | null, now: Date): Promise<number | null> {
  if (identityId === null) return limitWait(tx, and(eq(otpChallenges.phone, phone), isNull(otpChallenges.identityId)), policy.perPhoneDesk, now);
  const chatWait = await limitWait(tx, eq(otpChallenges.identityId, identityId), policy.perChat, now);
  if (chatWait !== null) return chatWait;
  const [proved] = await tx
    .select({ id: identities.id })
    .from(identities)
    .innerJoin(citizens, eq(citizens.id, identities.citizenId))
    .where(and(eq(identities.id, identityId), eq(citizens.phone, phone)));
  if (proved) return null;
  const strangers = and(eq(otpChallenges.phone, phone), isNotNull(otpChallenges.identityId), not(chatsThatProved(phone)));
  return limitWait(tx, strangers, policy.perPhone, now);
}

/**
 * Null when under both limits, else how long until one more code is allowed (ms). One query: the
 * newest codes of the last day, as many as the daily limit, answer both windows.
 */
async function limitWait(tx: Executor, owner: SQL | undefined, limits: CodeLimits, now: Date): Promise<number | null> {
  const recent = await tx
    .select({ createdAt: otpChallenges.createdAt })
    .from(otpChallenges)
    .where(and(owner, gt(otpChallenges.createdAt, new Date(now.getTime() - DAY_MS))))
    .orderBy(desc(otpChallenges.createdAt))
    .limit(Math.max(limits.day, limits.quarterHour));
  const waits: number[] = [];
  for (const [windowMs, max] of [
    [QUARTER_HOUR_MS, limits.quarterHour],
    [DAY_MS, limits.day],
  ] as const) {
    const inWindow = recent.filter((r) => r.createdAt.getTime() > now.getTime() - windowMs);
    // The window frees a slot when the oldest of the newest `max` codes leaves it.
    const oldest = inWindow[max - 1];
    if (oldest) waits.push(Math.max(1000, oldest.createdAt.getTime() + windowMs - now.getTime()));
  }
  return waits.length ? Math.max(...waits) : null;
}

export interface VerifyInput {
  challengeId: string;
  code: string;
  /** The chat that must own the challenge (null for a telephone challenge). */
  identityId: number | null;
  now: Date;
}

export type VerifyFailure =
  /** Wrong code; `triesLeft` more are allowed. */
  | { ok: false; reason: 'wrong_code'; triesLeft: number }
  /** Unknown, used, replaced, expired, or killed by too many wrong tries: ask for a new code. */
  | { ok: false; reason: 'expired' | 'too_many_tries' };

/**
 * Checks a typed code. The challenge row is locked while it is checked, so wrong tries are
 * counted one at a time and never exceed the limit; the code is compared as HMACs in constant
 * time; and it is consumed by a single conditional UPDATE (… where used_at is null and
 * expires_at > now returning), so two requests can never both use it. Call it inside the
 * transaction of what the proof unlocks: if that fails, the code is not consumed either.
 */
export async function verifyOtp(
  tx: Executor,
  deps: OtpDeps,
  input: VerifyInput,
): Promise<{ ok: true; value: { challengeId: string; phone: string } } | VerifyFailure> {
  const { challengeId, now } = input;
  const [row] = await tx.select().from(otpChallenges).where(eq(otpChallenges.id, challengeId)).for('update');
  if (!row || row.identityId !== input.identityId) return { ok: false, reason: 'expired' };
  if (row.failedAttempts >= deps.policy.maxAttempts) return { ok: false, reason: 'too_many_tries' };
  if (row.usedAt || row.voidedAt || row.expiresAt <= now) return { ok: false, reason: 'expired' };

  if (!constantTimeEqual(codeHmac(deps.secret, row.id, row.phone, input.code.trim()), row.codeHmac)) {
    const [after] = await tx
      .update(otpChallenges)
      .set({ failedAttempts: sql`${otpChallenges.failedAttempts} + 1` })
      .where(eq(otpChallenges.id, row.id))
      .returning({ failedAttempts: otpChallenges.failedAttempts });
    const triesLeft = deps.policy.maxAttempts - (after?.failedAttempts ?? deps.policy.maxAttempts);
    return triesLeft > 0 ? { ok: false, reason: 'wrong_code', triesLeft } : { ok: false, reason: 'too_many_tries' };
  }

  const [used] = await tx
    .update(otpChallenges)
    .set({ usedAt: now })
    .where(
      and(
        eq(otpChallenges.id, row.id),
        isNull(otpChallenges.usedAt),
        isNull(otpChallenges.voidedAt),
        gt(otpChallenges.expiresAt, now),
        lt(otpChallenges.failedAttempts, deps.policy.maxAttempts),
      ),
    )
    .returning({ id: otpChallenges.id, phone: otpChallenges.phone });
  if (!used) return { ok: false, reason: 'expired' };
  return ok({ challengeId: used.id, phone: used.phone });
}

/**
 * Whether the code of a challenge could be sent: `failed` once its outbox row is dead or
 * undeliverable, `ok` otherwise (on its way or sent). A challenge with nothing to send (an
 * unregistered phone) answers `ok`, like a real one, so the answer reveals nothing.
 */
export async function otpDelivery(executor: Executor, challengeId: string): Promise<'ok' | 'failed'> {
  const [row] = await executor
    .select({ status: outbox.status })
    .from(otpChallenges)
    .innerJoin(outbox, eq(outbox.id, otpChallenges.outboxId))
    .where(eq(otpChallenges.id, challengeId));
  return row && (row.status === 'dead' || row.status === 'undeliverable' || row.status === 'cancelled') ? 'failed' : 'ok';
}
