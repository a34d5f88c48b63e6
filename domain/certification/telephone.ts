import { eq } from 'drizzle-orm';
import { type CertificationDelivery, otpChallenges } from '../../db/schema';
import type { Database } from '../../db/types';
import { fail, ok, type Result } from '../../lib/result';
import { type Actor, actorRef } from '../../vocabulary/actors';
import type { Locale, Translate } from '../../vocabulary/locales';
import type { FeeTable } from '../../vocabulary/settings';
import { recordAudit } from '../people/audit';
import { hasDocuments } from './chat-service';
import { findCitizen } from './documents';
import { issueOtp, type OtpDeps, verifyOtp } from './otp';
import { type CertificationRequest, type CreateFailure, createRequest, notifyCitizen } from './requests';

/**
 * Requests taken on the telephone, as offices take them today: staff type the caller's phone,
 * the system sends the code, the caller reads it back, staff enter it, and the request is saved
 * as verified by telephone with the staff member recorded.
 */
export interface TelephoneDeps {
  db: Database;
  otp: OtpDeps;
  feeTable: FeeTable;
  translator: (locale: Locale) => Translate;
}

/** Sends a code to a registered caller's phone. Staff are signed in, so "not registered" is told plainly. */
export async function sendTelephoneCode(
  deps: TelephoneDeps,
  actor: Actor,
  phone: string,
  now: Date,
): Promise<Result<{ challengeId: string; expiresAt: Date }, 'not_registered'> | { ok: false; reason: 'rate_limited'; retryAfterMs: number }> {
  return deps.db.transaction(async (tx) => {
    if (!(await hasDocuments(tx, phone))) return fail('not_registered');
    const issued = await issueOtp(tx, deps.otp, { phone, identityId: null, requestedBy: actorRef(actor), deliver: true, now });
    if (!issued.ok) return issued;
    await recordAudit(tx, { actor, action: 'certification.telephone_code', subject: `otp:${issued.value.challengeId}`, after: { phone }, at: now });
    return issued;
  });
}

export interface TelephoneRequestInput {
  challengeId: string;
  code: string;
  items: { documentId: number; copies: number }[];
  delivery: CertificationDelivery;
}

export type TelephoneFailure =
  | { ok: false; reason: 'wrong_code'; triesLeft: number }
  | { ok: false; reason: 'expired' | 'too_many_tries' | CreateFailure | 'wrong_office' };

/** Undoes the whole transaction (the code stays unused) while carrying the reason out. */
class Rollback extends Error {
  constructor(readonly reason: CreateFailure | 'wrong_office') {
    super(reason);
  }
}

/**
 * Checks the code the caller read back and saves the request, in one transaction: if saving
 * fails for any reason (bad documents, a crash), the code is not consumed and nothing is saved.
 * A wrong code is counted and committed, so the limit of wrong tries holds on the telephone too.
 */
export async function createTelephoneRequest(
  deps: TelephoneDeps,
  actor: Actor,
  input: TelephoneRequestInput,
  now: Date,
): Promise<{ ok: true; value: CertificationRequest } | TelephoneFailure> {
  try {
    return await deps.db.transaction(async (tx) => {
      const [challenge] = await tx.select({ phone: otpChallenges.phone }).from(otpChallenges).where(eq(otpChallenges.id, input.challengeId));
      const citizen = challenge ? await findCitizen(tx, { phone: challenge.phone }) : null;
      if (!citizen) return { ok: false, reason: 'expired' } as const;
      const checked = await verifyOtp(tx, deps.otp, { challengeId: input.challengeId, code: input.code, identityId: null, now });
      if (!checked.ok) return checked;
      const created = await createRequest(tx, deps.feeTable, {
        citizenId: citizen.id,
        identityId: null,
        items: input.items,
        delivery: input.delivery,
        verification: { method: 'telephone_otp', at: now, by: actorRef(actor), challengeId: input.challengeId },
        now,
      });
      if (!created.ok) throw new Rollback(created.reason);
      if (actor.officeId !== null && created.value.officeId !== actor.officeId) throw new Rollback('wrong_office');
      await recordAudit(tx, {
        actor,
        action: 'certification.telephone_request',
        subject: `certification:${created.value.id}`,
        after: { citizenId: citizen.id, items: created.value.items, delivery: created.value.delivery, quotedFee: created.value.quotedFee },
        at: now,
      });
      await notifyCitizen(tx, deps.translator, created.value, now);
      return ok(created.value);
    });
  } catch (error) {
    if (error instanceof Rollback) return { ok: false, reason: error.reason };
    throw error;
  }
}
