import { performance } from 'node:perf_hooks';
import { eq } from 'drizzle-orm';
import { openDatabase } from '../../db/open';
import { dossiers, identities } from '../../db/schema';
import { rowsOf } from '../../db/types';
import { createDossierLookup } from '../../domain/dossiers/lookup';
import { dossierStats } from '../../domain/dossiers/stats';
import type { Clock } from '../../lib/clock';
import { BULK_LOAD_TIMEOUTS, loadDossiers } from '../lib/dossier-load';
import { scratchDatabase } from '../lib/scratch-database';

/**
 * `npm run bench:dossiers`: 1,000,000 dossiers (20 offices, two years) in a scratch PostgreSQL
 * database, generated set-based with generate_series; then the citizen's look-up by receipt
 * code (the whole port: rate counter, dossier, proof, card) and a year of statistics for one
 * office, p50/p99. Goals (issue 4): look-up p99 <= 5 ms, yearly stats for one office <= 200 ms.
 * BENCH_DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/test); the
 * scratch database is dropped at the end.
 */
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const COUNT = Number(process.env.BENCH_DOSSIERS ?? 1_000_000);
const OFFICES = 20;
const LOOKUPS = 2000;
/**
 * Look-ups run first and not counted: each of the pool's connections prepares each statement on
 * its first use, and those first executions would otherwise make up the measured p99.
 */
const WARMUP = 200;
const STATS_RUNS = 40;
const NOW = new Date('2026-11-22T03:00:00Z');
const clock: Clock = { now: () => NOW };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const summary = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
};
const ms = (n: number) => `${n.toFixed(2)} ms`;
const code = (n: number) => `BENCH-${String(n).padStart(7, '0')}`;
/** The generator's phone for dossier n: +849 and n mod 10^8 in 8 digits (see the SQL). */
const lastFour = (n: number) => String(n % 10_000).padStart(4, '0');

async function main() {
  const name = `mc_bench_dossiers_${process.pid}`;
  const scratch = await scratchDatabase(SERVER, name);
  const handle = await openDatabase({ url: scratch.url, maxConnections: 4, timeouts: BULK_LOAD_TIMEOUTS });
  const { db } = handle;
  try {
    const loadStarted = performance.now();
    await loadDossiers(db, COUNT, OFFICES);
    const loadMs = performance.now() - loadStarted;
    const [size] = rowsOf<{ size: string }>(await db.execute(`select pg_size_pretty(pg_database_size(current_database())) as size`));

    // Look-ups: each from its own chat (the limit is 10 an hour per chat), with the right digits.
    const chats = await db
      .insert(identities)
      .values(
        Array.from({ length: WARMUP + LOOKUPS }, (_, i) => ({ channel: 'web', externalId: `bench-${i}`, createdAt: clock.now(), lastSeenAt: clock.now() })),
      )
      .returning({ id: identities.id });
    const lookup = createDossierLookup({ db, clock });
    const pick = (i: number) => 1 + ((i * 2_654_435_761) % COUNT);
    const lookups: number[] = [];
    const byCode: number[] = [];
    for (const [i, chat] of chats.slice(0, WARMUP).entries()) {
      await lookup.lookup({ identityId: chat.id, citizenId: null }, code(pick(COUNT - i)), lastFour(pick(COUNT - i)));
    }
    for (const [i, chat] of chats.slice(WARMUP).entries()) {
      const n = pick(i);
      let started = performance.now();
      const found = await lookup.lookup({ identityId: chat.id, citizenId: null }, code(n), lastFour(n));
      lookups.push(performance.now() - started);
      if (!found.ok) throw new Error(`look-up of ${code(n)} failed: ${found.reason}`);
      started = performance.now();
      await db
        .select()
        .from(dossiers)
        .where(eq(dossiers.receiptCode, code(pick(i + LOOKUPS))));
      byCode.push(performance.now() - started);
    }

    const officeYear: number[] = [];
    for (let i = 0; i < STATS_RUNS; i++) {
      const started = performance.now();
      const stats = await dossierStats(db, { from: '2025-11-22', to: '2026-11-21', officeId: 1 + (i % OFFICES) }, NOW);
      officeYear.push(performance.now() - started);
      if (stats.received.total === 0) throw new Error('no dossiers in the office year');
    }
    const province: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await dossierStats(db, { from: '2025-11-22', to: '2026-11-21' }, NOW);
      province.push(performance.now() - started);
    }
    const sample = await dossierStats(db, { from: '2025-11-22', to: '2026-11-21', officeId: 1 }, NOW);

    const rows = [
      ['citizen look-up (lookup port: counter, dossier, proof, card)', summary(lookups), '<= 5 ms p99'],
      ['select by receipt code alone', summary(byCode), ''],
      ['stats, one office, one year', summary(officeYear), '<= 200 ms'],
      ['stats, all 20 offices, one year', summary(province), ''],
    ] as const;
    process.stdout.write(`\n${COUNT.toLocaleString('en')} dossiers + events loaded in ${(loadMs / 1000).toFixed(1)} s (${size?.size ?? '?'}).\n`);
    process.stdout.write(`One office-year: ${sample.received.total} received, ${sample.resolved.total} resolved.\n\n`);
    process.stdout.write('| measure | runs | p50 | p99 | max | goal |\n| --- | --- | --- | --- | --- | --- |\n');
    for (const [label, s, goal] of rows) process.stdout.write(`| ${label} | ${s.n} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)} | ${goal} |\n`);
  } finally {
    await handle.close();
    await scratch.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
