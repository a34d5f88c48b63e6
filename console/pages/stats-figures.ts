import type { StoredOffice } from '../../domain/catalog/store';
import { type DossierFigures, type DossierStats, dossierStats, officeStats } from '../../domain/dossiers/stats';
import { type Bucket, dossierSeries, type StatsSeries } from '../../domain/dossiers/stats-series';
import { type ChatUsage, chatUsage } from '../../domain/messaging/chat-usage';
import type { Translate } from '../../vocabulary/locales';
import type { ConsoleDeps } from '../context';
import type { StatsRequest } from './stats-query';

/** Everything the dashboard, its print view and its CSV show for one request. */
export interface StatsFigures {
  request: StatsRequest;
  /** The office's name, or null for every office. */
  officeName: string | null;
  stats: DossierStats;
  /** The province view (every office): the same figures office by office; null for one office. */
  byOffice: (DossierFigures & { officeId: number; name: string })[] | null;
  series: StatsSeries;
  chat: ChatUsage;
  now: Date;
}

/** The same domain calls as GET /api/v1/stats (so the figures agree), plus the series for the charts. */
export async function loadStatsFigures(deps: ConsoleDeps, request: StatsRequest, offices: readonly StoredOffice[]): Promise<StatsFigures> {
  const now = deps.clock.now();
  const query = { from: request.from, to: request.to, officeId: request.officeId };
  const [stats, series, chat, perOffice] = await Promise.all([
    dossierStats(deps.db, query, now),
    dossierSeries(deps.db, query),
    chatUsage(deps.db, request.from, request.to),
    request.officeId === undefined ? officeStats(deps.db, query, now) : null,
  ]);
  const nameOf = (id: number) => offices.find((o) => o.id === id)?.name ?? `#${id}`;
  const officeName = request.officeId === undefined ? null : nameOf(request.officeId);
  const byOffice = perOffice?.map((f) => ({ ...f, name: nameOf(f.officeId) })) ?? null;
  return { request, officeName, stats, byOffice, series, chat, now };
}

/** Number formatting in the reader's language (1.234,5 in Vietnamese, 1,234.5 in English). */
export function numberFormat(locale: string) {
  const whole = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 0 });
  const share = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const average = new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return {
    whole: (n: number) => whole.format(n),
    /** A percentage with one decimal: 86,7 %. */
    percent: (n: number) => `${share.format(n)} %`,
    /** An average rating with two decimals, so a column of them lines up: 4,50. */
    average: (n: number) => average.format(n),
  };
}

/** A day or month bucket as printed under a chart (short: the period above names the year) and in a table (long). */
export function bucketLabels(bucket: Bucket, key: string, t: Translate): { short: string; long: string } {
  const [y, m, d] = key.split('-');
  if (bucket === 'month') return { short: t(`stats.monthShort.${Number(m)}`), long: t('stats.monthOf', { month: m, year: y }) };
  return { short: `${Number(d)}/${Number(m)}`, long: `${d}/${m}/${y}` };
}

/** The field's name, or what to call dossiers filed without one. */
export const fieldName = (field: string | null, t: Translate) => field ?? t('stats.noField');

/** Early or on time, as a share of the resolved dossiers (null when none was resolved). */
export function onTimeShare(resolved: { total: number; early: number; onTime: number }): number | null {
  return resolved.total > 0 ? Math.round(((resolved.early + resolved.onTime) / resolved.total) * 1000) / 10 : null;
}
