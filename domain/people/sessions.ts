import { and, eq, gt, isNull, lt, ne } from 'drizzle-orm';
import { staffSessions, staffUsers } from '../../db/schema';
import type { Database } from '../../db/types';
import { randomToken, sha256Hex } from '../../lib/crypto';
import { fail, ok, type Result } from '../../lib/result';
import type { Actor } from '../../vocabulary/actors';
import { clear, hit, msUntilWindowEnds, peek, type RateLimit } from '../messaging/rate-counters';
import { recordAudit } from './audit';
import { dummyHash, hashPassword, verifyPassword } from './passwords';

/** The console's session cookie, shared by the API and the console pages (httpOnly, SameSite=Strict). */
export const SESSION_COOKIE = 'mc_staff';

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
  /** A new or reset account must choose its own password before doing anything else. */
  mustChangePassword: boolean;
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
  return ok({ token, csrfToken: csrfTokenFor(token), expiresAt, actor, mustChangePassword: staff.mustChangePassword });
}

/** The signed-in staff member behind a session cookie, or null (unknown, expired, disabled). */
export async function resolveSession(db: Database, token: string, now: Date): Promise<Actor | null> {
  return (await sessionOf(db, token, now))?.actor ?? null;
}

/** The session behind a cookie with what the console needs beside the actor. */
export async function sessionOf(db: Database, token: string, now: Date): Promise<{ actor: Actor; mustChangePassword: boolean } | null> {
  const [row] = await db
    .select({
      id: staffUsers.id,
      name: staffUsers.name,
      role: staffUsers.role,
      officeId: staffUsers.officeId,
      mustChangePassword: staffUsers.mustChangePassword,
    })
    .from(staffSessions)
    .innerJoin(staffUsers, eq(staffUsers.id, staffSessions.staffId))
    .where(and(eq(staffSessions.tokenHash, sha256Hex(token)), gt(staffSessions.expiresAt, now), isNull(staffUsers.disabledAt)));
  if (!row) return null;
  const { mustChangePassword, ...actor } = row;
  return { actor: { kind: 'staff', ...actor }, mustChangePassword };
}

/** What a new password must be: long enough to resist guessing, and not the username. */
export const PASSWORD_RULES = { minLength: 10, maxLength: 200 } as const;
export type PasswordChangeFailure = 'wrong_password' | 'too_short' | 'too_long' | 'same_as_username' | 'unchanged' | 'throttled';

/** Wrong current passwords allowed before the change form waits (a left-open session is no free guessing box). */
const CHANGE_LIMIT: RateLimit = { max: 5, windowMs: 15 * 60 * 1000 };

/**
 * Changes a signed-in person's password: the current one is checked (throttled), the new one
 * follows PASSWORD_RULES, every other session of the account ends, and the forced-change mark is
 * cleared. Audited without the passwords.
 */
export async function changePassword(
  db: Database,
  input: { actor: Actor; sessionToken: string; current: string; next: string },
  now: Date,
): Promise<Result<void, PasswordChangeFailure>> {
  const [staff] = await db.select().from(staffUsers).where(eq(staffUsers.id, input.actor.id));
  if (!staff) return fail('wrong_password', 'The account no longer exists.');
  const key = `password:user:${staff.id}`;
  if ((await peek(db, key, CHANGE_LIMIT, now)) >= CHANGE_LIMIT.max) return fail('throttled', 'Too many wrong passwords; wait before trying again.');
  if (!(await verifyPassword(input.current, staff.passwordHash))) {
    await hit(db, key, CHANGE_LIMIT, now);
    return fail('wrong_password', 'The current password is wrong.');
  }
  const next = input.next.normalize('NFC');
  if ([...next].length < PASSWORD_RULES.minLength) return fail('too_short', `At least ${PASSWORD_RULES.minLength} characters.`);
  if ([...next].length > PASSWORD_RULES.maxLength) return fail('too_long', `At most ${PASSWORD_RULES.maxLength} characters.`);
  if (next.trim().toLowerCase() === staff.username) return fail('same_as_username', 'The password must not be the username.');
  if (next === input.current.normalize('NFC')) return fail('unchanged', 'The new password must differ from the current one.');
  const passwordHash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await tx.update(staffUsers).set({ passwordHash, mustChangePassword: false }).where(eq(staffUsers.id, staff.id));
    await tx.delete(staffSessions).where(and(eq(staffSessions.staffId, staff.id), ne(staffSessions.tokenHash, sha256Hex(input.sessionToken))));
    await clear(tx, key);
    await recordAudit(tx, { actor: input.actor, action: 'auth.change_password', subject: `staff:${staff.id}`, at: now });
  });
  return ok(undefined);
}

/** Ends a session (sign out). */
export async function endSession(db: Database, token: string, actor: Actor, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(staffSessions).where(eq(staffSessions.tokenHash, sha256Hex(token)));
    await recordAudit(tx, { actor, action: 'auth.logout', subject: `staff:${actor.id}`, at: now });
  });
}
