import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import { citizens, dossierEvents, dossierSubscriptions, dossiers, procedures, rateCounters } from '../../db/schema';
import { SOFT_COMMIT } from '../../db/sql';
import type { Database, Executor } from '../../db/types';
import type { Clock } from '../../lib/clock';
import { constantTimeEqual } from '../../lib/crypto';
import { lastFourDigits } from '../../lib/phone';
import { fail, ok, type Result } from '../../lib/result';
import { hit, hitStatement, msUntilWindowEnds, type RateLimit, unhit } from '../messaging/rate-counters';
import { civilEventOf } from './civil-events';
import { isOverdue } from './due-window';
import { normalizeReceiptCode } from './input';
import type { DossierView } from './render';

/** The chat asking: its id and, when it proved a phone, its citizen. */
export interface ChatRef {
  identityId: number;
  citizenId: number | null;
  /** The network address the message came from, where the channel sees it (the web chat). */
  origin?: string;
}

/** A dossier as the chat card shows it. */
export interface DossierCard extends DossierView {
  /** The office that handles the dossier: the card names it, and a chat with no office takes it. */
  officeId: number;
  overdue: boolean;
  /** Whether this chat hears of changes (it chose to, or it is linked to the applicant). */
  following: boolean;
}

/** One line of a citizen's own dossiers ("I lost my receipt code"). */
export interface OwnDossier {
  id: number;
  receiptCode: string;
  procedure: string;
  status: DossierCard['status'];
}

/** How many of a citizen's latest dossiers the chat lists. */
const OWN_DOSSIERS = 5;

export type LookupOutcome =
  | { ok: true; card: DossierCard }
  /** Ask for the last 4 digits of the applicant's phone (also said for a code that does not exist). */
  | { ok: false; reason: 'needs_phone' }
  /** Wrong code or wrong digits: the same answer for both. */
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'rate_limited'; retryAfterMinutes: number }
  /** Too many wrong digits from the sender's network address today. */
  | { ok: false; reason: 'too_many_guesses'; retryAfterHours: number };

/** At most this many lookups per chat: enough for a family's dossiers, too few to guess codes. */
export const LOOKUP_LIMIT: RateLimit = { max: 10, windowMs: 60 * 60 * 1000 };

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * Digit checks per receipt code per day from chats that have not proved the dossier, however many
 * chats and addresses they come from: 10 of the 10,000 possible endings is a 1 in 1,000 chance.
 * A new web chat costs nothing, so a limit per chat alone bounds nothing.
 */
export const GUESS_LIMIT_PER_CODE: RateLimit = { max: 10, windowMs: DAY_MS };
/** Digit checks per network address per day over all codes: generous, since one NAT serves many citizens. */
export const GUESS_LIMIT_PER_ADDRESS: RateLimit = { max: 30, windowMs: DAY_MS };

export interface LookupDeps {
  db: Database;
  clock: Clock;
}

type CardRow = {
  dossier: typeof dossiers.$inferSelect;
  note: string | null;
  details: Record<string, unknown> | null;
  catalogName: string | null;
  provenAt: Date | null;
  following: boolean | null;
  citizenPhone: string | null;
};

/** The columns of a card: the dossier, its latest event, the catalog name, this chat's proof and choice, its citizen's phone. */
function cardFields() {
  const latest = (column: string) => sql.raw(`(select e.${column} from dossier_events e where e.dossier_id = dossiers.id order by e.id desc limit 1)`);
  return {
    note: sql<string | null>`${latest('note')}`,
    details: sql`${latest('details')}`.mapWith(dossierEvents.details),
    catalogName: procedures.name,
    provenAt: dossierSubscriptions.provenAt,
    following: dossierSubscriptions.following,
    citizenPhone: citizens.phone,
  };
}

const chatJoins = (chat: ChatRef) => ({
  proof: and(eq(dossierSubscriptions.dossierId, dossiers.id), eq(dossierSubscriptions.identityId, chat.identityId)),
  citizen: chat.citizenId === null ? sql`false` : eq(citizens.id, chat.citizenId),
});

/**
 * Everything the card needs, and whether this chat may see it, in one round trip: the dossier,
 * its latest event, the catalog's procedure name, this chat's proof and choice, and the phone of
 * the chat's citizen.
 */
async function readCard(executor: Executor, chat: ChatRef, where: SQL) {
  const joins = chatJoins(chat);
  const [row] = await executor
    .select({ dossier: dossiers, ...cardFields() })
    .from(dossiers)
    .leftJoin(procedures, eq(procedures.code, dossiers.procedureCode))
    .leftJoin(dossierSubscriptions, joins.proof)
    .leftJoin(citizens, joins.citizen)
    .where(where);
  return row ? found(row) : null;
}

