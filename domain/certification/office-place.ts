import { inArray } from 'drizzle-orm';
import { offices } from '../../db/schema';
import type { Executor } from '../../db/types';
import type { FeeTable } from '../../vocabulary/settings';

/**
 * Where copies are collected, in the words a citizen is given: "name, address" of the office
 * that keeps the papers. The chat's summary and the console's "ready" form say the same place.
 */
export const placeOf = (office: { name: string; address: string }): string => `${office.name}, ${office.address}`;

/** The collection place of each office asked for (offices without a row are left out). */
export async function officePlaces(executor: Executor, officeIds: readonly number[]): Promise<Map<number, string>> {
  const ids = [...new Set(officeIds)];
  if (ids.length === 0) return new Map();
  const rows = await executor.select({ id: offices.id, name: offices.name, address: offices.address }).from(offices).where(inArray(offices.id, ids));
  return new Map(rows.map((o) => [o.id, placeOf(o)]));
}

/**
 * The copy-fee table each office charges: its own (offices.settings, set in the province file or
 * the console) where it differs, else the deployment's `fallback` (CERTIFY_FEE_TABLE).
 */
export async function officeFeeTables(executor: Executor, officeIds: readonly number[], fallback: FeeTable): Promise<(officeId: number) => FeeTable> {
  const ids = [...new Set(officeIds)];
  const rows = ids.length ? await executor.select({ id: offices.id, settings: offices.settings }).from(offices).where(inArray(offices.id, ids)) : [];
  const own = new Map(rows.flatMap((o) => (o.settings.certificationFees ? [[o.id, o.settings.certificationFees] as const] : [])));
  return (officeId) => own.get(officeId) ?? fallback;
}
