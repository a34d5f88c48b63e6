import { and, asc, count, desc, eq, isNotNull, max, ne, sql } from 'drizzle-orm';
import { areas, offices, procedures, searchLog } from '../../db/schema';
import type { Database, Executor } from '../../db/types';
import { type LinkOffice, type LinkTargets, officeLink, procedureLink } from '../../knowledge/deep-link';
import { DEMO_OFFICE, loadDefaultCatalog } from '../../knowledge/default-catalog';
import { cleanText, foldVietnamese } from '../../knowledge/normalize';
import { defaultReferrals } from '../../knowledge/referrals';
import type { SearchHit, SearchResult } from '../../knowledge/search';
import { createSearch, type Search } from '../../knowledge/search';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import { fail, ok, type Result } from '../../lib/result';
import type { Actor } from '../../vocabulary/actors';
import type { ChannelName } from '../../vocabulary/channels';
import { type Office, officeCodeFrom, officeSchema, type Procedure, procedureSchema } from '../../vocabulary/procedure';
import { recordAudit } from '../people/audit';
import type { ProvinceOffice } from './office-file';
import { importOffices, type OfficeImportPlan } from './offices-import';

export interface CatalogDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  links: LinkTargets;
  /** How often a process checks whether another process changed the catalog. */
  recheckMs?: number;
}

export interface StoredOffice extends Office {
  id: number;
  code: string;
}

/**
 * Every office of the deployment held in memory (a province has about a hundred), so that finding
 * a chat's office is a map lookup and costs the message no round trip.
 */
export interface OfficeDirectory {
  byId: ReadonlyMap<number, StoredOffice>;
  byCode: ReadonlyMap<string, StoredOffice>;
  /** The communes/wards an admin assigned to an office, by area code. */
  areas: ReadonlyMap<string, { name: string; officeId: number }>;
}

export interface UnansweredQuestion {
  query: string;
  count: number;
  lastAskedAt: Date;
  bestCode: string | null;
}

/**
 * The catalog service: the procedures and offices in the database, the search index built
 * from them, and the admin writes (each audited in its own transaction).
 */
export interface Catalog {
  search(query: string): Promise<SearchResult>;
  get(code: string): Promise<Procedure | null>;
  /**
   * The deployment's office when it has only one (the shipped demo, a single commune), else null:
   * with several, which one applies depends on the reader (a chat's: bot/core/office-port.ts).
   */
  office(): Promise<StoredOffice | null>;
  /** The offices and the areas they serve (rechecked like the index); a chat's office is looked up here. */
  offices(): Promise<OfficeDirectory>;
  /** The link that opens this procedure's card (Telegram bot or web chat); with an office, it also makes that office the chat's. */
  link(code: string, office?: LinkOffice): string;
  /** The link of an office's own QR code: opening it makes that office the chat's. */
  officeLink(office: LinkOffice): string;
  /** Stores a question with no good answer (digits masked) for the admins' list. */
  recordUnanswered(entry: { query: string; channel: ChannelName; best?: SearchHit | undefined }): Promise<void>;
  /** Seeds the shipped catalog and the demo office into an empty database and builds the index. */
  start(): Promise<void>;
  list(): Promise<Procedure[]>;
  upsert(actor: Actor, procedure: Procedure): Promise<{ created: boolean }>;
  remove(actor: Actor, code: string): Promise<Result<void, 'not_found'>>;
  /** Replaces the whole catalog in one transaction. */
  replaceAll(actor: Actor, list: readonly Procedure[], format: 'json' | 'csv'): Promise<void>;
  listOffices(): Promise<StoredOffice[]>;
  getOffice(id: number): Promise<StoredOffice | null>;
  /** Saves an office; `code_taken` names the other office that has the code. */
  saveOffice(actor: Actor, id: number | null, office: Office): Promise<Result<StoredOffice, 'not_found' | 'code_taken'>>;
  /** Imports a province file (domain/catalog/offices-import.ts) and rebuilds what the chat reads. */
  importOffices(actor: Actor, list: readonly ProvinceOffice[], format: 'json' | 'csv'): Promise<OfficeImportPlan>;
  removeOffice(actor: Actor, id: number): Promise<Result<void, 'not_found'>>;
  unanswered(limit: number): Promise<UnansweredQuestion[]>;
}

