import { inArray } from 'drizzle-orm';
import { offices } from '../../db/schema';
import type { Executor } from '../../db/types';

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
