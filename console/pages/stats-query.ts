import { periodDays } from '../../domain/dossiers/stats-series';

/** What the dashboard shows: a period of local days and one office or all of them. */
export interface StatsRequest {
  from: string;
  to: string;
  /** Undefined: every office (province-wide accounts only). */
  officeId: number | undefined;
}

export type StatsInput = { from: string; to: string; office: string };

export type ParsedStats =
  | { ok: true; value: StatsRequest; input: StatsInput }
  /** The form again with its problems (400); each key is a text under `stats.errors`. */
  | { ok: false; reason: 'invalid'; errors: { field: 'from' | 'to' | 'office'; key: string }[]; input: StatsInput }
  /** An office the account may not read (403). */
  | { ok: false; reason: 'other_office' };

/** Longer periods make no report anyone asked for, and cost the database for nothing. */
const MAX_PERIOD_DAYS = 5 * 366;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day written yyyy-MM-dd (what a date input sends). */
export function isLocalDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = new Date(Date.UTC(y, mo - 1, d));
  return y >= 2000 && y <= 2100 && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d;
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDayOf = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The periods an official asks for most, relative to today (yyyy-MM-dd, local). */
export function presets(today: string): Record<'thisMonth' | 'lastMonth' | 'thisYear', { from: string; to: string }> {
  const [y = 0, m = 1] = today.split('-').map(Number);
  const [py, pm] = m === 1 ? [y - 1, 12] : [y, m - 1];
  return {
    thisMonth: { from: `${y}-${pad(m)}-01`, to: today },
    lastMonth: { from: `${py}-${pad(pm)}-01`, to: `${py}-${pad(pm)}-${pad(lastDayOf(py, pm))}` },
    thisYear: { from: `${y}-01-01`, to: today },
  };
}

/**
 * Reads the dashboard's query: no dates means this month up to today; an account with an office
 * (`scope`) reads only that office, and asking for another one is refused rather than ignored.
 */
export function parseStatsQuery(
  query: Record<string, string | undefined>,
  context: { today: string; scope: number | null; offices: readonly number[] },
): ParsedStats {
  const given = { from: (query.from ?? '').trim(), to: (query.to ?? '').trim(), office: (query.office ?? '').trim() };
  const input = given.from || given.to ? given : { ...given, ...presets(context.today).thisMonth };
  const office = input.office === '' || input.office === 'all' ? undefined : input.office;
  if (context.scope !== null && office !== undefined && office !== String(context.scope)) return { ok: false, reason: 'other_office' };
  if (context.scope !== null && input.office === 'all') return { ok: false, reason: 'other_office' };

  const errors: { field: 'from' | 'to' | 'office'; key: string }[] = [];
  for (const field of ['from', 'to'] as const) {
    if (!input[field]) errors.push({ field, key: `${field}Missing` });
    else if (!isLocalDate(input[field])) errors.push({ field, key: 'date' });
  }
  if (!errors.length && input.from > input.to) errors.push({ field: 'to', key: 'order' });
  else if (!errors.length && periodDays(input.from, input.to) > MAX_PERIOD_DAYS) errors.push({ field: 'to', key: 'tooLong' });
  const officeId = office === undefined ? (context.scope ?? undefined) : Number(office);
  if (context.scope === null && office !== undefined && !context.offices.includes(officeId ?? Number.NaN)) errors.push({ field: 'office', key: 'office' });
  if (errors.length) return { ok: false, reason: 'invalid', errors, input };
  return { ok: true, value: { from: input.from, to: input.to, officeId }, input };
}

/** The dashboard's query string for a request (and extra parameters such as print=1). */
export function statsSearch(request: { from: string; to: string; officeId?: number | undefined }, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ from: request.from, to: request.to });
  if (request.officeId !== undefined) params.set('office', String(request.officeId));
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return `?${params}`;
}