/** Phone numbers, ID numbers and receipt codes in a question are not kept. */
export function maskDigits(text: string): string {
  return text.replace(/\d[\d .-]{3,}\d/g, (run) => (run.replace(/\D/g, '').length >= 5 ? '[số]' : run));
}

const toStoredOffice = (row: typeof offices.$inferSelect): StoredOffice => ({
  id: row.id,
  name: row.name,
  address: row.address,
  phone: row.phone,
  openingHours: row.openingHours,
  sameDay: row.sameDay,
  holidays: row.holidays,
  code: row.code,
  portal: row.portal,
  settings: row.settings,
  demo: row.demo,
});

/** Reads every office and the area assignments: what {@link OfficeDirectory} holds. */
async function loadOfficeDirectory(db: Database): Promise<OfficeDirectory> {
  const list = (await db.select().from(offices).orderBy(asc(offices.id))).map(toStoredOffice);
  const assigned = await db
    .select({ code: areas.code, name: areas.name, officeId: areas.officeId })
    .from(areas)
    .where(isNotNull(areas.officeId))
    .orderBy(asc(areas.name));
  return {
    byId: new Map(list.map((o) => [o.id, o])),
    byCode: new Map(list.map((o) => [o.code, o])),
    areas: new Map(assigned.flatMap((a) => (a.officeId === null ? [] : [[a.code, { name: a.name, officeId: a.officeId }] as const]))),
  };
}

/**
 * What changes when an admin assigns or renames areas (areas carry no update time): a digest of
 * the assigned areas, read with the catalog's other signatures (a few hundred short rows).
 */
async function areaOfficesSignature(db: Database): Promise<string> {
  const [row] = await db
    .select({ digest: sql<string | null>`md5(string_agg(${areas.code} || '=' || ${areas.officeId} || '=' || ${areas.name}, ',' order by ${areas.code}))` })
    .from(areas)
    .where(isNotNull(areas.officeId));
  return row?.digest ?? '';
}

const rowOf = (p: Procedure, at: Date) => ({ code: p.code, name: p.name, groupName: p.group, data: p, updatedAt: at });

/** The advisory lock key of the first-start seeding ('mcub' in ASCII; db/migrate-locked.ts has 'mcua'). */
const SEED_LOCK_KEY = 0x6d637562;

/**
 * What a new database starts with, as {@link seedShippedCatalog} loads it: the shipped catalog and
 * the demo office. The install's PGlite template is keyed by it (runtime/install-template.ts).
 */
export function shippedData() {
  return { catalog: loadDefaultCatalog(), office: DEMO_OFFICE };
}

/**
 * Loads the shipped catalog into empty tables, and the demo office when there is no office: what
 * a new database starts with (at first start, or when the install makes its PGlite template).
 * Returns how many procedures it loaded (0 when the table already had some). Processes starting
 * together on one new database take turns under an advisory lock: each would otherwise find no
 * office and add the demo office, which nothing makes unique.
 */
