import { eq, sql } from 'drizzle-orm';
import { citizens, identities } from '../../db/schema';
import type { Executor } from '../../db/types';

/** Finds the citizen with this phone (E.164), creating the row when it is new. */
export async function citizenByPhone(executor: Executor, phone: string, now: Date): Promise<{ id: number; phone: string; fullName: string | null }> {
  const [created] = await executor.insert(citizens).values({ phone, createdAt: now }).onConflictDoNothing().returning();
  if (created) return created;
  const [existing] = await executor.select().from(citizens).where(eq(citizens.phone, phone));
  if (!existing) throw new Error('citizen vanished between insert and select');
  return existing;
}

/**
 * Links a chat to the citizen who owns `phone`, once the chat has proved the number (an OTP, a
 * Telegram contact of the sender; never a number from a form such as Zalo's shared info). From then on the citizen's dossiers,
 * requests and settings follow them in every chat linked this way, and so does their office (the
 * one of their chat seen last) to a chat that has none of its own yet.
 */
export async function linkVerifiedPhone(executor: Executor, identityId: number, phone: string, at: Date): Promise<number> {
  const citizen = await citizenByPhone(executor, phone, at);
  const theirOffice = sql`(select o.office_id from identities o where o.citizen_id = ${citizen.id} and o.office_id is not null order by o.last_seen_at desc limit 1)`;
  await executor
    .update(identities)
    .set({ citizenId: citizen.id, phoneVerifiedAt: at, officeId: sql`coalesce(${identities.officeId}, ${theirOffice})` })
    .where(eq(identities.id, identityId));
  return citizen.id;
}
