import type { FC } from 'hono/jsx';
import type { Translate } from '../../vocabulary/locales';
import { barChart } from '../charts/bar-chart';
import { columnChart } from '../charts/column-chart';
import { ChartFrame } from '../charts/frame';
import { lineChart } from '../charts/line-chart';
import { COLOURS } from '../charts/palette';
import { bucketLabels, fieldName, numberFormat, onTimeShare, type StatsFigures } from './stats-figures';

/** The phone-width drawings' width: a 390 px screen less the page's margins. */
const NARROW = 356;
const chartId = (name: string, narrow: boolean) => `${name}-chart${narrow ? '-narrow' : ''}`;
/** Days or months along the bottom: fewer labels at phone width. */
const timeAxis = (narrow: boolean) => (narrow ? { width: NARROW, mostLabels: 5 } : { width: 720, mostLabels: 12 });

type Props = { figures: StatsFigures; t: Translate; locale: string; print: boolean };

/** The five numbers a monthly report starts with. */
const Headline: FC<Props> = ({ figures, t, locale }) => {
  const n = numberFormat(locale);
  const { received, resolved, open, satisfaction } = figures.stats;
  const share = onTimeShare(resolved);
  const items = [
    {
      id: 'received',
      figure: n.whole(received.total),
      label: t('stats.headline.received'),
      detail: t('stats.headline.receivedDetail', { online: n.whole(received.online), counter: n.whole(received.counter) }),
    },
    {
      id: 'resolved',
      figure: n.whole(resolved.total),
      label: t('stats.headline.resolved'),
      detail: t('stats.headline.resolvedDetail', { late: n.whole(resolved.late) }),
    },
    {
      id: 'on-time',
      figure: share === null ? '—' : n.percent(share),
      label: t('stats.headline.onTime'),
      detail: t('stats.headline.onTimeDetail', { early: n.whole(resolved.early), onTime: n.whole(resolved.onTime) }),
    },
    {
      id: 'overdue',
      figure: n.whole(open.overdue),
      label: t('stats.headline.overdue'),
      detail: t('stats.headline.overdueDetail', { open: n.whole(open.total) }),
    },
    {
      id: 'satisfaction',
      figure: satisfaction.average === null ? '—' : n.average(satisfaction.average),
      label: t('stats.headline.satisfaction'),
      detail: t('stats.headline.satisfactionDetail', { ratings: n.whole(satisfaction.count) }),
    },
  ];
  return (
    <ul class="numbers headline">
      {items.map((i) => (
        <li data-figure={i.id}>
          <span class="figure">{i.figure}</span>
          <span class="label">{i.label}</span>
          <span class="detail">{i.detail}</span>
        </li>
      ))}
    </ul>
  );
};

