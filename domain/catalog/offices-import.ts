import { asc, inArray, sql } from 'drizzle-orm';
import { areas, offices } from '../../db/schema';
import { bigintArrayParam, textArrayParam } from '../../db/sql';
import type { Database, Executor } from '../../db/types';
import type { Actor } from '../../vocabulary/actors';
import { type Area, upsertAreas } from '../messaging/notification-settings';
import { recordAudit } from '../people/audit';
import { type ProvinceOffice, provinceOfficeSchema } from './office-file';

/** What importing a province file does (or did), by office code; the same for a dry run. */
export interface OfficeImportPlan {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Offices in the database the file does not name: kept as they are (their staff and dossiers stay theirs). */
  kept: { code: string; name: string }[];
  /** Communes and wards new to the database. */
  newAreas: string[];
  /** Areas that change office: from (null for none) to the file's. */
  movedAreas: { code: string; from: string | null; to: string }[];
  /** Areas an office of the file served before and the file no longer gives it: left without an office. */
  releasedAreas: string[];
}

/** The offices with the areas each serves, by id, as the file would write them. */
export async function exportOffices(executor: Executor): Promise<ProvinceOffice[]> {
  const [rows, served] = await Promise.all([
    executor.select().from(offices).orderBy(asc(offices.id)),
    executor.select({ code: areas.code, name: areas.name, officeId: areas.officeId }).from(areas).orderBy(asc(areas.code)),
  ]);
  return rows.map((o) => ({
    ...officeFields(o),
    areas: served.filter((a) => a.officeId === o.id).map((a) => ({ code: a.code, name: a.name })),
  }));
}

/** One office in a fixed shape (the schema's key order, areas by code), to compare stored with filed. */
const canonical = (o: ProvinceOffice) => JSON.stringify(provinceOfficeSchema.parse({ ...o, areas: [...o.areas].sort((a, b) => a.code.localeCompare(b.code)) }));

/**
 * What importing `list` would change, read from the database as it is now. Run inside the import's
 * transaction it is also what the import does.
 */
export async function planOfficeImport(executor: Executor, list: readonly ProvinceOffice[]): Promise<OfficeImportPlan> {
  const current = await exportOffices(executor);
  const byCode = new Map(current.map((o) => [o.code, o]));
  const filed = new Set(list.map((o) => o.code));
  const officeOfArea = new Map(current.flatMap((o) => o.areas.map((a) => [a.code, o.code] as const)));
  const known = new Set((await executor.select({ code: areas.code }).from(areas)).map((a) => a.code));
  const fileArea = new Map(list.flatMap((o) => o.areas.map((a) => [a.code, o.code] as const)));
  const plan: OfficeImportPlan = { created: [], updated: [], unchanged: [], kept: [], newAreas: [], movedAreas: [], releasedAreas: [] };
  for (const office of list) {
    const before = byCode.get(office.code);
    if (!before) plan.created.push(office.code);
    else if (canonical(before) === canonical(office)) plan.unchanged.push(office.code);
    else plan.updated.push(office.code);
    for (const area of office.areas) {
      if (!known.has(area.code)) plan.newAreas.push(area.code);
      else if (officeOfArea.get(area.code) !== office.code)
        plan.movedAreas.push({ code: area.code, from: officeOfArea.get(area.code) ?? null, to: office.code });
    }
  }
  for (const office of current) {
    if (!filed.has(office.code)) plan.kept.push({ code: office.code, name: office.name });
    else for (const area of office.areas) if (!fileArea.has(area.code)) plan.releasedAreas.push(area.code);
  }
  return plan;
}

/** What a file says of an office, taken from a stored row or a filed office alike. */
const officeFields = (o: Omit<ProvinceOffice, 'areas'>) => ({
  code: o.code,
  name: o.name,
  address: o.address,
  phone: o.phone,
  openingHours: o.openingHours,
  sameDay: o.sameDay,
  holidays: o.holidays,
  portal: o.portal,
  settings: o.settings,
  demo: o.demo,
});

const officeRow = (o: ProvinceOffice, at: Date) => ({ ...officeFields(o), createdAt: at, updatedAt: at });

/**
 * Imports a province file in one transaction: offices upserted by code (only those that differ
 * are written, so the others keep their time stamps), their areas created or renamed and pointed
 * at them, areas they no longer serve released. Offices the file leaves out are kept and named in
 * the plan: removing an office is a deliberate act on its own page, where its staff and dossiers
 * are counted first. Audited as one `office.import`.
 */
export async function importOffices(db: Database, actor: Actor, list: readonly ProvinceOffice[], format: 'json' | 'csv', now: Date): Promise<OfficeImportPlan> {
  return db.transaction(async (tx) => {
    // One import at a time: two at once would each plan against the other's old state.
    await tx.execute(sql`lock table offices in share row exclusive mode`);
    const plan = await planOfficeImport(tx, list);
    const changed = new Set([...plan.created, ...plan.updated]);
    const writes = list.filter((o) => changed.has(o.code)).map((o) => officeRow(o, now));
    for (let i = 0; i < writes.length; i += 100) {
      await tx
        .insert(offices)
        .values(writes.slice(i, i + 100))
        .onConflictDoUpdate({
          target: offices.code,
          set: {
            name: sql`excluded.name`,
            address: sql`excluded.address`,
            phone: sql`excluded.phone`,
            openingHours: sql`excluded.opening_hours`,
            sameDay: sql`excluded.same_day`,
            holidays: sql`excluded.holidays`,
            portal: sql`excluded.portal`,
            settings: sql`excluded.settings`,
            demo: sql`excluded.demo`,
            updatedAt: sql`excluded.updated_at`,
          },
        });
    }
    const ids = await tx
      .select({ id: offices.id, code: offices.code })
      .from(offices)
      .where(inArray(offices.code, [...list.map((o) => o.code)]));
    const idOf = new Map(ids.map((r) => [r.code, r.id]));
    const served: (Area & { officeId: number })[] = list.flatMap((o) => o.areas.map((a) => ({ ...a, officeId: idOf.get(o.code) ?? 0 })));
    for (let i = 0; i < served.length; i += 500) await upsertAreas(tx, served.slice(i, i + 500), now);
    if (served.length)
      await tx.execute(sql`
        update areas set office_id = m.office_id
        from (select unnest(${textArrayParam(served.map((a) => a.code))}) as code, unnest(${bigintArrayParam(served.map((a) => a.officeId))}) as office_id) m
        where areas.code = m.code and areas.office_id is distinct from m.office_id`);
    if (plan.releasedAreas.length) await tx.execute(sql`update areas set office_id = null where code = any(${textArrayParam(plan.releasedAreas)})`);
    await recordAudit(tx, {
      actor,
      action: 'office.import',
      subject: 'offices',
      before: { offices: plan.unchanged.length + plan.updated.length + plan.kept.length },
      after: { format, ...plan, unchanged: plan.unchanged.length },
      at: now,
    });
    return plan;
  });
}
