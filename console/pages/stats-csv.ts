import { stringify } from 'csv-stringify/sync';
import type { DossierFigures } from '../../domain/dossiers/stats';
import { spreadsheetSafe } from '../../lib/csv-table';
import type { Translate } from '../../vocabulary/locales';
import { fieldName, onTimeShare, type StatsFigures } from './stats-figures';

/**
 * The dashboard's figures as one CSV file in blocks (period, totals by field, received over
 * time, ratings, weekdays, hours, unanswered questions), each under its own header row, in the
 * reader's language. Figures are plain numbers (no thousands separator) so a spreadsheet adds
 * them up; days are yyyy-MM-dd. A byte-order mark lets Excel read the Vietnamese as UTF-8.
 */
export function statsCsv(figures: StatsFigures, t: Translate): string {
  const { stats, series, chat, request } = figures;
  const rows: (string | number)[][] = [];
  const block = (...lines: (string | number)[][]) => {
    if (rows.length) rows.push([]);
    rows.push(...lines);
  };
  block(
    [t('stats.csv.report')],
    [t('stats.office'), figures.officeName ?? t('stats.allOffices')],
    [t('stats.from'), request.from],
    [t('stats.to'), request.to],
  );
  const columns = ['received', 'online', 'counter', 'resolved', 'early', 'onTime', 'late', 'onTimeShare', 'open', 'overdue', 'ratings', 'average'] as const;
  const cells = (f: DossierFigures) => [
    f.received.total,
    f.received.online,
    f.received.counter,
    f.resolved.total,
    f.resolved.early,
    f.resolved.onTime,
    f.resolved.late,
    onTimeShare(f.resolved) ?? '',
    f.open.total,
    f.open.overdue,
    f.satisfaction.count,
    f.satisfaction.average ?? '',
  ];
  block([t('stats.fields.field'), ...columns.map((c) => t(`stats.columns.${c}`))], ...stats.byField.map((f) => [fieldName(f.field, t), ...cells(f)]), [
    t('stats.total'),
    ...cells(stats),
  ]);
  if (figures.byOffice)
    block([t('stats.offices.office'), ...columns.map((c) => t(`stats.columns.${c}`))], ...figures.byOffice.map((o) => [o.name, ...cells(o)]), [
      t('stats.total'),
      ...cells(stats),
    ]);
  block(
    [
      t(series.bucket === 'day' ? 'stats.day' : 'stats.month'),
      t('stats.online'),
      t('stats.counter'),
      t('stats.total'),
      t('stats.ratings.count'),
      t('stats.columns.average'),
    ],
    ...series.received.map((r, i) => {
      const rating = series.ratings.trend[i];
      return [r.bucket, r.online, r.counter, r.online + r.counter, rating?.count ?? 0, rating?.average ?? ''];
    }),
  );
  block([t('stats.ratings.rating'), t('stats.ratings.count')], ...[5, 4, 3, 2, 1].map((s) => [s, series.ratings.distribution[s - 1] ?? 0]));
  block([t('stats.weekdays.unit'), t('stats.received.count')], ...series.weekdays.map((v, i) => [t(`stats.weekday.${i + 1}`), v]));
  block([t('stats.hours.unit'), t('stats.received.count')], ...series.hours.map((v, h) => [`${h}h`, v]));
  block([t('stats.unanswered.question'), t('stats.unanswered.count')], ...chat.topUnanswered.map((q) => [q.query, q.count]));
  return `\uFEFF${stringify(
    rows.map((r) => r.map(spreadsheetSafe)),
    { record_delimiter: 'windows' },
  )}`;
}

/** The file's name: the period and the office, in ASCII so every browser keeps it. */
export function statsCsvName(figures: StatsFigures): string {
  const office = figures.request.officeId === undefined ? 'tat-ca' : `don-vi-${figures.request.officeId}`;
  return `so-lieu-${office}-${figures.request.from}-${figures.request.to}.csv`;
}
