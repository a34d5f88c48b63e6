import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rowsOf } from '../../db/types';
import { addLocalDays, localTime } from '../../lib/vn-time';

/** A period of whole local days (Asia/Ho_Chi_Minh), both ends included, plus optional filters. */
export interface StatsQuery {
  /** yyyy-MM-dd, local. */
  from: string;
  /** yyyy-MM-dd, local, included. */
  to: string;
  officeId?: number;
  field?: string;
}

export interface DossierFigures {
  received: { total: number; online: number; counter: number };
  /** Resolved in the period (first ready or returned), against the due date. */
  resolved: { total: number; early: number; onTime: number; late: number };
  /** Received by the end of the period and still not resolved, as of now. */
  open: { total: number; overdue: number };
  satisfaction: { count: number; average: number | null };
}

export interface DossierStats extends DossierFigures {
  period: { from: string; to: string; start: Date; end: Date };
  byField: (DossierFigures & { field: string | null })[];
}

/** The instants a local-date period covers: [00:00 of `from`, 00:00 of the day after `to`). */
export function periodBounds(from: string, to: string): { start: Date; end: Date } {
  const [fy = 0, fm = 1, fd = 1] = from.split('-').map(Number);
  const [ty = 0, tm = 1, td = 1] = to.split('-').map(Number);
  return { start: localTime(fy, fm, fd), end: addLocalDays(localTime(ty, tm, td), 1) };
}

/** Raw SQL takes instants as ISO text: postgres.js does not serialise a Date given to sql``. */
const instant = (at: Date): SQL => sql`${at.toISOString()}::timestamptz`;

/** A timestamp column's local (Asia/Ho_Chi_Minh) wall-clock time, as an SQL timestamp without time zone. */
export const localTimeOf = (column: string): SQL => sql.raw(`(${column} at time zone 'Asia/Ho_Chi_Minh')`);

const localDay = (column: string) => sql`${localTimeOf(column)}::date`;

/**
 * The conditions every statistics query shares, so that each figure counts the same dossiers:
 * the period's instants, the office and field filters (true when absent), and "received in the
 * period" (a range on received_at, which the received indexes serve).
 */
export function statsFilters(query: StatsQuery) {
  const { start, end } = periodBounds(query.from, query.to);
  const [from, until] = [instant(start), instant(end)];
  return {
    start,
    end,
    from,
    until,
    office: query.officeId === undefined ? sql`true` : sql`office_id = ${query.officeId}`,
    field: query.field === undefined ? sql`true` : sql`field = ${query.field}`,
    received: sql`(received_at >= ${from} and received_at < ${until})`,
  };
}

const empty = (): DossierFigures => ({
  received: { total: 0, online: 0, counter: 0 },
  resolved: { total: 0, early: 0, onTime: 0, late: 0 },
  open: { total: 0, overdue: 0 },
  satisfaction: { count: 0, average: null },
});

/** What the figures are grouped by: the field (every view) or the office (the province's table). */
type GroupColumn = 'field' | 'office_id';

/**
 * The four statistics queries, grouped by `column`: figures per group, and each group's sum of
 * ratings (to average over several groups). Every dossier is in exactly one group, so the groups
 * add up to the whole.
 */
