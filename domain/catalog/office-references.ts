import { count, eq } from 'drizzle-orm';
import { certificationRequests, dossiers, staffUsers, storedDocuments } from '../../db/schema';
import type { Database } from '../../db/types';

/** What still names an office: removing it would leave these pointing at nothing. */
export interface OfficeReferences {
  staff: number;
  dossiers: number;
  certificationRequests: number;
  documents: number;
}

/**
 * Counts the accounts, dossiers, certification requests and stored scans that belong to an
 * office. An office with any of them is kept: its records would lose their office otherwise.
 *
 * @example const refs = await officeReferences(db, 2); if (inUse(refs)) refuse();
 */
export async function officeReferences(db: Database, officeId: number): Promise<OfficeReferences> {
  const [staff, files, requests, docs] = await Promise.all([
    db.select({ n: count() }).from(staffUsers).where(eq(staffUsers.officeId, officeId)),
    db.select({ n: count() }).from(dossiers).where(eq(dossiers.officeId, officeId)),
    db.select({ n: count() }).from(certificationRequests).where(eq(certificationRequests.officeId, officeId)),
    db.select({ n: count() }).from(storedDocuments).where(eq(storedDocuments.officeId, officeId)),
  ]);
  return { staff: staff[0]?.n ?? 0, dossiers: files[0]?.n ?? 0, certificationRequests: requests[0]?.n ?? 0, documents: docs[0]?.n ?? 0 };
}

/** True when something still belongs to the office. */
export const inUse = (refs: OfficeReferences): boolean => Object.values(refs).some((n) => n > 0);
