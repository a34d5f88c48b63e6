import { and, count, desc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import { dossierEvents, dossiers } from '../../db/schema';
import type { Database, Executor } from '../../db/types';
import { fail, ok, type Result } from '../../lib/result';
import { type Actor, actorRef } from '../../vocabulary/actors';
import type { DossierStatus, StatusDetails } from '../../vocabulary/dossiers';
import { recordAudit } from '../people/audit';
import { type AnnounceDeps, announce, type DossierEventRow, type DossierRow, type StatusChangeHook } from './announce';
import { type DueWindow, dueWithin } from './due-window';
import type { DossierFields, StatusEventInput } from './input';
import { applicantNameMatches } from './name-match';
import { checkMove, isResolution } from './status';

export interface DossierServiceDeps extends AnnounceDeps {
  db: Database;
  /** Extra work in the transaction of every status change (issue 6: reminder scheduling). */
  onStatusChange?: StatusChangeHook[];
  /** Extra work in the transaction of an update that changed the due date (issue 6: the appointment reminder moves). */
  onDueDateChange?: ((executor: Executor, dossier: DossierRow, now: Date) => Promise<void>)[];
}

export type UpsertFailure = 'forbidden_office' | 'office_required';
export type EventFailure =
  | 'not_found'
  | 'forbidden_office'
  | 'same_status'
  | 'invalid_transition'
  | 'missing_details'
  | 'force_not_allowed'
  | 'before_received';

export interface DossierSearch {
  phone?: string;
  /** Received at or after (an instant: the API turns local dates into instants). */
  from?: Date;
  /** Received before. */
  to?: Date;
  status?: DossierStatus;
  officeId?: number;
  /** Words of the applicant's name (see name-match.ts); text without a word matches nothing. */
  name?: string;
  /** Open dossiers due later today or already late (the same test as the home page's counts). */
  due?: { window: DueWindow; now: Date };
  page: number;
  pageSize: number;
  /**
   * Count at most this many matches (the total is then at most countUpTo + 1, meaning "more"):
   * a page need not count 100,000 rows to say there are many.
   */
  countUpTo?: number;
}

/**
 * The office an actor is confined to: staff and officials with an office see and write that
 * office's dossiers only; admins and province-wide accounts see all.
 */
export const officeScope = (actor: Actor): number | null => (actor.role !== 'admin' && actor.officeId !== null ? actor.officeId : null);

const TRACKED_FIELDS = ['procedureCode', 'procedureName', 'field', 'officeId', 'applicantName', 'applicantPhone', 'channel', 'receivedAt', 'dueAt'] as const;

const same = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);

/**
 * Dossiers as staff and the one-stop software see them. Every write runs in one transaction with
 * its audit row, its timeline event and the notices to the citizen's chats.
 */
