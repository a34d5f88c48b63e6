import { count, eq } from 'drizzle-orm';
import { citizens, identities, storedDocuments } from '../../db/schema';
import type { Database, Executor } from '../../db/types';
import type { Clock } from '../../lib/clock';
import { fail, ok } from '../../lib/result';
import type { FeeTable } from '../../vocabulary/settings';
import { linkVerifiedPhone } from '../people/citizens';
import { documentsOf } from './documents';
import { copyFee } from './fees';
import { officeTerms } from './office-place';
import { issueOtp, type OtpDeps, otpDelivery, verifyOtp } from './otp';
import { type CertificationRequest, cancelByCitizen, createRequest, requestsOfCitizen, statusFacts } from './requests';

export type CertificationStatus = 'submitted' | 'confirmed' | 'rejected' | 'ready' | 'delivered' | 'cancelled';

/** A phone proved in this chat, kept in the flow's state until the request is sent. */
export interface VerifiedPhone {
  citizenId: number;
  phone: string;
  method: 'chat_otp' | 'channel_contact';
  /** ISO time of the proof; a proof older than the session window must be renewed. */
  at: string;
  challengeId?: string;
}

export interface DocumentChoice {
  id: number;
  title: string;
  pages: number;
  officeId: number;
  /** The office that keeps it and certifies copies: "name, address" (null if unknown). */
  office: string | null;
  /** VND for one copy, from the configured fee table. */
  copyFee: number;
}

export type DeliveryChoice = { method: 'pickup' } | { method: 'post'; address: string };

export interface RequestSummary {
  id: number;
  /** What the citizen and staff call it: `CT-000042`. */
  ref: string;
  status: CertificationStatus;
  createdAt: string;
  items: { title: string; copies: number; pages: number }[];
  delivery: DeliveryChoice;
  /** The confirmed fee, or the quote while unconfirmed (VND). */
  fee: number;
  pickupPlace: string | null;
  trackingNumber: string | null;
  rejectReason: string | null;
  deliveredVia: 'counter' | 'post' | null;
}

export type CodeRequest =
  | { ok: true; value: { challengeId: string; ttlMinutes: number } }
  /** Too many codes lately: a new one may be asked for at `retryAt` (in `retryAfterMinutes`, rounded up). */
  | { ok: false; reason: 'rate_limited'; retryAfterMinutes: number; retryAt: Date }
  /** No sender is configured for codes (production without a gateway). */
  | { ok: false; reason: 'unavailable' };

export type CodeCheck =
  | { ok: true; value: VerifiedPhone }
  | { ok: false; reason: 'wrong_code'; triesLeft: number }
  | { ok: false; reason: 'expired' | 'too_many_tries' };

/** How long a proof made in the chat lets the citizen finish and send a request. */
export const VERIFIED_SESSION_MS = 30 * 60 * 1000;

export interface CertifyServiceDeps {
  db: Database;
  clock: Clock;
  otp: OtpDeps;
  feeTable: FeeTable;
  /** False when no sender can carry codes (production with no gateway): the flow says so honestly. */
  canSendCodes: () => boolean;
}

/** Whether a phone has anything to certify: papers scanned at a counter. */
export async function hasDocuments(executor: Executor, phone: string): Promise<boolean> {
  const [row] = await executor
    .select({ n: count() })
    .from(storedDocuments)
    .innerJoin(citizens, eq(citizens.id, storedDocuments.citizenId))
    .where(eq(citizens.phone, phone));
  return (row?.n ?? 0) > 0;
}

function summarize(request: CertificationRequest): RequestSummary {
  return {
    ...statusFacts(request),
    id: request.id,
    createdAt: request.createdAt.toISOString(),
    items: request.items.map((i) => ({ title: i.title, copies: i.copies, pages: i.pages })),
    delivery: request.delivery,
  };
}

/** The certify flow's service over the database (it satisfies bot/core/certify.ts's port). */
export function createCertifyService(deps: CertifyServiceDeps) {
  const { db, clock } = deps;
  return {
    async requestCode(identityId: number, phone: string, origin?: string): Promise<CodeRequest> {
      if (!deps.canSendCodes()) return { ok: false, reason: 'unavailable' };
      const now = clock.now();
      const issued = await db.transaction(async (tx) =>
        issueOtp(tx, deps.otp, { phone, identityId, deliver: await hasDocuments(tx, phone), now, ...(origin ? { origin } : {}) }),
      );
      if (!issued.ok) {
        return {
          ok: false,
          reason: 'rate_limited',
          retryAfterMinutes: Math.ceil(issued.retryAfterMs / 60_000),
          retryAt: new Date(now.getTime() + issued.retryAfterMs),
        };
      }
      return ok({ challengeId: issued.value.challengeId, ttlMinutes: Math.ceil(deps.otp.policy.ttlSeconds / 60) });
    },

    codeDelivery: (challengeId: string) => otpDelivery(db, challengeId),

    async verifyCode(identityId: number, challengeId: string, code: string): Promise<CodeCheck> {
      const now = clock.now();
      return db.transaction(async (tx) => {
        const checked = await verifyOtp(tx, deps.otp, { challengeId, code, identityId, now });
        if (!checked.ok) return checked;
        const citizenId = await linkVerifiedPhone(tx, identityId, checked.value.phone, now);
        const verified: VerifiedPhone = { citizenId, phone: checked.value.phone, method: 'chat_otp', at: now.toISOString(), challengeId };
        return ok(verified);
      });
    },

    async verifyContact(identityId: number, phone: string): Promise<VerifiedPhone> {
      const now = clock.now();
      const citizenId = await db.transaction((tx) => linkVerifiedPhone(tx, identityId, phone, now));
      return { citizenId, phone, method: 'channel_contact', at: now.toISOString() };
    },

    async documents(citizenId: number): Promise<DocumentChoice[]> {
      const docs = await documentsOf(db, citizenId);
      const terms = await officeTerms(
        db,
        docs.map((d) => d.officeId),
        deps.feeTable,
      );
      return docs.map((d) => ({
        id: d.id,
        title: d.title,
        pages: d.pages,
        officeId: d.officeId,
        office: terms.get(d.officeId)?.place ?? null,
        copyFee: copyFee(d.pages, terms.get(d.officeId)?.feeTable ?? deps.feeTable),
      }));
    },

    async submit(identityId: number, verified: VerifiedPhone, items: { documentId: number; copies: number }[], delivery: DeliveryChoice) {
      const now = clock.now();
      const provedAt = new Date(verified.at);
      if (!(now.getTime() - provedAt.getTime() < VERIFIED_SESSION_MS)) return fail('not_verified');
      return db.transaction(async (tx) => {
        // The proof in the state must still be this chat's link to this citizen.
        const [chat] = await tx.select({ citizenId: identities.citizenId }).from(identities).where(eq(identities.id, identityId));
        if (chat?.citizenId !== verified.citizenId) return fail('not_verified');
        const created = await createRequest(tx, deps.feeTable, {
          citizenId: verified.citizenId,
          identityId,
          items,
          delivery,
          verification: { method: verified.method, at: provedAt, ...(verified.challengeId ? { challengeId: verified.challengeId } : {}) },
          now,
        });
        return created.ok ? ok(summarize(created.value)) : created;
      });
    },

    async requests(citizenId: number): Promise<RequestSummary[]> {
      return (await requestsOfCitizen(db, citizenId)).map(summarize);
    },

    async cancel(citizenId: number, requestId: number) {
      const cancelled = await cancelByCitizen(db, citizenId, requestId, clock.now());
      return cancelled.ok ? ok(summarize(cancelled.value)) : cancelled;
    },
  };
}
