import { and, count, desc, eq, inArray, type SQL } from 'drizzle-orm';
import {
  CERTIFICATION_STATUSES,
  type CertificationDelivery,
  type CertificationItem,
  type CertificationStatus,
  certificationRequests,
  citizens,
  identities,
  storedDocuments,
  type VerificationMethod,
} from '../../db/schema';
import type { Database, Executor } from '../../db/types';
import { fail, ok, type Result } from '../../lib/result';
import type { Actor } from '../../vocabulary/actors';
import type { Locale, Translate } from '../../vocabulary/locales';
import type { FeeTable } from '../../vocabulary/settings';
import { NOTICE_KINDS } from '../messaging/notification-settings';
import { notifyChats } from '../messaging/notify';
import { recordAudit } from '../people/audit';
import { itemFee } from './fees';
import { officeTerms } from './office-place';
import { type StatusFacts, statusText } from './text';

export type CertificationRequest = typeof certificationRequests.$inferSelect;

/** `CT-000042`: short enough to read out on the telephone. */
export const requestRef = (id: number): string => `CT-${String(id).padStart(6, '0')}`;

export interface NewRequest {
  citizenId: number;
  identityId: number | null;
  items: { documentId: number; copies: number }[];
  delivery: CertificationDelivery;
  verification: { method: VerificationMethod; at: Date; by?: string; challengeId?: string };
  now: Date;
}

export type CreateFailure = 'documents_changed' | 'mixed_offices';

/**
 * Saves a request with a snapshot of its documents and the quoted fee. Every document must be the
 * citizen's and kept at one office (the office that certifies them). Call it in the transaction
 * that consumed the proof of the phone, so the two commit together or not at all.
 */
/** `feeTable` is the deployment's; an office with a table of its own charges by that one. */
export async function createRequest(tx: Executor, feeTable: FeeTable, input: NewRequest): Promise<Result<CertificationRequest, CreateFailure>> {
  const ids = [...new Set(input.items.map((i) => i.documentId))];
  const docs = ids.length
    ? await tx
        .select()
        .from(storedDocuments)
        .where(and(eq(storedDocuments.citizenId, input.citizenId), inArray(storedDocuments.id, ids)))
    : [];
  if (ids.length === 0 || docs.length !== ids.length || ids.length !== input.items.length) return fail('documents_changed');
  const offices = new Set(docs.map((d) => d.officeId));
  const [officeId] = offices;
  if (offices.size !== 1 || officeId === undefined) return fail('mixed_offices');
  const table = (await officeTerms(tx, [officeId], feeTable)).get(officeId)?.feeTable ?? feeTable;
  const items: CertificationItem[] = input.items.map((item) => {
    const doc = docs.find((d) => d.id === item.documentId);
    if (!doc) throw new Error('document vanished');
    return { documentId: doc.id, title: doc.title, kind: doc.kind, pages: doc.pages, copies: item.copies, fee: itemFee(doc.pages, item.copies, table) };
  });
  const [row] = await tx
    .insert(certificationRequests)
    .values({
      citizenId: input.citizenId,
      officeId,
      identityId: input.identityId,
      items,
      delivery: input.delivery,
      quotedFee: items.reduce((sum, i) => sum + i.fee, 0),
      verificationMethod: input.verification.method,
      verifiedAt: input.verification.at,
      verifiedBy: input.verification.by ?? null,
      otpChallengeId: input.verification.challengeId ?? null,
      createdAt: input.now,
      updatedAt: input.now,
    })
    .returning();
  if (!row) throw new Error('request insert returned no row');
  return ok(row);
}

/** The facts of a stored request that its status line shows. */
export const statusFacts = (r: CertificationRequest): StatusFacts => ({
  ref: requestRef(r.id),
  status: r.status,
  createdAt: r.createdAt,
  fee: r.fee ?? r.quotedFee,
  delivery: r.delivery,
  pickupPlace: r.pickupPlace,
  trackingNumber: r.trackingNumber,
  rejectReason: r.rejectReason,
  deliveredVia: r.deliveredVia,
});

/** What staff may do to a request, and from which statuses. */
export type StaffAction =
  | { kind: 'confirm'; fee?: number; feeReason?: string }
  | { kind: 'reject'; reason: string }
  | { kind: 'ready'; pickupPlace?: string }
  | { kind: 'deliver'; via: 'counter' }
  | { kind: 'deliver'; via: 'post'; trackingNumber: string };

