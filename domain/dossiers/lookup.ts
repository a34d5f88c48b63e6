import { and, eq, sql } from 'drizzle-orm';
import type { ChatRef, DossierCard, DossierPort, LookupOutcome } from '../../bot/core/dossier-ports';
import { citizens, dossierEvents, dossierSubscriptions, dossiers } from '../../db/schema';
import type { Database } from '../../db/types';
import type { Clock } from '../../lib/clock';
import { constantTimeEqual } from '../../lib/crypto';
import { lastFourDigits } from '../../lib/phone';
import { fail, ok, type Result } from '../../lib/result';
import { hit, msUntilWindowEnds, type RateLimit } from '../rate-counters';
import { type DossierRow, procedureLabel } from './announce';
import { civilEventOf } from './civil-events';
import { normalizeReceiptCode } from './input';
import { OPEN_STATUSES } from './status';

/** At most this many lookups per chat: enough for a family's dossiers, too few to guess codes. */
export const LOOKUP_LIMIT: RateLimit = { max: 10, windowMs: 60 * 60 * 1000 };

export interface LookupDeps {
  db: Database;
  clock: Clock;
}

/**
 * The citizen side of dossiers. A dossier is shown only to a chat that gives its receipt code
 * and the last 4 digits of the applicant's phone, or whose verified phone is the applicant's.
 * A wrong code and a wrong phone get the same answer, and every check counts toward the chat's
 * hourly limit.
 */
export function createDossierLookup(deps: LookupDeps): DossierPort {
  const { db } = deps;

  async function isLinked(chat: ChatRef, dossier: DossierRow): Promise<boolean> {
    if (chat.citizenId === null) return false;
    const [citizen] = await db.select({ phone: citizens.phone }).from(citizens).where(eq(citizens.id, chat.citizenId));
    return citizen?.phone === dossier.applicantPhone;
  }

  async function cardOf(chat: ChatRef, dossier: DossierRow, linked: boolean): Promise<DossierCard> {
    const now = deps.clock.now();
    const [latest] = await db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, dossier.id)).orderBy(sql`${dossierEvents.id} desc`).limit(1);
    const [subscription] = await db
      .select({ following: dossierSubscriptions.following })
      .from(dossierSubscriptions)
      .where(and(eq(dossierSubscriptions.identityId, chat.identityId), eq(dossierSubscriptions.dossierId, dossier.id)));
    return {
      id: dossier.id,
      receiptCode: dossier.receiptCode,
      procedure: await procedureLabel(db, dossier),
      status: dossier.status,
      receivedAt: dossier.receivedAt,
      dueAt: dossier.dueAt,
      note: latest?.note ?? null,
      details: latest?.details ?? {},
      civilEvent: civilEventOf(dossier.procedureCode, dossier.procedureName),
      overdue: OPEN_STATUSES.includes(dossier.status) && dossier.dueAt.getTime() < now.getTime(),
      following: subscription?.following ?? linked,
    };
  }

  async function prove(chat: ChatRef, dossier: DossierRow): Promise<void> {
    await db
      .insert(dossierSubscriptions)
      .values({ identityId: chat.identityId, dossierId: dossier.id, provenAt: deps.clock.now() })
      .onConflictDoUpdate({ target: [dossierSubscriptions.identityId, dossierSubscriptions.dossierId], set: { provenAt: deps.clock.now() } });
  }

  /** A dossier this chat may see without proving it again: proved before, or linked by phone. */
  async function accessible(chat: ChatRef, dossierId: number): Promise<{ dossier: DossierRow; linked: boolean } | null> {
    const [dossier] = await db.select().from(dossiers).where(eq(dossiers.id, dossierId));
    if (!dossier) return null;
    const [proof] = await db
      .select({ at: dossierSubscriptions.provenAt })
      .from(dossierSubscriptions)
      .where(and(eq(dossierSubscriptions.identityId, chat.identityId), eq(dossierSubscriptions.dossierId, dossierId)));
    const linked = await isLinked(chat, dossier);
    return proof || linked ? { dossier, linked } : null;
  }

  async function counted(chat: ChatRef): Promise<LookupOutcome | null> {
    const now = deps.clock.now();
    if ((await hit(db, `lookup:${chat.identityId}`, LOOKUP_LIMIT, now)) <= LOOKUP_LIMIT.max) return null;
    return { ok: false, reason: 'rate_limited', retryAfterMinutes: Math.max(1, Math.ceil(msUntilWindowEnds(now, LOOKUP_LIMIT) / 60_000)) };
  }

  return {
    async lookup(chat, receiptCode, lastFour) {
      const code = normalizeReceiptCode(receiptCode);
      if (lastFour === undefined) {
        // Without digits only a linked chat can be answered; everyone else is asked for the
        // digits, whether or not the code exists.
        if (chat.citizenId === null) return { ok: false, reason: 'needs_phone' };
        const limited = await counted(chat);
        if (limited) return limited;
        const [dossier] = await db.select().from(dossiers).where(eq(dossiers.receiptCode, code));
        if (!dossier || !(await isLinked(chat, dossier))) return { ok: false, reason: 'needs_phone' };
        return { ok: true, card: await cardOf(chat, dossier, true) };
      }
      const limited = await counted(chat);
      if (limited) return limited;
      const [dossier] = await db.select().from(dossiers).where(eq(dossiers.receiptCode, code));
      // Compared in constant time against a stand-in when the code is unknown, so both answers take as long.
      const matches = constantTimeEqual(lastFour, dossier ? lastFourDigits(dossier.applicantPhone) : '----');
      if (!dossier || !matches) return { ok: false, reason: 'not_found' };
      await prove(chat, dossier);
      return { ok: true, card: await cardOf(chat, dossier, await isLinked(chat, dossier)) };
    },

    async view(chat, dossierId): Promise<Result<DossierCard, 'not_allowed'>> {
      const access = await accessible(chat, dossierId);
      if (!access) return fail('not_allowed');
      return ok(await cardOf(chat, access.dossier, access.linked));
    },

    async follow(chat, dossierId, on): Promise<Result<DossierCard, 'not_allowed'>> {
      const access = await accessible(chat, dossierId);
      if (!access) return fail('not_allowed');
      const now = deps.clock.now();
      await db
        .insert(dossierSubscriptions)
        .values({ identityId: chat.identityId, dossierId, provenAt: now, following: on })
        .onConflictDoUpdate({ target: [dossierSubscriptions.identityId, dossierSubscriptions.dossierId], set: { following: on } });
      return ok(await cardOf(chat, access.dossier, access.linked));
    },
  };
}