async function groupedFigures(executor: Executor, query: StatsQuery, now: Date, column: GroupColumn) {
  const { from, until, office, field, received } = statsFilters(query);
  const at = instant(now);
  const key = sql.raw(column);
  const resolved = sql`(resolved_at >= ${from} and resolved_at < ${until})`;

  // Separate scans of the received and the resolved index, each index-only: no table reads.
  const [arrivals, resolutions, backlog, ratings] = await Promise.all([
    executor.execute(sql`
      select ${key} as key,
        count(*)::int as received,
        count(*) filter (where channel = 'online')::int as online,
        count(*) filter (where channel = 'counter')::int as counter
      from dossiers
      where ${office} and ${field} and ${received}
      group by 1`),
    executor.execute(sql`
      select ${key} as key,
        count(*)::int as resolved,
        count(*) filter (where ${localDay('resolved_at')} < ${localDay('due_at')})::int as early,
        count(*) filter (where resolved_at <= due_at and ${localDay('resolved_at')} >= ${localDay('due_at')})::int as on_time,
        count(*) filter (where resolved_at > due_at)::int as late
      from dossiers
      where ${office} and ${field} and ${resolved}
      group by 1`),
    executor.execute(sql`
      select ${key} as key, count(*)::int as open, count(*) filter (where due_at < ${at})::int as overdue
      from dossiers
      where status in ('received', 'processing', 'needs_supplement') and received_at < ${until} and ${office} and ${field}
      group by 1`),
    executor.execute(sql`
      select ${key} as key, count(*)::int as n, sum(rating)::int as total
      from feedback
      where created_at >= ${from} and created_at < ${until} and ${office} and ${field}
      group by 1`),
  ]);

  type Key = string | number | null;
  const groups = new Map<Key, DossierFigures>();
  const ratingTotals = new Map<Key, number>();
  // office_id is a bigint: some drivers give it as text.
  const keyOf = (k: Key): Key => (column === 'office_id' && k !== null ? Number(k) : k);
  const figures = (raw: Key) => {
    const k = keyOf(raw);
    const entry = groups.get(k) ?? empty();
    groups.set(k, entry);
    return entry;
  };
  for (const r of rowsOf<{ key: Key; received: number; online: number; counter: number }>(arrivals)) {
    figures(r.key).received = { total: r.received, online: r.online, counter: r.counter };
  }
  for (const r of rowsOf<{ key: Key; resolved: number; early: number; on_time: number; late: number }>(resolutions)) {
    figures(r.key).resolved = { total: r.resolved, early: r.early, onTime: r.on_time, late: r.late };
  }
  for (const r of rowsOf<{ key: Key; open: number; overdue: number }>(backlog)) figures(r.key).open = { total: r.open, overdue: r.overdue };
  for (const r of rowsOf<{ key: Key; n: number; total: number }>(ratings)) {
    ratingTotals.set(keyOf(r.key), r.total);
    figures(r.key).satisfaction = { count: r.n, average: round2(r.total / r.n) };
  }
  return { groups, ratingTotals };
}

/**
 * The figures the province asks for, computed in SQL. "Early" means resolved on a local day
 * before the due day, "on time" by the due moment, "late" after it (Asia/Ho_Chi_Minh days).
 *
 * @example await dossierStats(db, { from: '2026-10-01', to: '2026-10-31', officeId: 1 }, now)
 */
export async function dossierStats(executor: Executor, query: StatsQuery, now: Date): Promise<DossierStats> {
  const { start, end } = periodBounds(query.from, query.to);
  const { groups, ratingTotals } = await groupedFigures(executor, query, now, 'field');
  const overall = empty();
  let ratingTotal = 0;
  for (const [key, f] of groups) {
    overall.received.total += f.received.total;
    overall.received.online += f.received.online;
    overall.received.counter += f.received.counter;
    overall.resolved.total += f.resolved.total;
    overall.resolved.early += f.resolved.early;
    overall.resolved.onTime += f.resolved.onTime;
    overall.resolved.late += f.resolved.late;
    overall.open.total += f.open.total;
    overall.open.overdue += f.open.overdue;
    overall.satisfaction.count += f.satisfaction.count;
    ratingTotal += ratingTotals.get(key) ?? 0;
  }
  overall.satisfaction.average = overall.satisfaction.count ? round2(ratingTotal / overall.satisfaction.count) : null;
  return {
    period: { from: query.from, to: query.to, start, end },
    ...overall,
    byField: [...groups]
      .map(([key, f]) => ({ field: key === null ? null : String(key), ...f }))
      .sort((a, b) => b.received.total - a.received.total || String(a.field).localeCompare(String(b.field))),
  };
}

/**
 * The same figures office by office (the province's table): one entry per office with any
 * dossier or rating in the period, most received first. They add up to {@link dossierStats}
 * for every office.
 *
 * @example await officeStats(db, { from: '2026-10-01', to: '2026-10-31' }, now)
 */
export async function officeStats(executor: Executor, query: StatsQuery, now: Date): Promise<(DossierFigures & { officeId: number })[]> {
  const { groups } = await groupedFigures(executor, query, now, 'office_id');
  return [...groups].map(([key, f]) => ({ officeId: Number(key), ...f })).sort((a, b) => b.received.total - a.received.total || a.officeId - b.officeId);
}

const round2 = (n: number) => Math.round(n * 100) / 100;
