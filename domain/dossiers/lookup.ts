import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { ChatRef, DossierCard, DossierPort, LookupOutcome } from '../../bot/core/dossier-ports';
import { citizens, dossierEvents, dossierSubscriptions, dossiers, procedures } from '../../db/schema';
import type { Database, Executor } from '../../db/types';
import type { Clock } from '../../lib/clock';
import { constantTimeEqual } from '../../lib/crypto';
import { lastFourDigits } from '../../lib/phone';
import { fail, ok, type Result } from '../../lib/result';
import { hit, msUntilWindowEnds, type RateLimit } from '../rate-counters';
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
 * Everything the card needs, and whether this chat may see it, in one round trip: the dossier,
 * its latest event, the catalog's procedure name, this chat's proof and choice, and the phone of
 * the chat's citizen.
 */
async function readCard(executor: Executor, chat: ChatRef, where: SQL) {
  const latest = (column: string) => sql.raw(`(select e.${column} from dossier_events e where e.dossier_id = dossiers.id order by e.id desc limit 1)`);
  const [row] = await executor
    .select({
      dossier: dossiers,
      note: sql<string | null>`${latest('note')}`,
      details: sql`${latest('details')}`.mapWith(dossierEvents.details),
      catalogName: procedures.name,
      provenAt: dossierSubscriptions.provenAt,
      following: dossierSubscriptions.following,
      citizenPhone: citizens.phone,
    })
    .from(dossiers)
    .leftJoin(procedures, eq(procedures.code, dossiers.procedureCode))
    .leftJoin(dossierSubscriptions, and(eq(dossierSubscriptions.dossierId, dossiers.id), eq(dossierSubscriptions.identityId, chat.identityId)))
    .leftJoin(citizens, chat.citizenId === null ? sql`false` : eq(citizens.id, chat.citizenId))
    .where(where);
  if (!row) return null;
  const { dossier } = row;
  const linked = row.citizenPhone !== null && row.citizenPhone === dossier.applicantPhone;
  return {
    dossier,
    linked,
    proven: row.provenAt !== null,
    card: (now: Date, following: boolean | null = row.following): DossierCard => ({
      id: dossier.id,
      receiptCode: dossier.receiptCode,
      procedure: row.catalogName ?? dossier.procedureName ?? dossier.procedureCode,
      status: dossier.status,
      receivedAt: dossier.receivedAt,
      dueAt: dossier.dueAt,
      note: row.note,
      details: row.details ?? {},
      civilEvent: civilEventOf(dossier.procedureCode, dossier.procedureName),
      overdue: OPEN_STATUSES.includes(dossier.status) && dossier.dueAt.getTime() < now.getTime(),
      following: following ?? linked,
    }),
  };
}

/**
 * The citizen side of dossiers. A dossier is shown only to a chat that gives its receipt code
 * and the last 4 digits of the applicant's phone, or whose verified phone is the applicant's.
 * A wrong code and a wrong phone get the same answer, and every check counts toward the chat's
 * hourly limit. Each look-up is one transaction (one commit) of a few statements.
 */
export function createDossierLookup(deps: LookupDeps): DossierPort {
  const { db } = deps;

  async function limited(executor: Executor, chat: ChatRef, now: Date): Promise<LookupOutcome | null> {
    if ((await hit(executor, `lookup:${chat.identityId}`, LOOKUP_LIMIT, now)) <= LOOKUP_LIMIT.max) return null;
    return { ok: false, reason: 'rate_limited', retryAfterMinutes: Math.max(1, Math.ceil(msUntilWindowEnds(now, LOOKUP_LIMIT) / 60_000)) };
  }

  const remember = (executor: Executor, chat: ChatRef, dossierId: number, now: Date, following?: boolean) =>
    executor
      .insert(dossierSubscriptions)
      .values({ identityId: chat.identityId, dossierId, provenAt: now, ...(following === undefined ? {} : { following }) })
      .onConflictDoUpdate({
        target: [dossierSubscriptions.identityId, dossierSubscriptions.dossierId],
        set: following === undefined ? { provenAt: now } : { following },
      });

  return {
    lookup(chat, receiptCode, lastFour) {
      const code = normalizeReceiptCode(receiptCode);
      const now = deps.clock.now();
      // Without digits only a linked chat can be answered; everyone else is asked for the
      // digits, whether or not the code exists.
      if (lastFour === undefined && chat.citizenId === null) return Promise.resolve({ ok: false, reason: 'needs_phone' });
      return db.transaction(async (tx): Promise<LookupOutcome> => {
        // The counter and the proof are soft state: a crash may forget the last instants of them,
        // which costs nothing, so this commit does not wait for the disk (the database stays
        // consistent; other transactions keep their durability).
        await tx.execute(sql`set local synchronous_commit = off`);
        const stop = await limited(tx, chat, now);
        if (stop) return stop;
        const found = await readCard(tx, chat, eq(dossiers.receiptCode, code));
        if (lastFour === undefined) return found?.linked ? { ok: true, card: found.card(now) } : { ok: false, reason: 'needs_phone' };
        // Compared in constant time against a stand-in when the code is unknown, so both answers take as long.
        const matches = constantTimeEqual(lastFour, found ? lastFourDigits(found.dossier.applicantPhone) : '----');
        if (!found || !matches) return { ok: false, reason: 'not_found' };
        if (!found.proven) await remember(tx, chat, found.dossier.id, now);
        return { ok: true, card: found.card(now) };
      });
    },

    async view(chat, dossierId): Promise<Result<DossierCard, 'not_allowed'>> {
      const found = await readCard(db, chat, eq(dossiers.id, dossierId));
      if (!found || !(found.proven || found.linked)) return fail('not_allowed');
      return ok(found.card(deps.clock.now()));
    },

    async follow(chat, dossierId, on): Promise<Result<DossierCard, 'not_allowed'>> {
      const now = deps.clock.now();
      const found = await readCard(db, chat, eq(dossiers.id, dossierId));
      if (!found || !(found.proven || found.linked)) return fail('not_allowed');
      await remember(db, chat, dossierId, now, on);
      return ok(found.card(now, on));
    },
  };
}