export async function seedShippedCatalog(db: Database, at: Date): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${SEED_LOCK_KEY})`);
    const [p] = await tx.select({ n: count() }).from(procedures);
    let loaded = 0;
    if (!p?.n) {
      const shipped = loadDefaultCatalog();
      for (let i = 0; i < shipped.length; i += 50) {
        await tx
          .insert(procedures)
          .values(shipped.slice(i, i + 50).map((s) => rowOf(s, at)))
          .onConflictDoNothing();
      }
      loaded = shipped.length;
    }
    const [o] = await tx.select({ n: count() }).from(offices);
    if (!o?.n) await tx.insert(offices).values({ ...DEMO_OFFICE, createdAt: at, updatedAt: at });
    return loaded;
  });
}

/**
 * Builds the catalog service. The index lives in memory, is rebuilt after every write here, and
 * is rebuilt when another process changed the tables (checked at most every `recheckMs`).
 *
 * @example
 * const catalog = createCatalog({ db, clock, logger, links: { publicUrl } });
 * await catalog.start();
 * const found = await catalog.search('đăng ký kết hôn');
 */
export function createCatalog(deps: CatalogDeps): Catalog {
  const { db, clock, logger } = deps;
  const recheckMs = deps.recheckMs ?? 30_000;
  let snapshot: { search: Search; byCode: Map<string, Procedure>; offices: OfficeDirectory; signature: string } | null = null;
  let checkedAt = 0;

  async function signature(): Promise<string> {
    const [p] = await db.select({ n: count(), at: max(procedures.updatedAt) }).from(procedures);
    const [o] = await db.select({ n: count(), at: max(offices.updatedAt) }).from(offices);
    return `${p?.n}:${p?.at?.getTime() ?? 0}:${o?.n}:${o?.at?.getTime() ?? 0}:${await areaOfficesSignature(db)}`;
  }

  async function load(): Promise<Procedure[]> {
    const rows = await db.select({ code: procedures.code, data: procedures.data }).from(procedures).orderBy(asc(procedures.code));
    const list: Procedure[] = [];
    for (const row of rows) {
      const parsed = procedureSchema.safeParse(row.data);
      if (parsed.success) list.push(parsed.data);
      else logger.error('stored procedure does not parse; left out of search', { code: row.code, issues: parsed.error.issues.length });
    }
    return list;
  }

  async function rebuild(): Promise<void> {
    const sig = await signature();
    const list = await load();
    const directory = await loadOfficeDirectory(db);
    const started = performance.now();
    snapshot = {
      search: createSearch(list, { referrals: defaultReferrals().documents }),
      byCode: new Map(list.map((p) => [p.code, p])),
      offices: directory,
      signature: sig,
    };
    checkedAt = clock.now().getTime();
    logger.info('procedure index built', { procedures: list.length, ms: Math.round(performance.now() - started) });
  }

  async function current() {
    const now = clock.now().getTime();
    if (!snapshot) await rebuild();
    else if (now - checkedAt >= recheckMs) {
      checkedAt = now;
      if ((await signature()) !== snapshot.signature) await rebuild();
    }
    if (!snapshot) throw new Error('procedure index not built');
    return snapshot;
  }

  /** Runs a write and its audit row in one transaction, then rebuilds the index. */
  async function audited<T>(
    actor: Actor,
    action: string,
    subject: string | ((value: T) => string),
    before: unknown,
    after: unknown,
    write: (tx: Executor) => Promise<T>,
  ): Promise<T> {
    const result = await db.transaction(async (tx) => {
      const value = await write(tx);
      await recordAudit(tx, { actor, action, subject: typeof subject === 'string' ? subject : subject(value), before, after, at: clock.now() });
      return value;
    });
    await rebuild();
    return result;
  }

  async function getOffice(id: number): Promise<StoredOffice | null> {
    const [row] = await db.select().from(offices).where(eq(offices.id, id));
    return row ? toStoredOffice(row) : null;
  }

  return {
    async start() {
      const seeded = await seedShippedCatalog(db, clock.now());
      if (seeded) logger.info('procedure catalog seeded from the shipped data', { procedures: seeded });
      await rebuild();
    },

    async search(query) {
      return (await current()).search.search(query, { limit: 5 });
    },
    async get(code) {
      return (await current()).byCode.get(code) ?? null;
    },
    async office() {
      const { byId } = (await current()).offices;
      return byId.size === 1 ? ([...byId.values()][0] ?? null) : null;
    },
    async offices() {
      return (await current()).offices;
    },
    link: (code, office) => procedureLink(code, deps.links, office),
    officeLink: (office) => officeLink(office, deps.links),
    async recordUnanswered({ query, channel, best }) {
      const masked = maskDigits(cleanText(query));
      if (!foldVietnamese(masked)) return;
      await db
        .insert(searchLog)
        .values({ query: masked, folded: foldVietnamese(masked), channel, topCode: best?.code ?? null, topScore: best?.score ?? null, at: clock.now() });
    },

    list: async () => [...(await current()).byCode.values()],

    async upsert(actor, procedure) {
      const [before] = await db.select({ data: procedures.data }).from(procedures).where(eq(procedures.code, procedure.code));
      const row = rowOf(procedure, clock.now());
      await audited(actor, 'procedure.upsert', `procedure:${procedure.code}`, before?.data ?? null, procedure, (tx) =>
        tx
          .insert(procedures)
          .values(row)
          .onConflictDoUpdate({ target: procedures.code, set: { name: row.name, groupName: row.groupName, data: row.data, updatedAt: row.updatedAt } }),
      );
      return { created: !before };
    },

    async remove(actor, code) {
      const [before] = await db.select({ data: procedures.data }).from(procedures).where(eq(procedures.code, code));
      if (!before) return fail('not_found');
      await audited(actor, 'procedure.delete', `procedure:${code}`, before.data, null, (tx) => tx.delete(procedures).where(eq(procedures.code, code)));
      return ok(undefined);
    },

    async replaceAll(actor, list, format) {
      const [before] = await db.select({ n: count() }).from(procedures);
      const at = clock.now();
      await audited(
        actor,
        'procedure.import',
        'procedures',
        { count: before?.n ?? 0 },
        { count: list.length, format, codes: list.map((p) => p.code) },
        async (tx) => {
          await tx.delete(procedures);
          for (let i = 0; i < list.length; i += 50) await tx.insert(procedures).values(list.slice(i, i + 50).map((p) => rowOf(p, at)));
        },
      );
    },

    async listOffices() {
      return (await db.select().from(offices).orderBy(asc(offices.id))).map(toStoredOffice);
    },
    getOffice,
    async saveOffice(actor, id, office) {
      const valid = officeSchema.parse(office);
      const now = clock.now();
      const code = valid.code ?? (id === null ? officeCodeFrom(valid.name) : undefined);
      if (code !== undefined) {
        const [taken] = await db
          .select({ name: offices.name })
          .from(offices)
          .where(and(eq(offices.code, code), ne(offices.id, id ?? 0)));
        if (taken) return fail('code_taken', `The code ${code} belongs to ${taken.name}.`);
      }
      if (id === null) {
        const row = await audited<typeof offices.$inferSelect | undefined>(
          actor,
          'office.create',
          (inserted) => `office:${inserted?.id}`,
          null,
          valid,
          async (tx) => {
            const [inserted] = await tx
              .insert(offices)
              .values({ ...valid, code: code ?? officeCodeFrom(valid.name), createdAt: now, updatedAt: now })
              .returning();
            return inserted;
          },
        );
        if (!row) throw new Error('office insert returned no row');
        return ok(toStoredOffice(row));
      }
      const before = await getOffice(id);
      if (!before) return fail('not_found');
      const row = await audited<typeof offices.$inferSelect | undefined>(actor, 'office.update', `office:${id}`, before, valid, async (tx) => {
        const [updated] = await tx
          .update(offices)
          .set({ ...valid, code: valid.code ?? before.code, updatedAt: now })
          .where(eq(offices.id, id))
          .returning();
        return updated;
      });
      if (!row) return fail('not_found');
      return ok(toStoredOffice(row));
    },
    async importOffices(actor, list, format) {
      const plan = await importOffices(db, actor, list, format, clock.now());
      await rebuild();
      return plan;
    },
    async removeOffice(actor, id) {
      const before = await getOffice(id);
      if (!before) return fail('not_found');
      await audited(actor, 'office.delete', `office:${id}`, before, null, async (tx) => {
        // Its communes and wards stay, without an office, until an admin or a province file gives them one.
        await tx.update(areas).set({ officeId: null }).where(eq(areas.officeId, id));
        await tx.delete(offices).where(eq(offices.id, id));
      });
      return ok(undefined);
    },

    async unanswered(limit) {
      const rows = await db
        .select({
          folded: searchLog.folded,
          query: sql<string>`max(${searchLog.query})`,
          n: count(),
          last: max(searchLog.at),
          best: sql<string | null>`max(${searchLog.topCode})`,
        })
        .from(searchLog)
        .groupBy(searchLog.folded)
        .orderBy(desc(count()), desc(max(searchLog.at)))
        .limit(limit);
      return rows.map((r) => ({ query: r.query, count: Number(r.n), lastAskedAt: r.last ?? new Date(0), bestCode: r.best ?? null }));
    },
  };
}
