import { inArray } from 'drizzle-orm';
import { offices } from '../../db/schema';
import type { Executor } from '../../db/types';
import type { FeeTable } from '../../vocabulary/settings';

/**
 * Where copies are collected, in the words a citizen is given: "name, address" of the office
 * that keeps the papers. The chat's summary and the console's "ready" form say the same place.
 */
export const placeOf = (office: { name: string; address: string }): string => `${office.name}, ${office.address}`;

async function officesOf(executor: Executor, officeIds: readonly number[]) {
  const ids = [...new Set(officeIds)];
  if (ids.length === 0) return [];
  return executor
    .select({ id: offices.id, name: offices.name, address: offices.address, settings: offices.settings })
    .from(offices)
    .where(inArray(offices.id, ids));
}

interface OfficeTerms {
  /** Where copies are collected ({@link placeOf}). */
  place: string;
  /** The copy-fee table it charges. */
  feeTable: FeeTable;
}

/**
 * Each office's collection place and copy-fee table, in one read: its own table (offices.settings,
 * from the province file or the console) where it differs, else the deployment's `fallback`
 * (CERTIFY_FEE_TABLE). Offices without a row are left out.
 */
export async function officeTerms(executor: Executor, officeIds: readonly number[], fallback: FeeTable): Promise<Map<number, OfficeTerms>> {
  const rows = await officesOf(executor, officeIds);
  return new Map(rows.map((o) => [o.id, { place: placeOf(o), feeTable: o.settings.certificationFees ?? fallback }]));
}

/** The collection place of each office asked for (offices without a row are left out). */
export async function officePlaces(executor: Executor, officeIds: readonly number[]): Promise<Map<number, string>> {
  return new Map((await officesOf(executor, officeIds)).map((o) => [o.id, placeOf(o)]));
}
