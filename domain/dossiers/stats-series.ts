import { sql } from 'drizzle-orm';
import { type Executor, rowsOf } from '../../db/types';
import { localTimeOf, type StatsQuery, statsFilters } from './stats';

/** A period of up to this many days is shown day by day; a longer one month by month. */
const DAILY_UP_TO_DAYS = 62;

export type Bucket = 'day' | 'month';

export interface StatsSeries {
  bucket: Bucket;
  /** Every day (yyyy-MM-dd) or month (yyyy-MM) of the period in order, empty ones included. */
  received: { bucket: string; online: number; counter: number }[];
  /** Dossiers received on each weekday: index 0 is Monday (Thứ Hai), 6 is Sunday. */
  weekdays: number[];
  /** Dossiers received in each local hour, 0 to 23. */
  hours: number[];
  /** Ratings given in the period: how many of each (index 0 is 1 star) and the average per bucket. */
  ratings: { distribution: number[]; trend: { bucket: string; count: number; average: number | null }[] };
}

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
};

/** How many local days a period covers, both ends included. */
export const periodDays = (from: string, to: string) => dayNumber(to) - dayNumber(from) + 1;

/** Day by day for a period of up to two months, else month by month. */
export const bucketFor = (from: string, to: string): Bucket => (periodDays(from, to) <= DAILY_UP_TO_DAYS ? 'day' : 'month');

/** The buckets of a period in order: its days (yyyy-MM-dd) or its months (yyyy-MM). */
export function bucketsOf(from: string, to: string, bucket: Bucket): string[] {
  const out: string[] = [];
  if (bucket === 'day') {
    for (let n = dayNumber(from); n <= dayNumber(to); n++) out.push(new Date(n * DAY_MS).toISOString().slice(0, 10));
    return out;
  }
  const [fy = 0, fm = 1] = from.split('-').map(Number);
  const [ty = 0, tm = 1] = to.split('-').map(Number);
  for (let month = fy * 12 + fm - 1; month <= ty * 12 + tm - 1; month++) {
    out.push(`${Math.floor(month / 12)}-${String((month % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

const FORMAT: Record<Bucket, string> = { day: 'YYYY-MM-DD', month: 'YYYY-MM' };

/**
 * The figures of a period over time, for the dashboard's charts: received online and at the
 * counter per day or month, by weekday and by hour, and the ratings. The same dossiers and
 * ratings as {@link dossierStats} counts (its filters are shared), so the sums agree with it.
 *
 * One scan of the received index, counted per local hour and channel first (a few thousand
 * rows for a year, whatever the number of dossiers), then grouping sets give the three
 * breakdowns from those; and one scan of the period's ratings. At most a few hundred rows return.
 *
 * @example await dossierSeries(db, { from: '2026-11-01', to: '2026-11-30', officeId: 1 })
 */
export async function dossierSeries(executor: Executor, query: StatsQuery): Promise<StatsSeries> {
  const bucket = bucketFor(query.from, query.to);
  const { from, until, office, field, received } = statsFilters(query);
  const format = sql.raw(`'${FORMAT[bucket]}'`);
  const [arrivals, ratings] = await Promise.all([
    executor.execute(sql`
      with hourly as (
        select date_trunc('hour', ${localTimeOf('received_at')}) as local, channel, count(*) as n
        from dossiers
        where ${office} and ${field} and ${received}
        group by 1, 2
      ), arrival as (
        select to_char(local, ${format}) as bucket, channel, extract(isodow from local)::int as weekday, extract(hour from local)::int as hour, n
        from hourly
      )
      select bucket, channel, weekday, hour, sum(n)::int as n
      from arrival
      group by grouping sets ((bucket, channel), (weekday), (hour))`),
    executor.execute(sql`
      select to_char(day, ${format}) as bucket, rating, sum(n)::int as n
      from (
        select date_trunc('day', ${localTimeOf('created_at')}) as day, rating::int as rating, count(*) as n
        from feedback
        where created_at >= ${from} and created_at < ${until} and ${office} and ${field}
        group by 1, 2
      ) daily
      group by 1, 2`),
  ]);

  const buckets = bucketsOf(query.from, query.to, bucket);
  const byBucket = new Map(buckets.map((b) => [b, { bucket: b, online: 0, counter: 0 }]));
  const weekdays = Array<number>(7).fill(0);
  const hours = Array<number>(24).fill(0);
  type Arrival = { bucket: string | null; channel: string | null; weekday: number | null; hour: number | null; n: number };
  for (const r of rowsOf<Arrival>(arrivals)) {
    if (r.bucket !== null) {
      const entry = byBucket.get(r.bucket);
      if (entry && r.channel === 'online') entry.online += r.n;
      else if (entry && r.channel === 'counter') entry.counter += r.n;
    } else if (r.weekday !== null) weekdays[r.weekday - 1] = r.n;
    else if (r.hour !== null) hours[r.hour] = r.n;
  }

  const distribution = Array<number>(5).fill(0);
  const sums = new Map(buckets.map((b) => [b, { count: 0, total: 0 }]));
  for (const r of rowsOf<{ bucket: string; rating: number; n: number }>(ratings)) {
    distribution[r.rating - 1] = (distribution[r.rating - 1] ?? 0) + r.n;
    const sum = sums.get(r.bucket);
    if (sum) {
      sum.count += r.n;
      sum.total += r.rating * r.n;
    }
  }
  return {
    bucket,
    received: [...byBucket.values()],
    weekdays,
    hours,
    ratings: {
      distribution,
      trend: [...sums].map(([b, s]) => ({ bucket: b, count: s.count, average: s.count ? Math.round((s.total / s.count) * 100) / 100 : null })),
    },
  };
}
