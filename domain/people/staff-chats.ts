import { and, asc, eq, gt, lt } from 'drizzle-orm';
import { identities, staffChats, staffLinkCodes, staffUsers } from '../../db/schema';
import type { Database } from '../../db/types';
import { randomDigits, sha256Hex } from '../../lib/crypto';
import { fail, ok, type Result } from '../../lib/result';
import type { Actor } from '../../vocabulary/actors';
import { hit, peek, type RateLimit } from '../messaging/rate-counters';
import { recordAudit } from './audit';

/** How long a link code works: long enough to open the chat app and type it. */
export const LINK_CODE_MINUTES = 10;
const CODE_DIGITS = 8;
/** Wrong codes a chat may type in an hour: with 10^8 codes alive for minutes, guessing is hopeless. */
const CLAIM_LIMIT: RateLimit = { max: 5, windowMs: 60 * 60 * 1000 };

/**
 * A one-time code that links the chat it is typed in to this staff account (for test sends of
 * announcements). Only its hash is kept; a new code replaces the account's earlier ones.
 */
export async function issueLinkCode(db: Database, actor: Actor, now: Date): Promise<{ code: string; expiresAt: Date }> {
  const code = randomDigits(CODE_DIGITS);
  const expiresAt = new Date(now.getTime() + LINK_CODE_MINUTES * 60_000);
  await db.transaction(async (tx) => {
    await tx.delete(staffLinkCodes).where(eq(staffLinkCodes.staffId, actor.id));
    await tx.delete(staffLinkCodes).where(lt(staffLinkCodes.expiresAt, now));
    await tx.insert(staffLinkCodes).values({ codeHash: sha256Hex(code), staffId: actor.id, expiresAt });
  });
  return { code, expiresAt };
}

export type ClaimFailure = 'invalid_code' | 'rate_limited';

/**
 * Links the chat to the staff account whose live code this is, and spends the code. Wrong codes
 * are counted per chat; a right one costs nothing.
 */
export async function claimLinkCode(db: Database, identityId: number, typed: string, now: Date): Promise<Result<{ staffName: string }, ClaimFailure>> {
  const bucket = `staff-link:${identityId}`;
  if ((await peek(db, bucket, CLAIM_LIMIT, now)) >= CLAIM_LIMIT.max) return fail('rate_limited', 'Too many wrong codes from this chat; try again later.');
  const code = typed.replace(/\D/g, '');
  return db.transaction(async (tx) => {
    const [row] =
      code.length === CODE_DIGITS
        ? await tx
            .delete(staffLinkCodes)
            .where(and(eq(staffLinkCodes.codeHash, sha256Hex(code)), gt(staffLinkCodes.expiresAt, now)))
            .returning()
        : [];
    if (!row) {
      await hit(tx, bucket, CLAIM_LIMIT, now);
      return fail('invalid_code', 'The code is wrong or has expired.');
    }
    await tx.insert(staffChats).values({ staffId: row.staffId, identityId, linkedAt: now }).onConflictDoNothing();
    const [staff] = await tx.select().from(staffUsers).where(eq(staffUsers.id, row.staffId));
    const actor: Actor = { kind: 'staff', id: row.staffId, name: staff?.name ?? '', role: staff?.role ?? 'staff', officeId: staff?.officeId ?? null };
    await recordAudit(tx, { actor, action: 'staff.link_chat', subject: `staff:${row.staffId}`, after: { identityId }, at: now });
    return ok({ staffName: actor.name });
  });
}

export interface LinkedChat {
  identityId: number;
  channel: string;
  displayName: string | null;
  linkedAt: Date;
}

/** The chats linked to a staff account, oldest first. */
export function linkedChats(db: Database, staffId: number): Promise<LinkedChat[]> {
  return db
    .select({ identityId: staffChats.identityId, channel: identities.channel, displayName: identities.displayName, linkedAt: staffChats.linkedAt })
    .from(staffChats)
    .innerJoin(identities, eq(identities.id, staffChats.identityId))
    .where(eq(staffChats.staffId, staffId))
    .orderBy(asc(staffChats.linkedAt));
}

/** Unlinks one of the account's own chats. Audited. */
export async function unlinkChat(db: Database, actor: Actor, identityId: number, now: Date): Promise<Result<void, 'not_found'>> {
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(staffChats)
      .where(and(eq(staffChats.staffId, actor.id), eq(staffChats.identityId, identityId)))
      .returning();
    if (!removed.length) return fail('not_found', 'That chat is not linked to your account.');
    await recordAudit(tx, { actor, action: 'staff.unlink_chat', subject: `staff:${actor.id}`, before: { identityId }, at: now });
    return ok(undefined);
  });
}