const ALLOWED_FROM: Record<StaffAction['kind'], CertificationStatus[]> = {
  confirm: ['submitted'],
  reject: ['submitted', 'confirmed'],
  ready: ['confirmed'],
  deliver: ['ready'],
};

const STATUS_AFTER: Record<StaffAction['kind'], CertificationStatus> = { confirm: 'confirmed', reject: 'rejected', ready: 'ready', deliver: 'delivered' };

export type ActionFailure =
  | { reason: 'not_found' }
  | { reason: 'invalid_status'; status: CertificationStatus; allowed: CertificationStatus[] }
  | { reason: 'fee_reason_required' }
  | { reason: 'pickup_place_required' }
  | { reason: 'delivery_mismatch'; method: CertificationDelivery['method'] };

export interface ActionDeps {
  db: Database;
  feeTable: FeeTable;
  translator: (locale: Locale) => Translate;
}

/**
 * Applies a staff action: checks the current status (locked), the actor's office, and the
 * action's own rules; updates the request; writes the audit entry; and queues the citizen's
 * notice in the same transaction, so none of the three can happen without the others.
 */
export async function applyStaffAction(
  deps: ActionDeps,
  actor: Actor,
  requestId: number,
  action: StaffAction,
  now: Date,
): Promise<{ ok: true; value: CertificationRequest } | ({ ok: false } & ActionFailure)> {
  return deps.db.transaction(async (tx) => {
    const [current] = await tx.select().from(certificationRequests).where(eq(certificationRequests.id, requestId)).for('update');
    // Another office's request is "not found": staff need not learn it exists.
    if (!current || (actor.officeId !== null && current.officeId !== actor.officeId)) return { ok: false, reason: 'not_found' };
    const allowed = ALLOWED_FROM[action.kind];
    if (!allowed.includes(current.status)) return { ok: false, reason: 'invalid_status', status: current.status, allowed };

    const change: Partial<typeof certificationRequests.$inferInsert> = { status: STATUS_AFTER[action.kind], updatedAt: now };
    switch (action.kind) {
      case 'confirm': {
        const fee = action.fee ?? current.quotedFee;
        if (fee !== current.quotedFee && !action.feeReason) return { ok: false, reason: 'fee_reason_required' };
        Object.assign(change, { fee, feeReason: fee === current.quotedFee ? null : (action.feeReason ?? null) });
        break;
      }
      case 'reject':
        change.rejectReason = action.reason;
        break;
      case 'ready':
        if (current.delivery.method === 'pickup' && !action.pickupPlace) return { ok: false, reason: 'pickup_place_required' };
        change.pickupPlace = action.pickupPlace ?? null;
        break;
      case 'deliver':
        if (action.via === 'post' && current.delivery.method !== 'post') return { ok: false, reason: 'delivery_mismatch', method: current.delivery.method };
        Object.assign(change, { deliveredVia: action.via, trackingNumber: action.via === 'post' ? action.trackingNumber : null });
        break;
    }
    const [updated] = await tx.update(certificationRequests).set(change).where(eq(certificationRequests.id, requestId)).returning();
    if (!updated) throw new Error('request vanished under lock');
    await recordAudit(tx, {
      actor,
      action: `certification.${action.kind}`,
      subject: `certification:${requestId}`,
      before: { status: current.status },
      after: { ...change, updatedAt: undefined },
      at: now,
    });
    await notifyCitizen(tx, deps.translator, updated, now);
    return { ok: true, value: updated };
  });
}

/**
 * Tells the citizen, in each of their linked chats, what became of their request. These are the
 * "certification ready" reminders too: answers to the citizen's own request, so urgent (no quiet
 * hours), keyed by request and status so a retried action never notifies twice.
 */
export async function notifyCitizen(tx: Executor, translator: (locale: Locale) => Translate, request: CertificationRequest, now: Date): Promise<number> {
  const chats = await tx.select({ id: identities.id }).from(identities).where(eq(identities.citizenId, request.citizenId));
  return notifyChats(
    tx,
    chats.map((c) => c.id),
    {
      // "Ready" is also a reminder the citizen can switch off; the other updates always go.
      kind: request.status === 'ready' ? NOTICE_KINDS.certificationReady : 'certification',
      dedupeKey: `certification:${request.id}:${request.status}`,
      urgent: true,
      render: (locale) => [{ text: statusText(translator(locale), statusFacts(request)) }],
      template: { kind: 'certification', params: { ref: requestRef(request.id), status: request.status } },
    },
    { now },
  );
}