/**
 * One statement for a citizen's look-up: it counts the look-up against the chat's hourly limit,
 * reads the card by receipt code (the count comes back even when the code is unknown), and lets
 * its commit skip waiting for the disk: the counter is soft state, and a crash may forget its last
 * instants, which costs nothing (other transactions keep their durability).
 */
async function countAndReadCard(db: Database, chat: ChatRef, code: string, now: Date) {
  const counted = db.$with('counted', { count: rateCounters.count }).as(hitStatement(db, `lookup:${chat.identityId}`, LOOKUP_LIMIT, now).getSQL());
  const soft = db.$with('soft', { setting: sql<string>`setting`.as('setting') }).as(sql`select ${SOFT_COMMIT} as setting`);
  const joins = chatJoins(chat);
  const [row] = await db
    .with(counted, soft)
    .select({ count: counted.count, dossier: dossiers, ...cardFields() })
    .from(counted)
    // Joined so the setting is evaluated; it applies to this statement's own commit.
    .crossJoin(soft)
    .leftJoin(dossiers, eq(dossiers.receiptCode, code))
    .leftJoin(procedures, eq(procedures.code, dossiers.procedureCode))
    .leftJoin(dossierSubscriptions, joins.proof)
    .leftJoin(citizens, joins.citizen);
  if (!row) throw new Error('the look-up counter returned no row');
  const { count, dossier, ...rest } = row;
  return { count, card: dossier ? found({ dossier, ...rest }) : null };
}

/**
 * Records that a chat proved a dossier (code + digits), so later buttons may show it. Soft state
 * like the counter: the commit does not wait for the disk, and a lost proof only means the
 * citizen types the digits again.
 */
async function prove(db: Database, chat: ChatRef, dossierId: number, now: Date): Promise<void> {
  await db.execute(sql`
    with soft as (select ${SOFT_COMMIT})
    insert into ${dossierSubscriptions} (identity_id, dossier_id, proven_at)
    select ${chat.identityId}, ${dossierId}, ${now.toISOString()}::timestamptz from soft
    on conflict (identity_id, dossier_id) do update set proven_at = excluded.proven_at`);
}

function found(row: CardRow) {
  const { dossier } = row;
  const linked = row.citizenPhone !== null && row.citizenPhone === dossier.applicantPhone;
  return {
    dossier,
    linked,
    proven: row.provenAt !== null,
    card: (now: Date, following: boolean | null = row.following): DossierCard => ({
      id: dossier.id,
      receiptCode: dossier.receiptCode,
      // The name the office software sent is the dossier's own; the catalog only fills a gap.
      procedure: dossier.procedureName ?? row.catalogName ?? dossier.procedureCode,
      status: dossier.status,
      receivedAt: dossier.receivedAt,
      dueAt: dossier.dueAt,
      note: row.note,
      details: row.details ?? {},
      civilEvent: civilEventOf(dossier.procedureCode, dossier.procedureName),
      officeId: dossier.officeId,
      overdue: isOverdue(dossier, now),
      following: following ?? linked,
    }),
  };
}

/**
 * The citizen side of dossiers. A dossier is shown only to a chat that gives its receipt code
 * and the last 4 digits of the applicant's phone, or whose verified phone is the applicant's.
 * A wrong code and a wrong phone get the same answer, and every check counts toward the chat's
 * hourly limit; digit checks also count per code and per address a day (see
 * {@link GUESS_LIMIT_PER_CODE}). A look-up is one statement, plus the guess counters when digits
 * are checked, plus one the first time a chat proves a dossier.
 */
