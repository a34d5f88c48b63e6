import { and, eq, inArray, sql } from 'drizzle-orm';
import { certificationRequests, storedDocuments } from '../../db/schema';
import type { Database } from '../../db/types';
import type { BlobStore } from '../../lib/blob-store';
import { fail, ok, type Result } from '../../lib/result';
import type { Actor } from '../../vocabulary/actors';
import { recordAudit } from '../people/audit';
import type { StoredDocument } from './documents';

/** Requests in these states still need the scan to print from; the rest keep their own snapshot. */
const UNFINISHED = ['submitted', 'confirmed', 'ready'] as const;

export type RetireFailure = 'not_found' | 'in_use';

/**
 * Takes a stored paper out of use (an expired ID card, a wrong scan): its row and its file are
 * removed, so the citizen can no longer ask for copies of it, and the audit log keeps what it was.
 * Finished requests keep their own copy of the title, kind and pages. Refused while an unfinished
 * request still names it (`requestIds` says which), and for another office's paper (`not_found`,
 * as if it did not exist).
 */
export async function retireDocument(
  db: Database,
  blobs: BlobStore,
  actor: Actor,
  ref: { citizenId: number; documentId: number },
  now: Date,
): Promise<Result<StoredDocument, RetireFailure> & { requestIds?: number[] }> {
  return db.transaction(async (tx) => {
    const [doc] = await tx
      .select()
      .from(storedDocuments)
      .where(and(eq(storedDocuments.citizenId, ref.citizenId), eq(storedDocuments.id, ref.documentId)))
      .for('update');
    if (!doc || (actor.officeId !== null && doc.officeId !== actor.officeId)) return fail('not_found');
    const using = await tx
      .select({ id: certificationRequests.id })
      .from(certificationRequests)
      .where(
        and(
          eq(certificationRequests.citizenId, ref.citizenId),
          inArray(certificationRequests.status, [...UNFINISHED]),
          sql`${certificationRequests.items} @> ${JSON.stringify([{ documentId: doc.id }])}::jsonb`,
        ),
      );
    if (using.length) return { ...fail('in_use'), requestIds: using.map((r) => r.id) };
    await tx.delete(storedDocuments).where(eq(storedDocuments.id, doc.id));
    await recordAudit(tx, {
      actor,
      action: 'document.retire',
      subject: `citizen:${doc.citizenId}`,
      before: { documentId: doc.id, title: doc.title, kind: doc.kind, pages: doc.pages, officeId: doc.officeId, sha256: doc.sha256 },
      at: now,
    });
    // Last, inside the transaction: if the file cannot be removed, the paper stays as it was
    // rather than leaving a citizen's ID scan behind with nothing pointing at it.
    await blobs.delete(doc.blobKey);
    return ok(doc);
  });
}