export interface QueueFilter {
  /** One status, or several (the console's "done" tab: delivered, rejected, cancelled). */
  status?: CertificationStatus | readonly CertificationStatus[];
  officeId?: number;
  page: number;
  pageSize: number;
}

/** The staff queue: newest first, scoped to the actor's office when they have one. */
export async function listQueue(
  db: Database,
  actor: Actor,
  filter: QueueFilter,
): Promise<{ total: number; rows: (CertificationRequest & { citizen: { phone: string; fullName: string | null } })[] }> {
  const conditions: SQL[] = [];
  if (typeof filter.status === 'string') conditions.push(eq(certificationRequests.status, filter.status));
  else if (filter.status) conditions.push(inArray(certificationRequests.status, [...filter.status]));
  const office = actor.officeId ?? filter.officeId;
  if (office !== undefined) conditions.push(eq(certificationRequests.officeId, office));
  const where = conditions.length ? and(...conditions) : undefined;
  const [total] = await db.select({ n: count() }).from(certificationRequests).where(where);
  const rows = await db
    .select({ request: certificationRequests, phone: citizens.phone, fullName: citizens.fullName })
    .from(certificationRequests)
    .innerJoin(citizens, eq(citizens.id, certificationRequests.citizenId))
    .where(where)
    .orderBy(desc(certificationRequests.createdAt), desc(certificationRequests.id))
    .limit(filter.pageSize)
    .offset((filter.page - 1) * filter.pageSize);
  return { total: total?.n ?? 0, rows: rows.map((r) => ({ ...r.request, citizen: { phone: r.phone, fullName: r.fullName } })) };
}

/** One request for staff, or null when it does not exist or belongs to another office. */
export async function findRequest(db: Executor, actor: Actor, id: number) {
  const [row] = await db
    .select({ request: certificationRequests, phone: citizens.phone, fullName: citizens.fullName })
    .from(certificationRequests)
    .innerJoin(citizens, eq(citizens.id, certificationRequests.citizenId))
    .where(eq(certificationRequests.id, id));
  if (!row || (actor.officeId !== null && row.request.officeId !== actor.officeId)) return null;
  return { ...row.request, citizen: { phone: row.phone, fullName: row.fullName } };
}

/** A citizen's own requests, newest first. */
export function requestsOfCitizen(db: Executor, citizenId: number, limit = 10): Promise<CertificationRequest[]> {
  return db
    .select()
    .from(certificationRequests)
    .where(eq(certificationRequests.citizenId, citizenId))
    .orderBy(desc(certificationRequests.createdAt), desc(certificationRequests.id))
    .limit(limit);
}

/** The citizen withdraws a request staff have not confirmed yet. */
export async function cancelByCitizen(
  db: Database,
  citizenId: number,
  requestId: number,
  now: Date,
): Promise<Result<CertificationRequest, 'not_found' | 'not_cancellable'>> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(certificationRequests)
      .where(and(eq(certificationRequests.id, requestId), eq(certificationRequests.citizenId, citizenId)))
      .for('update');
    if (!current) return fail('not_found');
    if (current.status !== 'submitted') return fail('not_cancellable');
    const [updated] = await tx
      .update(certificationRequests)
      .set({ status: 'cancelled', updatedAt: now })
      .where(eq(certificationRequests.id, requestId))
      .returning();
    if (!updated) throw new Error('request vanished under lock');
    return ok(updated);
  });
}

/** How many requests are at each status, in the actor's office (or all offices for province-wide accounts). */
export async function queueCounts(db: Executor, actor: Actor): Promise<Record<CertificationStatus, number>> {
  const rows = await db
    .select({ status: certificationRequests.status, n: count() })
    .from(certificationRequests)
    .where(actor.officeId !== null ? eq(certificationRequests.officeId, actor.officeId) : undefined)
    .groupBy(certificationRequests.status);
  const counts = Object.fromEntries(CERTIFICATION_STATUSES.map((s) => [s, 0])) as Record<CertificationStatus, number>;
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}
