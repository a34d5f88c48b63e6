import { eq } from 'drizzle-orm';
import { otpChallenges } from '../../db/schema';
import type { Executor } from '../../db/types';
import { type Actor, actorRef } from '../../vocabulary/actors';
import { type CitizenRow, documentsOf, findCitizen, type StoredDocument } from './documents';

export interface TelephoneCaller {
  challengeId: string;
  expiresAt: Date;
  citizen: CitizenRow;
  /** The caller's papers this actor's office keeps (all of them for province-wide accounts). */
  documents: StoredDocument[];
}

/**
 * Who is on the line for a telephone code this staff member sent: the caller and the papers
 * they may ask copies of. Only the sender of the code gets an answer, so a challenge id seen
 * elsewhere opens nobody's papers; null otherwise.
 */
export async function telephoneCaller(executor: Executor, actor: Actor, challengeId: string): Promise<TelephoneCaller | null> {
  const [challenge] = await executor
    .select({ phone: otpChallenges.phone, requestedBy: otpChallenges.requestedBy, expiresAt: otpChallenges.expiresAt })
    .from(otpChallenges)
    .where(eq(otpChallenges.id, challengeId));
  if (!challenge || challenge.requestedBy !== actorRef(actor)) return null;
  const citizen = await findCitizen(executor, { phone: challenge.phone });
  if (!citizen) return null;
  const documents = (await documentsOf(executor, citizen.id)).filter((d) => actor.officeId === null || d.officeId === actor.officeId);
  return { challengeId, expiresAt: challenge.expiresAt, citizen, documents };
}