const Received: FC<Props> = ({ figures, t, locale, print }) => {
  const n = numberFormat(locale);
  const { series } = figures;
  const labels = series.received.map((r) => bucketLabels(series.bucket, r.bucket, t));
  const legend = [
    { name: t('stats.online'), colour: COLOURS.online },
    { name: t('stats.counter'), colour: COLOURS.counter },
  ];
  const unit = t(series.bucket === 'day' ? 'stats.received.byDay' : 'stats.received.byMonth');
  return (
    <ChartFrame
      id="received"
      heading={t('stats.received.heading')}
      note={unit}
      noData={t('stats.noData')}
      legend={legend}
      open={print}
      tableLabel={t('stats.table')}
      chart={(narrow) =>
        columnChart({
          id: chartId('received', narrow),
          title: t('stats.received.title', { unit }),
          labels: labels.map((l) => l.short),
          values: series.received.map((r) => [r.online, r.counter]),
          series: legend,
          ...timeAxis(narrow),
        })
      }
      table={
        <table class="figures" id="received-table">
          <caption class="visually-hidden">{t('stats.received.heading')}</caption>
          <thead>
            <tr>
              <th scope="col">{t(series.bucket === 'day' ? 'stats.day' : 'stats.month')}</th>
              <th scope="col" class="number">
                {t('stats.online')}
              </th>
              <th scope="col" class="number">
                {t('stats.counter')}
              </th>
              <th scope="col" class="number">
                {t('stats.total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {series.received.map((r, i) => (
              <tr>
                <th scope="row">{labels[i]?.long}</th>
                <td class="number">{n.whole(r.online)}</td>
                <td class="number">{n.whole(r.counter)}</td>
                <td class="number">{n.whole(r.online + r.counter)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
};

const Fields: FC<Props> = ({ figures, t, locale, print }) => {
  const n = numberFormat(locale);
  const { stats } = figures;
  const legend = [
    { name: t('stats.early'), colour: COLOURS.early },
    { name: t('stats.onTime'), colour: COLOURS.onTime },
    { name: t('stats.late'), colour: COLOURS.late },
  ];
  const resolvedFields = stats.byField.filter((f) => f.resolved.total > 0);
  const columns = ['received', 'online', 'counter', 'resolved', 'early', 'onTime', 'late', 'onTimeShare', 'open', 'overdue', 'ratings', 'average'] as const;
  const cells = (f: (typeof stats.byField)[number] | typeof stats) => {
    const share = onTimeShare(f.resolved);
    return {
      received: n.whole(f.received.total),
      online: n.whole(f.received.online),
      counter: n.whole(f.received.counter),
      resolved: n.whole(f.resolved.total),
      early: n.whole(f.resolved.early),
      onTime: n.whole(f.resolved.onTime),
      late: n.whole(f.resolved.late),
      onTimeShare: share === null ? '—' : n.percent(share),
      open: n.whole(f.open.total),
      overdue: n.whole(f.open.overdue),
      ratings: n.whole(f.satisfaction.count),
      average: f.satisfaction.average === null ? '—' : n.average(f.satisfaction.average),
    };
  };
  const total = cells(stats);
  return (
    <ChartFrame
      id="fields"
      heading={t('stats.fields.heading')}
      noData={t('stats.noData')}
      legend={legend}
      open={print}
      tableLabel={t('stats.fields.table')}
      chart={(narrow) =>
        barChart({
          id: chartId('fields', narrow),
          title: t('stats.fields.title'),
          rows: resolvedFields.map((f) => ({ label: fieldName(f.field, t), values: [f.resolved.early, f.resolved.onTime, f.resolved.late] })),
          series: legend,
          width: narrow ? NARROW : 640,
        })
      }
      table={
        <table class="figures responsive" id="fields-table">
          <caption class="visually-hidden">{t('stats.fields.table')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('stats.fields.field')}</th>
              {columns.map((c) => (
                <th scope="col" class="number">
                  {t(`stats.columns.${c}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {stats.byField.map((f) => {
              const row = cells(f);
              return (
                <tr>
                  <th scope="row">{fieldName(f.field, t)}</th>
                  {columns.map((c) => (
                    <td class="number" data-label={t(`stats.columns.${c}`)} data-column={c}>
                      {row[c]}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('stats.total')}</th>
              {columns.map((c) => (
                <td class="number" data-label={t(`stats.columns.${c}`)} data-column={c}>
                  {total[c]}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      }
    />
  );
};

/** The province view's table: each office's received, resolved on time or late, and rating, linking to that office alone. */
const Offices: FC<Props> = ({ figures, t, locale }) => {
  const n = numberFormat(locale);
  const rows = figures.byOffice;
  if (!rows) return null;
  const columns = ['received', 'resolved', 'early', 'onTime', 'late', 'onTimeShare', 'overdue', 'ratings', 'average'] as const;
  const cells = (f: (typeof rows)[number] | typeof figures.stats) => {
    const share = onTimeShare(f.resolved);
    return {
      received: n.whole(f.received.total),
      resolved: n.whole(f.resolved.total),
      early: n.whole(f.resolved.early),
      onTime: n.whole(f.resolved.onTime),
      late: n.whole(f.resolved.late),
      onTimeShare: share === null ? '—' : n.percent(share),
      overdue: n.whole(f.open.overdue),
      ratings: n.whole(f.satisfaction.count),
      average: f.satisfaction.average === null ? '—' : n.average(f.satisfaction.average),
    };
  };
  const total = cells(figures.stats);
  const { from, to } = figures.request;
  return (
    <section class="chart" aria-labelledby="offices-heading" id="offices">
      <h2 id="offices-heading">{t('stats.offices.heading')}</h2>
      <p class="hint">{t('stats.offices.note')}</p>
      {rows.length ? (
        <table class="figures responsive" id="offices-table">
          <caption class="visually-hidden">{t('stats.offices.heading')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('stats.offices.office')}</th>
              {columns.map((c) => (
                <th scope="col" class="number">
                  {t(`stats.columns.${c}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((o) => {
              const row = cells(o);
              return (
                <tr data-office={String(o.officeId)}>
                  <th scope="row">
                    <a href={`?${new URLSearchParams({ from, to, office: String(o.officeId) })}`}>{o.name}</a>
                  </th>
                  {columns.map((c) => (
                    <td class="number" data-label={t(`stats.columns.${c}`)} data-column={c}>
                      {row[c]}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('stats.total')}</th>
              {columns.map((c) => (
                <td class="number" data-label={t(`stats.columns.${c}`)} data-column={c}>
                  {total[c]}
                </td>
              ))}
            </tr>
          </tfoot>
        </table>
      ) : (
        <p class="no-data">{t('stats.offices.none')}</p>
      )}
    </section>
  );
};

const Satisfaction: FC<Props> = ({ figures, t, locale, print }) => {
  const n = numberFormat(locale);
  const { ratings, bucket } = figures.series;
  const stars = [5, 4, 3, 2, 1];
  const labels = ratings.trend.map((r) => bucketLabels(bucket, r.bucket, t));
  return (
    <>
      <ChartFrame
        id="ratings"
        heading={t('stats.ratings.heading')}
        noData={t('stats.noRatings')}
        open={print}
        tableLabel={t('stats.table')}
        chart={(narrow) =>
          barChart({
            id: chartId('ratings', narrow),
            title: t('stats.ratings.title'),
            rows: stars.map((s) => ({ label: t('stats.stars', { count: s }), values: [ratings.distribution[s - 1] ?? 0] })),
            series: [{ name: t('stats.ratings.count'), colour: COLOURS.rating }],
            width: narrow ? NARROW : 560,
          })
        }
        table={
          <table class="figures" id="ratings-table">
            <caption class="visually-hidden">{t('stats.ratings.heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('stats.ratings.rating')}</th>
                <th scope="col" class="number">
                  {t('stats.ratings.count')}
                </th>
              </tr>
            </thead>
            <tbody>
              {stars.map((s) => (
                <tr>
                  <th scope="row">{t('stats.stars', { count: s })}</th>
                  <td class="number">{n.whole(ratings.distribution[s - 1] ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
      <ChartFrame
        id="trend"
        heading={t('stats.trend.heading')}
        note={t('stats.trend.note')}
        noData={t('stats.noRatings')}
        open={print}
        tableLabel={t('stats.table')}
        chart={(narrow) =>
          lineChart({
            id: chartId('trend', narrow),
            title: t('stats.trend.title'),
            labels: labels.map((l) => l.short),
            values: ratings.trend.map((r) => r.average),
            min: 1,
            max: 5,
            gridlines: [1, 2, 3, 4, 5],
            ...timeAxis(narrow),
          })
        }
        table={
          <table class="figures" id="trend-table">
            <caption class="visually-hidden">{t('stats.trend.heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t(bucket === 'day' ? 'stats.day' : 'stats.month')}</th>
                <th scope="col" class="number">
                  {t('stats.ratings.count')}
                </th>
                <th scope="col" class="number">
                  {t('stats.columns.average')}
                </th>
              </tr>
            </thead>
            <tbody>
              {ratings.trend.map((r, i) => (
                <tr>
                  <th scope="row">{labels[i]?.long}</th>
                  <td class="number">{n.whole(r.count)}</td>
                  <td class="number">{r.average === null ? '—' : n.average(r.average)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
    </>
  );
};

/** A chart of counts per category (weekday or hour) with its table. */
const Busiest: FC<Props & { kind: 'weekdays' | 'hours'; labels: string[]; shortLabels: string[]; values: number[] }> = ({
  t,
  locale,
  print,
  kind,
  labels,
  shortLabels,
  values,
}) => {
  const n = numberFormat(locale);
  const series = [{ name: t('stats.received.count'), colour: COLOURS.busy }];
  return (
    <ChartFrame
      id={kind}
      heading={t(`stats.${kind}.heading`)}
      noData={t('stats.noData')}
      open={print}
      tableLabel={t('stats.table')}
      chart={(narrow) =>
        columnChart({
          id: chartId(kind, narrow),
          title: t(`stats.${kind}.title`),
          labels: narrow ? shortLabels : labels,
          values: values.map((v) => [v]),
          series: series,
          width: narrow ? NARROW : kind === 'weekdays' ? 560 : 720,
          mostLabels: narrow ? 7 : 13,
        })
      }
      table={
        <table class="figures" id={`${kind}-table`}>
          <caption class="visually-hidden">{t(`stats.${kind}.heading`)}</caption>
          <thead>
            <tr>
              <th scope="col">{t(`stats.${kind}.unit`)}</th>
              <th scope="col" class="number">
                {t('stats.received.count')}
              </th>
            </tr>
          </thead>
          <tbody>
            {values.map((v, i) => (
              <tr>
                <th scope="row">{labels[i]}</th>
                <td class="number">{n.whole(v)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
};

/** The hours with arrivals, first to last (a register imported without times has them all at 0:00: no chart then). */
function hoursWorked(hours: readonly number[]): { from: number; to: number } | null {
  const used = hours.flatMap((v, h) => (v > 0 ? [h] : []));
  if (used.length < 2) return null;
  return { from: used[0] ?? 0, to: used[used.length - 1] ?? 23 };
}

const Unanswered: FC<Props> = ({ figures, t, locale }) => {
  const n = numberFormat(locale);
  const { chat } = figures;
  return (
    <section class="chart" aria-labelledby="unanswered-heading" id="unanswered">
      <h2 id="unanswered-heading">{t('stats.unanswered.heading')}</h2>
      <p class="hint">{t('stats.unanswered.note', { messages: n.whole(chat.messages), chats: n.whole(chat.chats) })}</p>
      {chat.topUnanswered.length ? (
        <table class="figures" id="unanswered-table">
          <caption class="visually-hidden">{t('stats.unanswered.heading')}</caption>
          <thead>
            <tr>
              <th scope="col" class="number">
                #
              </th>
              <th scope="col">{t('stats.unanswered.question')}</th>
              <th scope="col" class="number">
                {t('stats.unanswered.count')}
              </th>
            </tr>
          </thead>
          <tbody>
            {chat.topUnanswered.map((q, i) => (
              <tr>
                <td class="number">{i + 1}</td>
                <th scope="row">{q.query}</th>
                <td class="number">{n.whole(q.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="no-data">{t('stats.unanswered.none')}</p>
      )}
    </section>
  );
};

/** The dashboard's figures and charts (the same in the print view, with every table open). */
export const StatsBody: FC<Props> = (props) => {
  const { t, figures } = props;
  const weekdays = [1, 2, 3, 4, 5, 6, 7].map((d) => t(`stats.weekday.${d}`));
  const weekdaysShort = [1, 2, 3, 4, 5, 6, 7].map((d) => t(`stats.weekdayShort.${d}`));
  const hours = hoursWorked(figures.series.hours);
  const hourLabels = hours ? Array.from({ length: hours.to - hours.from + 1 }, (_, i) => `${hours.from + i}h`) : [];
  return (
    <>
      <Headline {...props} />
      <Received {...props} />
      <Fields {...props} />
      <Offices {...props} />
      <Satisfaction {...props} />
      <Busiest {...props} kind="weekdays" labels={weekdays} shortLabels={weekdaysShort} values={figures.series.weekdays} />
      {hours ? (
        <Busiest {...props} kind="hours" labels={hourLabels} shortLabels={hourLabels} values={figures.series.hours.slice(hours.from, hours.to + 1)} />
      ) : null}
      <Unanswered {...props} />
    </>
  );
};