export function createDossierService(deps: DossierServiceDeps) {
  const { db } = deps;

  /**
   * The one place a dossier's status changes: timeline row, status and resolution time, the
   * notice to followers, then the hooks (reminders). Callers audit.
   */
  async function recordStatus(
    tx: Executor,
    dossier: DossierRow,
    previous: DossierStatus | null,
    input: { status: DossierStatus; note: string | null; details: StatusDetails; at: Date; forcedReason: string | null },
    actor: Actor,
    now: Date,
  ): Promise<{ dossier: DossierRow; event: DossierEventRow; notified: number }> {
    const [event] = await tx
      .insert(dossierEvents)
      .values({ dossierId: dossier.id, ...input, actor: actorRef(actor) })
      .returning();
    if (!event) throw new Error('dossier event insert returned no row');
    const resolvedAt = dossier.resolvedAt ?? (isResolution(input.status) ? input.at : null);
    const [updated] = await tx.update(dossiers).set({ status: input.status, resolvedAt, updatedAt: now }).where(eq(dossiers.id, dossier.id)).returning();
    if (!updated) throw new Error('dossier vanished during its status change');
    const change = { dossier: updated, event, previous };
    const notified = await announce(tx, deps, change, now);
    for (const hook of deps.onStatusChange ?? []) await hook(tx, change, now);
    return { dossier: updated, event, notified };
  }

  /**
   * Creates or updates a dossier by receipt code in the caller's transaction. Sending the same
   * payload again changes nothing and writes nothing; a new dossier gets its "received" event
   * (and the appointment-slip notice).
   */
  async function upsertIn(
    tx: Executor,
    receiptCode: string,
    fields: DossierFields,
    actor: Actor,
    now: Date,
  ): Promise<Result<{ dossier: DossierRow; created: boolean; changed: boolean }, UpsertFailure>> {
    const scope = officeScope(actor);
    const officeId = fields.officeId ?? scope ?? actor.officeId;
    if (officeId === null || officeId === undefined) return fail('office_required', 'officeId: required for an account without an office.');
    if (scope !== null && officeId !== scope) return fail('forbidden_office', `This account may only write dossiers of office ${scope}.`);
    const [existing] = await tx.select().from(dossiers).where(eq(dossiers.receiptCode, receiptCode)).for('update');
    if (!existing) {
      const [created] = await tx
        .insert(dossiers)
        .values({
          receiptCode,
          ...fields,
          procedureName: fields.procedureName ?? null,
          field: fields.field ?? null,
          officeId,
          status: 'received',
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!created) throw new Error('dossier insert returned no row');
      await recordAudit(tx, { actor, action: 'dossier.create', subject: `dossier:${receiptCode}`, after: { ...fields, officeId }, at: now });
      const { dossier } = await recordStatus(
        tx,
        created,
        null,
        { status: 'received', note: null, details: {}, at: fields.receivedAt, forcedReason: null },
        actor,
        now,
      );
      return ok({ dossier, created: true, changed: true });
    }
    if (scope !== null && existing.officeId !== scope) return fail('forbidden_office', `This account may only write dossiers of office ${scope}.`);
    const wanted = { ...fields, officeId };
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const key of TRACKED_FIELDS) {
      const value = wanted[key];
      // An optional field left out keeps what is stored.
      if (value === undefined || same(existing[key], value)) continue;
      before[key] = existing[key];
      after[key] = value;
    }
    if (Object.keys(after).length === 0) return ok({ dossier: existing, created: false, changed: false });
    const [updated] = await tx
      .update(dossiers)
      .set({ ...after, updatedAt: now })
      .where(eq(dossiers.id, existing.id))
      .returning();
    if (!updated) throw new Error('dossier vanished during its update');
    await recordAudit(tx, { actor, action: 'dossier.update', subject: `dossier:${receiptCode}`, before, after, at: now });
    if ('dueAt' in after) for (const hook of deps.onDueDateChange ?? []) await hook(tx, updated, now);
    return ok({ dossier: updated, created: false, changed: true });
  }

  return {
    upsertIn,

    upsert(receiptCode: string, fields: DossierFields, actor: Actor, now: Date) {
      return db.transaction((tx) => upsertIn(tx, receiptCode, fields, actor, now));
    },

    /**
     * Adds a status event. Repeating the latest event exactly (a retried request) changes
     * nothing; other moves are checked against the transition table. `notified` is how many
     * chats the notice was queued for (0 for a status citizens are not told of, or no chat).
     */
    addEvent(
      receiptCode: string,
      input: StatusEventInput,
      actor: Actor,
      now: Date,
    ): Promise<Result<{ dossier: DossierRow; event: DossierEventRow; changed: boolean; notified: number }, EventFailure>> {
      return db.transaction(async (tx) => {
        const [dossier] = await tx.select().from(dossiers).where(eq(dossiers.receiptCode, receiptCode)).for('update');
        const scope = officeScope(actor);
        if (!dossier || (scope !== null && dossier.officeId !== scope)) return fail('not_found', `No dossier with receipt code ${receiptCode}.`);
        const note = input.note ?? null;
        const [latest] = await tx.select().from(dossierEvents).where(eq(dossierEvents.dossierId, dossier.id)).orderBy(desc(dossierEvents.id)).limit(1);
        if (latest && latest.status === input.status && latest.note === note && JSON.stringify(latest.details) === JSON.stringify(input.details)) {
          return ok({ dossier, event: latest, changed: false, notified: 0 });
        }
        const at = input.at ?? now;
        if (at.getTime() < dossier.receivedAt.getTime()) return fail('before_received', 'at: must not be before the dossier was received.');
        const move = checkMove(dossier.status, input.status, input.details, actor.role, input.force);
        if (!move.ok) return fail(move.reason, move.message);
        const forcedReason = move.forced && input.force ? input.force.reason : null;
        const result = await recordStatus(tx, dossier, dossier.status, { status: input.status, note, details: input.details, at, forcedReason }, actor, now);
        await recordAudit(tx, {
          actor,
          action: move.forced ? 'dossier.status_forced' : 'dossier.status',
          subject: `dossier:${receiptCode}`,
          before: { status: dossier.status },
          after: { status: input.status, note, details: input.details, ...(forcedReason ? { forcedReason } : {}) },
          at: now,
        });
        return ok({ ...result, changed: true });
      });
    },

    /** A dossier with its timeline, oldest event first. */
    async get(receiptCode: string, actor: Actor): Promise<Result<{ dossier: DossierRow; events: DossierEventRow[] }, 'not_found'>> {
      const [dossier] = await db.select().from(dossiers).where(eq(dossiers.receiptCode, receiptCode));
      const scope = officeScope(actor);
      if (!dossier || (scope !== null && dossier.officeId !== scope)) return fail('not_found', `No dossier with receipt code ${receiptCode}.`);
      const events = await db.select().from(dossierEvents).where(eq(dossierEvents.dossierId, dossier.id)).orderBy(dossierEvents.id);
      return ok({ dossier, events });
    },

    /** Dossiers matching every given filter, newest received first. */
    async search(filter: DossierSearch, actor: Actor): Promise<{ items: DossierRow[]; total: number }> {
      const scope = officeScope(actor);
      const conditions: SQL[] = [];
      if (filter.phone) conditions.push(eq(dossiers.applicantPhone, filter.phone));
      if (filter.from) conditions.push(gte(dossiers.receivedAt, filter.from));
      if (filter.to) conditions.push(lt(dossiers.receivedAt, filter.to));
      if (filter.status) conditions.push(eq(dossiers.status, filter.status));
      if (filter.name !== undefined) conditions.push(applicantNameMatches(filter.name) ?? sql`false`);
      if (filter.due) {
        const window = dueWithin(filter.due.window, filter.due.now);
        if (window) conditions.push(window);
      }
      if (scope !== null) conditions.push(eq(dossiers.officeId, scope));
      else if (filter.officeId) conditions.push(eq(dossiers.officeId, filter.officeId));
      const where = conditions.length ? and(...conditions) : undefined;
      const counted =
        filter.countUpTo === undefined
          ? db.select({ n: count() }).from(dossiers).where(where)
          : db.select({ n: count() }).from(
              db
                .select({ one: sql`1`.as('one') })
                .from(dossiers)
                .where(where)
                .limit(filter.countUpTo + 1)
                .as('capped'),
            );
      const newestFirst = () =>
        db
          .select()
          .from(dossiers)
          .where(where)
          .orderBy(desc(dossiers.receivedAt), desc(dossiers.id))
          .limit(filter.pageSize)
          .offset((filter.page - 1) * filter.pageSize);
      if (filter.name === undefined || filter.countUpTo === undefined) {
        const [items, [total]] = await Promise.all([newestFirst(), counted]);
        return { items, total: total?.n ?? 0 };
      }
      // The planner has no statistics for word prefixes, so it guesses: for a rare name it would
      // walk the office's dossiers by date looking for matches (all 100,000 when there are none).
      // The bounded count goes through the name index and is cheap either way; when it finds
      // few, only those are sorted (the LIMIT keeps the subquery, and its index use, apart).
      const [counts] = await counted;
      const total = counts?.n ?? 0;
      if (total > filter.countUpTo) return { items: await newestFirst(), total };
      const few = db
        .select()
        .from(dossiers)
        .where(where)
        .limit(filter.countUpTo + 1)
        .as('few');
      const items = await db
        .select()
        .from(few)
        .orderBy(desc(few.receivedAt), desc(few.id))
        .limit(filter.pageSize)
        .offset((filter.page - 1) * filter.pageSize);
      return { items, total };
    },
  };
}

export type DossierService = ReturnType<typeof createDossierService>;
