import { createHash } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { citizens, storedDocuments } from '../../db/schema';
import type { Database, Executor } from '../../db/types';
import type { BlobStore } from '../../lib/blob-store';
import { randomToken } from '../../lib/crypto';
import { extensionOf, type ScanType } from '../../lib/file-type';
import { type Actor, actorRef } from '../../vocabulary/actors';
import { recordAudit } from '../people/audit';

/** The papers offices scan most for repeat certification; `other` for the rest (the title says what). */
export const DOCUMENT_KINDS = [
  'cccd',
  'khai_sinh',
  'ket_hon',
  'tot_nghiep',
  'hoc_ba',
  'so_do',
  'giay_phep_lai_xe',
  'ho_chieu',
  'xac_nhan_cu_tru',
  'other',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface CitizenRow {
  id: number;
  phone: string;
  fullName: string | null;
}

/**
 * Opens (or finds) the citizen's account on their first visit. Registering a known phone again
 * updates the name rather than failing: staff often re-enter a returning citizen.
 */
export async function registerCitizen(
  db: Database,
  actor: Actor,
  input: { phone: string; fullName: string },
  now: Date,
): Promise<{ citizen: CitizenRow; created: boolean }> {
  return db.transaction(async (tx) => {
    const [created] = await tx.insert(citizens).values({ phone: input.phone, fullName: input.fullName, createdAt: now }).onConflictDoNothing().returning();
    if (created) {
      await recordAudit(tx, { actor, action: 'citizen.register', subject: `citizen:${created.id}`, after: { fullName: created.fullName }, at: now });
      return { citizen: pick(created), created: true };
    }
    const [existing] = await tx.select().from(citizens).where(eq(citizens.phone, input.phone)).for('update');
    if (!existing) throw new Error('citizen vanished between insert and select');
    if (existing.fullName === input.fullName) return { citizen: pick(existing), created: false };
    const [updated] = await tx.update(citizens).set({ fullName: input.fullName }).where(eq(citizens.id, existing.id)).returning();
    await recordAudit(tx, {
      actor,
      action: 'citizen.rename',
      subject: `citizen:${existing.id}`,
      before: { fullName: existing.fullName },
      after: { fullName: input.fullName },
      at: now,
    });
    return { citizen: pick(updated ?? existing), created: false };
  });
}

const pick = (row: CitizenRow): CitizenRow => ({ id: row.id, phone: row.phone, fullName: row.fullName });

export async function findCitizen(executor: Executor, by: { id: number } | { phone: string }): Promise<CitizenRow | null> {
  const [row] = await executor
    .select()
    .from(citizens)
    .where('id' in by ? eq(citizens.id, by.id) : eq(citizens.phone, by.phone));
  return row ? pick(row) : null;
}

export interface NewDocument {
  citizenId: number;
  officeId: number;
  title: string;
  kind: DocumentKind;
  pages: number;
  bytes: Uint8Array;
  contentType: ScanType;
}

export type StoredDocument = typeof storedDocuments.$inferSelect;

/**
 * Stores a scanned paper: the file first (under a random key), then the row and its audit entry
 * in one transaction. If the row cannot be written, the file is removed again.
 */
export async function addDocument(db: Database, blobs: BlobStore, actor: Actor, input: NewDocument, now: Date): Promise<StoredDocument> {
  const blobKey = `documents/${input.citizenId}/${randomToken(18)}.${extensionOf(input.contentType)}`;
  await blobs.put(blobKey, input.bytes, input.contentType);
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(storedDocuments)
        .values({
          citizenId: input.citizenId,
          officeId: input.officeId,
          title: input.title,
          kind: input.kind,
          pages: input.pages,
          blobKey,
          contentType: input.contentType,
          sizeBytes: input.bytes.byteLength,
          sha256: sha256Bytes(input.bytes),
          createdBy: actorRef(actor),
          createdAt: now,
        })
        .returning();
      if (!row) throw new Error('document insert returned no row');
      await recordAudit(tx, {
        actor,
        action: 'document.add',
        subject: `citizen:${input.citizenId}`,
        after: { documentId: row.id, title: row.title, kind: row.kind, pages: row.pages, officeId: row.officeId, sizeBytes: row.sizeBytes },
        at: now,
      });
      return row;
    });
  } catch (error) {
    await blobs.delete(blobKey).catch(() => {});
    throw error;
  }
}

const sha256Bytes = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The citizen's stored papers, oldest first (the order staff scanned them). */
export function documentsOf(executor: Executor, citizenId: number): Promise<StoredDocument[]> {
  return executor.select().from(storedDocuments).where(eq(storedDocuments.citizenId, citizenId)).orderBy(asc(storedDocuments.id));
}

export async function findDocument(executor: Executor, citizenId: number, documentId: number): Promise<StoredDocument | null> {
  const [row] = await executor
    .select()
    .from(storedDocuments)
    .where(and(eq(storedDocuments.citizenId, citizenId), eq(storedDocuments.id, documentId)));
  return row ?? null;
}
