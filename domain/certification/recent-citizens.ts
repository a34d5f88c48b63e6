import { desc, eq, max } from 'drizzle-orm';
import { citizens, storedDocuments } from '../../db/schema';
import type { Executor } from '../../db/types';
import type { Actor } from '../../vocabulary/actors';
import type { CitizenRow } from './documents';

/**
 * The citizens whose papers were scanned most recently at the actor's office (any office for a
 * province-wide account), newest first: the counter's "who was just here" list.
 */
export async function recentCitizens(executor: Executor, actor: Actor, limit = 10): Promise<(CitizenRow & { lastScanAt: Date })[]> {
  const lastScanAt = max(storedDocuments.createdAt);
  const rows = await executor
    .select({ id: citizens.id, phone: citizens.phone, fullName: citizens.fullName, lastScanAt })
    .from(storedDocuments)
    .innerJoin(citizens, eq(citizens.id, storedDocuments.citizenId))
    .where(actor.officeId === null ? undefined : eq(storedDocuments.officeId, actor.officeId))
    .groupBy(citizens.id)
    .orderBy(desc(lastScanAt), desc(citizens.id))
    .limit(limit);
  return rows.flatMap((r) => (r.lastScanAt ? [{ ...r, lastScanAt: r.lastScanAt }] : []));
}
