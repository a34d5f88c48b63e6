import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { staffSessions, staffUsers } from '../../db/schema';
import type { Database } from '../../db/types';
import { fail, ok, type Result } from '../../lib/result';
import { type Actor, ROLES, type Role } from '../../vocabulary/actors';
import { recordAudit } from './audit';
import { generatePassword, hashPassword } from './passwords';

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,39}$/, 'expected 3-40 characters: letters, digits, . _ -');

export const newStaffSchema = z.object({
  name: z.string().trim().min(1, 'expected the person’s name').max(200),
  username: usernameSchema,
  role: z.enum(ROLES, { error: `expected one of ${ROLES.join(', ')}` }),
  officeId: z.number().int().positive().nullable().default(null),
});
export type NewStaff = z.input<typeof newStaffSchema>;

export interface StaffSummary {
  id: number;
  username: string;
  name: string;
  role: Role;
  officeId: number | null;
  disabledAt: Date | null;
  createdAt: Date;
}

const summary = {
  id: staffUsers.id,
  username: staffUsers.username,
  name: staffUsers.name,
  role: staffUsers.role,
  officeId: staffUsers.officeId,
  disabledAt: staffUsers.disabledAt,
  createdAt: staffUsers.createdAt,
};

/**
 * The person at the server's command line (npm run staff), as the audit log names them. The
 * account tools run with shell access to the server, which already implies full trust.
 */
export const commandLineActor = (who: string): Actor => ({ kind: 'staff', id: 0, name: `command line (${who})`, role: 'admin', officeId: null });

/**
 * Creates an account with a one-time password, returned once and stored only as a scrypt hash.
 *
 * @example const created = await createStaff(db, { name: 'Nguyễn Văn A', username: 'nva', role: 'staff', officeId: 1 }, actor, now);
 */
export async function createStaff(
  db: Database,
  input: NewStaff,
  actor: Actor,
  now: Date,
): Promise<Result<{ staff: StaffSummary; password: string }, 'username_taken'>> {
  const data = newStaffSchema.parse(input);
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(staffUsers)
      .values({ ...data, passwordHash, mustChangePassword: true, createdAt: now })
      .onConflictDoNothing({ target: staffUsers.username })
      .returning(summary);
    if (!row) return fail('username_taken', `The username ${data.username} is already taken.`);
    await recordAudit(tx, { actor, action: 'staff.create', subject: `staff:${row.id}`, after: { ...data }, at: now });
    return ok({ staff: row, password });
  });
}

export async function listStaff(db: Database): Promise<StaffSummary[]> {
  return db.select(summary).from(staffUsers).orderBy(asc(staffUsers.username));
}

/** Disables an account and ends its sessions at once. Nobody disables their own account (no admin locks the office out). */
export async function disableStaff(db: Database, username: string, actor: Actor, now: Date): Promise<Result<StaffSummary, 'not_found' | 'own_account'>> {
  return db.transaction(async (tx) => {
    const [target] = await tx
      .select({ id: staffUsers.id })
      .from(staffUsers)
      .where(eq(staffUsers.username, usernameSchema.parse(username)));
    if (target && actor.kind === 'staff' && target.id === actor.id) return fail('own_account', 'You cannot disable your own account.');
    const [row] = await tx
      .update(staffUsers)
      .set({ disabledAt: sql`coalesce(${staffUsers.disabledAt}, ${now.toISOString()}::timestamptz)` })
      .where(eq(staffUsers.username, usernameSchema.parse(username)))
      .returning(summary);
    if (!row) return fail('not_found', `No account named ${username}.`);
    await tx.delete(staffSessions).where(eq(staffSessions.staffId, row.id));
    await recordAudit(tx, { actor, action: 'staff.disable', subject: `staff:${row.id}`, after: { disabledAt: row.disabledAt }, at: now });
    return ok(row);
  });
}

/** Sets a new one-time password (returned once), re-enables the account and ends its sessions. */
export async function resetPassword(
  db: Database,
  username: string,
  actor: Actor,
  now: Date,
): Promise<Result<{ staff: StaffSummary; password: string }, 'not_found'>> {
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(staffUsers)
      .set({ passwordHash, mustChangePassword: true, disabledAt: null })
      .where(eq(staffUsers.username, usernameSchema.parse(username)))
      .returning(summary);
    if (!row) return fail('not_found', `No account named ${username}.`);
    await tx.delete(staffSessions).where(eq(staffSessions.staffId, row.id));
    await recordAudit(tx, { actor, action: 'staff.reset_password', subject: `staff:${row.id}`, at: now });
    return ok({ staff: row, password });
  });
}

/** The account a first start creates when there is none, so the console can be opened at all. */
export const FIRST_ADMIN = { username: 'admin', name: 'Quản trị viên', role: 'admin' } as const satisfies NewStaff;

/**
 * Creates the first admin account when the database has no account yet, and returns its one-time
 * password (to be shown once, at start-up); null when accounts exist. The console asks for a new
 * password at the first sign-in. Two processes starting together create it once (the username is unique).
 */
export async function ensureFirstAdmin(db: Database, now: Date): Promise<{ username: string; password: string } | null> {
  const [any] = await db.select({ id: staffUsers.id }).from(staffUsers).limit(1);
  if (any) return null;
  const created = await createStaff(db, FIRST_ADMIN, commandLineActor('first start'), now);
  return created.ok ? { username: created.value.staff.username, password: created.value.password } : null;
}

export const staffChangeSchema = newStaffSchema.pick({ name: true, role: true, officeId: true });
export type StaffChange = z.input<typeof staffChangeSchema>;

/**
 * Changes an account's name, role or office (audited with before and after). An admin cannot
 * take the admin role from their own account: the last admin could otherwise lock everyone out.
 */
export async function updateStaff(
  db: Database,
  id: number,
  input: StaffChange,
  actor: Actor,
  now: Date,
): Promise<Result<StaffSummary, 'not_found' | 'own_role'>> {
  const data = staffChangeSchema.parse(input);
  if (actor.kind === 'staff' && actor.id === id && actor.role === 'admin' && data.role !== 'admin') {
    return fail('own_role', 'You cannot take the admin role from your own account.');
  }
  return db.transaction(async (tx) => {
    const [before] = await tx.select(summary).from(staffUsers).where(eq(staffUsers.id, id)).for('update');
    if (!before) return fail('not_found', `No account with id ${id}.`);
    const [row] = await tx.update(staffUsers).set(data).where(eq(staffUsers.id, id)).returning(summary);
    if (!row) return fail('not_found', `No account with id ${id}.`);
    // A changed role or office takes effect at once: the sessions carry them only through the row.
    await recordAudit(tx, {
      actor,
      action: 'staff.update',
      subject: `staff:${id}`,
      before: { name: before.name, role: before.role, officeId: before.officeId },
      after: data,
      at: now,
    });
    return ok(row);
  });
}

/** One account by id, or null. */
export async function findStaff(db: Database, id: number): Promise<StaffSummary | null> {
  const [row] = await db.select(summary).from(staffUsers).where(eq(staffUsers.id, id));
  return row ?? null;
}
