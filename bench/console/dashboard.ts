import { performance } from 'node:perf_hooks';
import { parseConfig } from '../../config/schema';
import { openDatabase } from '../../db/open';
import type { Clock } from '../../lib/clock';
import { realTimer } from '../../lib/clock';
import { silentLogger } from '../../lib/logger';
import { assemble } from '../../runtime/assemble';
import { nodePlatform } from '../../runtime/node-platform';
import { createStaffAccount, signInWithHttp } from '../../tests/support/console';
import { createTestToken } from '../../tests/support/tokens';
import { BULK_LOAD_TIMEOUTS, loadDossiers } from '../lib/dossier-load';
import { machineLine } from '../lib/report';
import { scratchDatabase } from '../lib/scratch-database';

/**
 * `npm run bench:dashboard`: the officials' statistics page for a year of one office with
 * 1,000,000 dossiers in the database (20 offices, two years; the same data as bench:dossiers),
 * rendered in-process through the app, p50/p95/max, beside GET /api/v1/stats for the same office
 * and year (the figures alone) measured in the same run. Goal (issue 16): under 300 ms server
 * time. BENCH_DATABASE_URL names the server; the scratch database is dropped at the end.
 */
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const COUNT = Number(process.env.BENCH_DOSSIERS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const NOW = new Date('2026-11-22T03:00:00Z');
const clock: Clock = { now: () => NOW };
const YEAR = 'from=2025-11-22&to=2026-11-21&office=1';

async function main() {
  const scratch = await scratchDatabase(SERVER, `mc_bench_dashboard_${process.pid}`);
  const handle = await openDatabase({ url: scratch.url, maxConnections: 4, timeouts: BULK_LOAD_TIMEOUTS });
  try {
    const started = performance.now();
    await loadDossiers(handle.db, COUNT, 20);
    process.stdout.write(`Loaded ${COUNT.toLocaleString('en')} dossiers in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`);
    const parsed = parseConfig({
      NODE_ENV: 'production',
      DELIVERY_ENABLED: 'false',
      APP_SECRET: 'bench-secret-bench-secret-bench-secret-1',
      PUBLIC_URL: 'http://127.0.0.1',
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const assistant = await assemble({ config: parsed.value, db: handle.db, clock, timer: realTimer, logger: silentLogger, platform: nodePlatform });
    await createStaffAccount(handle.db, { username: 'bench-official', role: 'official' });
    const official = await signInWithHttp(assistant.app, 'bench-official');
    const token = await createTestToken(handle.db, 'official');
    const measure = async (label: string, get: () => Promise<Response>) => {
      const samples: number[] = [];
      for (let i = 0; i < RUNS + 3; i++) {
        const t0 = performance.now();
        const res = await get();
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${label} answered ${res.status}`);
        if (i >= 3) samples.push(performance.now() - t0);
      }
      samples.sort((a, b) => a - b);
      return { p50: samples[Math.floor(samples.length / 2)] ?? 0, p95: samples[Math.floor(samples.length * 0.95)] ?? 0, max: samples.at(-1) ?? 0 };
    };
    const page = await measure('dashboard', () => official.get(`/console/stats?${YEAR}`));
    const csv = await measure('csv', () => official.get(`/console/stats.csv?${YEAR}`));
    const api = await measure('api', async () => assistant.app.request(`/api/v1/stats?${YEAR}`, { headers: { authorization: `Bearer ${token}` } }));
    const f = (n: number) => `${n.toFixed(0)} ms`;
    process.stdout.write(
      `${machineLine()}\n\n| one office, one year (1,000,000 dossiers in the database) | p50 | p95 | max | goal |\n| --- | --- | --- | --- | --- |\n`,
    );
    process.stdout.write(`| dashboard page (figures, series, charts) | ${f(page.p50)} | ${f(page.p95)} | ${f(page.max)} | < 300 ms |\n`);
    process.stdout.write(`| CSV export | ${f(csv.p50)} | ${f(csv.p95)} | ${f(csv.max)} | |\n`);
    process.stdout.write(`| GET /api/v1/stats (figures only), yardstick | ${f(api.p50)} | ${f(api.p95)} | ${f(api.max)} | |\n`);
    process.stdout.write(`\npage / API at p50: ${(page.p50 / api.p50).toFixed(2)}×\n`);
    await assistant.delivery.stop();
  } finally {
    await handle.close();
    await scratch.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