export function createDossierLookup(deps: LookupDeps) {
  const { db } = deps;

  const rateLimited = (now: Date): LookupOutcome => ({
    ok: false,
    reason: 'rate_limited',
    retryAfterMinutes: Math.max(1, Math.ceil(msUntilWindowEnds(now, LOOKUP_LIMIT) / 60_000)),
  });

  const remember = (chat: ChatRef, dossierId: number, now: Date, following: boolean) =>
    db
      .insert(dossierSubscriptions)
      .values({ identityId: chat.identityId, dossierId, provenAt: now, following })
      .onConflictDoUpdate({ target: [dossierSubscriptions.identityId, dossierSubscriptions.dossierId], set: { following } });

  /**
   * Counts one digit check against the code (known or not, so the work reveals nothing) and the
   * sender's address; answers which limit, if any, it went over. A right answer takes its
   * counts back, so only wrong digits are spent.
   */
  async function spendGuess(chat: ChatRef, code: string, now: Date) {
    const buckets: [string, RateLimit][] = [[`dossier-guess:${code}`, GUESS_LIMIT_PER_CODE]];
    if (chat.origin) buckets.push([`dossier-guess-from:${chat.origin}`, GUESS_LIMIT_PER_ADDRESS]);
    const counts = await Promise.all(buckets.map(([bucket, limit]) => hit(db, bucket, limit, now)));
    return {
      overCode: (counts[0] ?? 0) > GUESS_LIMIT_PER_CODE.max,
      overAddress: (counts[1] ?? 0) > GUESS_LIMIT_PER_ADDRESS.max,
      refund: () => Promise.all(buckets.map(([bucket, limit]) => unhit(db, bucket, limit, now))),
    };
  }

  return {
    lookup(chat: ChatRef, receiptCode: string, lastFour?: string): Promise<LookupOutcome> {
      const code = normalizeReceiptCode(receiptCode);
      const now = deps.clock.now();
      // Without digits only a linked chat can be answered; everyone else is asked for the
      // digits, whether or not the code exists.
      if (lastFour === undefined && chat.citizenId === null) return Promise.resolve({ ok: false, reason: 'needs_phone' });
      return (async (): Promise<LookupOutcome> => {
        const { count, card: found } = await countAndReadCard(db, chat, code, now);
        if (count > LOOKUP_LIMIT.max) return rateLimited(now);
        if (lastFour === undefined) return found?.linked ? { ok: true, card: found.card(now) } : { ok: false, reason: 'needs_phone' };
        const digitsMatch = () => constantTimeEqual(lastFour, found ? lastFourDigits(found.dossier.applicantPhone) : '----');
        // The applicant's own chats (linked by a proved phone, or that proved this dossier before)
        // spend nothing, so a stranger's guesses never lock them out.
        if (found && (found.linked || found.proven)) return digitsMatch() ? { ok: true, card: found.card(now) } : { ok: false, reason: 'not_found' };
        const guess = await spendGuess(chat, code, now);
        if (guess.overAddress) {
          return {
            ok: false,
            reason: 'too_many_guesses',
            retryAfterHours: Math.max(1, Math.ceil(msUntilWindowEnds(now, GUESS_LIMIT_PER_ADDRESS) / 3_600_000)),
          };
        }
        // A code out of tries reads like wrong digits: the answer must not tell that the code exists.
        // Compared in constant time against a stand-in when the code is unknown, so both answers take as long.
        if (guess.overCode || !digitsMatch() || !found) return { ok: false, reason: 'not_found' };
        await guess.refund();
        await prove(db, chat, found.dossier.id, now);
        return { ok: true, card: found.card(now) };
      })();
    },

    /**
     * The latest dossiers of the chat's citizen (a phone it proved), newest first; none for a
     * chat that proved no phone. They may be viewed at once: the chat is linked to the applicant.
     */
    async mine(chat: ChatRef): Promise<OwnDossier[]> {
      if (chat.citizenId === null) return [];
      const rows = await db
        .select({ id: dossiers.id, receiptCode: dossiers.receiptCode, name: dossiers.procedureName, code: dossiers.procedureCode, status: dossiers.status })
        .from(dossiers)
        .innerJoin(citizens, eq(citizens.phone, dossiers.applicantPhone))
        .where(eq(citizens.id, chat.citizenId))
        .orderBy(desc(dossiers.receivedAt), desc(dossiers.id))
        .limit(OWN_DOSSIERS);
      return rows.map((r) => ({ id: r.id, receiptCode: r.receiptCode, procedure: r.name ?? r.code, status: r.status }));
    },

    async view(chat: ChatRef, dossierId: number): Promise<Result<DossierCard, 'not_allowed'>> {
      const found = await readCard(db, chat, eq(dossiers.id, dossierId));
      if (!found || !(found.proven || found.linked)) return fail('not_allowed');
      return ok(found.card(deps.clock.now()));
    },

    async follow(chat: ChatRef, dossierId: number, on: boolean): Promise<Result<DossierCard, 'not_allowed'>> {
      const now = deps.clock.now();
      const found = await readCard(db, chat, eq(dossiers.id, dossierId));
      if (!found || !(found.proven || found.linked)) return fail('not_allowed');
      await remember(chat, dossierId, now, on);
      return ok(found.card(now, on));
    },
  };
}
