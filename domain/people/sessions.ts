import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { staffSessions, staffUsers } from '../../db/schema';
import type { Database } from '../../db/types';
import { randomToken, sha256Hex } from '../../lib/crypto';
import { fail, ok, type Result } from '../../lib/result';
import type { Actor } from '../../vocabulary/actors';
import { clear, hit, msUntilWindowEnds, peek, type RateLimit } from '../messaging/rate-counters';
import { recordAudit } from './audit';
import { dummyHash, verifyPassword } from './passwords';

/** How long a console session lasts (a working day and then some); signing in again is cheap. */
export const SESSION_HOURS = 12;

/**
 * Failed sign-ins allowed before the username (or the address) must wait for the window to end.
 * Per username stops guessing one account from many addresses; per address stops one machine
 * trying many accounts.
 */
export const LOGIN_LIMITS = {
  perUsername: { max: 5, windowMs: 15 * 60 * 1000 },
  perAddress: { max: 30, windowMs: 15 * 60 * 1000 },
} satisfies Record<string, RateLimit>;

export interface StaffSession {
  /** The cookie value: shown to the browser only, stored as its SHA-256. */
  token: string;
  /** Sent back in X-CSRF-Token on every write made with the cookie. */
  csrfToken: string;
  expiresAt: Date;
  actor: Actor;
}

export type LoginFailure = 'invalid_credentials' | 'throttled';

/** The CSRF token belongs to the session: derived from its secret, so it needs no storage. */
export const csrfTokenFor = (sessionToken: string): string => sha256Hex(`csrf:${sessionToken}`);

/**
 * Signs a staff member in: throttled per username and per address (counters in the database),
 * scrypt check in constant time, a wrong username costs as much as a wrong password, and a
 * disabled account is refused with the same answer as a wrong password.
 */
export async function login(
  db: Database,
  input: { username: string; password: string; address: string },
  now: Date,
): Promise<Result<StaffSession, LoginFailure> & { retryAfterMs?: number }> {
  const username = input.username.trim().toLowerCase();
  const buckets = [
    { key: `login:user:${username}`, limit: LOGIN_LIMITS.perUsername },
    { key: `login:addr:${input.address}`, limit: LOGIN_LIMITS.perAddress },
  ];
  for (const { key, limit } of buckets) {
    if ((await peek(db, key, limit, now)) >= limit.max) {
      return { ...fail('throttled', 'Too many failed sign-ins; wait before trying again.'), retryAfterMs: msUntilWindowEnds(now, limit) };
    }
  }
  const [staff] = await db.select().from(staffUsers).where(eq(staffUsers.username, username));
  const matches = await verifyPassword(input.password, staff?.passwordHash ?? (await dummyHash()));
  if (!staff || !matches || staff.disabledAt) {
    for (const { key, limit } of buckets) await hit(db, key, limit, now);
    return fail('invalid_credentials', 'Wrong username or password.');
  }
  const token = randomToken(32);
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600 * 1000);
  const actor: Actor = { kind: 'staff', id: staff.id, name: staff.name, role: staff.role, officeId: staff.officeId };
  await db.transaction(async (tx) => {
    await tx.insert(staffSessions).values({ tokenHash: sha256Hex(token), staffId: staff.id, createdAt: now, expiresAt });
    // Expired sessions of this account are cleaned here rather than by a job.
    await tx.delete(staffSessions).where(and(eq(staffSessions.staffId, staff.id), lt(staffSessions.expiresAt, now)));
    await clear(tx, `login:user:${username}`);
    await recordAudit(tx, { actor, action: 'auth.login', subject: `staff:${staff.id}`, after: { address: input.address }, at: now });
  });
  return ok({ token, csrfToken: csrfTokenFor(token), expiresAt, actor });
}

/** The signed-in staff member behind a session cookie, or null (unknown, expired, disabled). */
export async function resolveSession(db: Database, token: string, now: Date): Promise<Actor | null> {
  const [row] = await db
    .select({ id: staffUsers.id, name: staffUsers.name, role: staffUsers.role, officeId: staffUsers.officeId })
    .from(staffSessions)
    .innerJoin(staffUsers, eq(staffUsers.id, staffSessions.staffId))
    .where(and(eq(staffSessions.tokenHash, sha256Hex(token)), gt(staffSessions.expiresAt, now), isNull(staffUsers.disabledAt)));
  return row ? { kind: 'staff', ...row } : null;
}

/** Ends a session (sign out). */
export async function endSession(db: Database, token: string, actor: Actor, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(staffSessions).where(eq(staffSessions.tokenHash, sha256Hex(token)));
    await recordAudit(tx, { actor, action: 'auth.logout', subject: `staff:${actor.id}`, at: now });
  });
}
