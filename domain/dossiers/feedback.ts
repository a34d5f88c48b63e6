import { and, eq, isNull, sql } from 'drizzle-orm';
import { citizens, dossierSubscriptions, dossiers, feedback } from '../../db/schema';
import type { Database } from '../../db/types';
import type { Clock } from '../../lib/clock';
import { fail, ok } from '../../lib/result';
import type { ChatRef } from './lookup';

/** The longest satisfaction comment kept; a citizen writing more is asked to shorten it. */
export const MAX_FEEDBACK_COMMENT = 1000;

/**
 * Satisfaction ratings. Only a chat that may speak for the dossier (it proved the dossier, or
 * its verified phone is the applicant's) rates it, once the result is handed over; the first
 * rating wins (one per dossier).
 */
export function createFeedback(deps: { db: Database; clock: Clock }) {
  const { db } = deps;

  async function mayRate(chat: ChatRef, dossierId: number) {
    const [row] = await db
      .select({ dossier: dossiers, proven: dossierSubscriptions.provenAt, citizenPhone: citizens.phone })
      .from(dossiers)
      .leftJoin(dossierSubscriptions, and(eq(dossierSubscriptions.dossierId, dossiers.id), eq(dossierSubscriptions.identityId, chat.identityId)))
      .leftJoin(citizens, chat.citizenId === null ? sql`false` : eq(citizens.id, chat.citizenId))
      .where(eq(dossiers.id, dossierId));
    if (row?.dossier.status !== 'returned') return null;
    return row.proven !== null || row.citizenPhone === row.dossier.applicantPhone ? row.dossier : null;
  }

  return {
    async rate(chat: ChatRef, dossierId: number, rating: number) {
      if (!Number.isInteger(rating) || rating < 1 || rating > 5) return fail('not_allowed');
      const dossier = await mayRate(chat, dossierId);
      if (!dossier) return fail('not_allowed');
      const inserted = await db
        .insert(feedback)
        .values({ dossierId, identityId: chat.identityId, officeId: dossier.officeId, field: dossier.field, rating, createdAt: deps.clock.now() })
        .onConflictDoNothing({ target: feedback.dossierId })
        .returning({ id: feedback.id });
      return inserted.length ? ok({ receiptCode: dossier.receiptCode }) : fail('already_rated');
    },

    async comment(chat: ChatRef, dossierId: number, text: string) {
      const updated = await db
        .update(feedback)
        .set({ comment: text.slice(0, MAX_FEEDBACK_COMMENT) })
        .where(and(eq(feedback.dossierId, dossierId), eq(feedback.identityId, chat.identityId), isNull(feedback.comment)))
        .returning({ id: feedback.id });
      return updated.length ? ok(undefined) : fail('not_allowed');
    },
  };
}
