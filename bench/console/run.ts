import { performance } from 'node:perf_hooks';
import { parseConfig } from '../../config/schema';
import { openDatabase } from '../../db/open';
import { rowsOf } from '../../db/types';
import type { Clock } from '../../lib/clock';
import { realTimer } from '../../lib/clock';
import { silentLogger } from '../../lib/logger';
import { assemble } from '../../runtime/assemble';
import { nodePlatform } from '../../runtime/node-platform';
import { createStaffAccount, signInWithHttp } from '../../tests/support/console';
import { createTestToken } from '../../tests/support/tokens';
import { machineLine } from '../lib/report';
import { scratchDatabase } from '../lib/scratch-database';

/**
 * `npm run bench:console`: the staff console's pages with 10,000 certification requests and
 * 100,000 dossiers (10 offices) in a scratch PostgreSQL database, rendered in-process through the
 * app (server time: routing, session, queries, JSX), p50/p95/p99 per page for a clerk of office 1.
 * Goal (issue 15): every page under 50 ms. Beside each page, the API call that reads the same
 * data, as the yardstick measured in the same run. BENCH_DATABASE_URL names the server (default
 * postgres://postgres@127.0.0.1:5432/test); the scratch database is dropped at the end.
 */
const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REQUESTS = 10_000;
const DOSSIERS = 100_000;
const CITIZENS = 5_000;
const OFFICES = 10;
const RUNS = Number(process.env.BENCH_RUNS ?? 200);
const WARMUP = 20;
const NOW = new Date('2026-11-22T03:00:00Z');
const clock: Clock = { now: () => NOW };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function load(db: Awaited<ReturnType<typeof openDatabase>>['db']) {
  // Deterministic spreads (multiplicative hashing of g), so every run loads the same data.
  await db.execute(`
    insert into citizens (phone, full_name, created_at)
    select '+8491' || lpad(g::text, 7, '0'), 'Công dân ' || g, timestamptz '2026-01-01 01:00:00+00' + g * interval '1 hour'
    from generate_series(1, ${CITIZENS}) g`);
  await db.execute(`
    insert into stored_documents (citizen_id, office_id, title, kind, pages, blob_key, content_type, size_bytes, sha256, created_by, created_at)
    select c.id, 1 + c.id % ${OFFICES}, 'Căn cước', 'cccd', 1, 'bench/' || c.id, 'image/png', 1000, repeat('0', 64), 'token:1', c.created_at
    from citizens c`);
  await db.execute(`
    insert into certification_requests (citizen_id, office_id, status, items, delivery, quoted_fee, verification_method, verified_at, created_at, updated_at)
    select d.citizen_id, d.office_id,
      (array['submitted','confirmed','ready','delivered','delivered','delivered','rejected','cancelled'])[1 + (g / 10) % 8],
      jsonb_build_array(jsonb_build_object('documentId', d.id, 'title', d.title, 'kind', d.kind, 'pages', 1, 'copies', 1 + g % 3, 'fee', 2000 * (1 + g % 3))),
      case when g % 5 = 0 then jsonb_build_object('method', 'post', 'address', 'Số ' || g || ' đường Lê Lợi') else '{"method":"pickup"}'::jsonb end,
      2000 * (1 + g % 3), case when g % 4 = 0 then 'telephone_otp' else 'chat_otp' end,
      timestamptz '2026-06-01 01:00:00+00' + ((g * 104729) % (170 * 24 * 60)) * interval '1 minute',
      timestamptz '2026-06-01 01:00:00+00' + ((g * 104729) % (170 * 24 * 60)) * interval '1 minute',
      timestamptz '2026-06-01 01:00:00+00' + ((g * 104729) % (170 * 24 * 60)) * interval '1 minute'
    from generate_series(1, ${REQUESTS}) g
    join stored_documents d on d.id = 1 + (g * 7919) % ${CITIZENS}`);
  await db.execute(`
    insert into dossiers (receipt_code, procedure_code, procedure_name, field, office_id, applicant_name, applicant_phone, channel,
                          received_at, due_at, status, resolved_at, created_at, updated_at)
    select 'BENCH-' || lpad(g::text, 7, '0'),
      (array['1.001193','1.000894','1.000656','2.000635'])[1 + g % 4],
      (array['Đăng ký khai sinh','Đăng ký kết hôn','Đăng ký khai tử','Chứng thực bản sao'])[1 + g % 4],
      (array['Hộ tịch','Hộ tịch','Hộ tịch','Chứng thực'])[1 + g % 4],
      1 + (g * 7) % ${OFFICES},
      (array['Nguyễn','Trần','Lê','Phạm','Hoàng','Vũ'])[1 + g % 6] || ' Văn ' || (array['An','Bình','Cường','Dũng','Hà','Lan','Minh'])[1 + g % 7] || ' ' || g,
      '+8491' || lpad((g % ${CITIZENS})::text, 7, '0'),
      case when g % 3 = 0 then 'online' else 'counter' end,
      r.received, r.received + (1 + g % 10) * interval '1 day', s.status,
      case when s.status in ('ready', 'returned') then r.received + ((g * 7919) % 13) * interval '1 day' end,
      r.received, r.received
    from generate_series(1::bigint, ${DOSSIERS}) g
    cross join lateral (select timestamptz '2025-11-22 01:00:00+00' + ((g * 104729) % (365 * 24 * 60)) * interval '1 minute' as received) r
    cross join lateral (select case when (g * 31) % 100 < 80 then 'returned' when (g * 31) % 100 < 85 then 'ready'
      when (g * 31) % 100 < 92 then 'processing' else 'received' end as status) s`);
  await db.execute(`
    insert into dossier_events (dossier_id, status, details, actor, at)
    select id, 'received', '{}'::jsonb, 'token:1', received_at from dossiers
    union all select id, status, '{}'::jsonb, 'token:1', coalesce(resolved_at, received_at) from dossiers where status <> 'received'`);
  for (const table of ['citizens', 'stored_documents', 'certification_requests', 'dossiers', 'dossier_events']) await db.execute(`vacuum analyze ${table}`);
}

async function main() {
  const scratch = await scratchDatabase(SERVER, `mc_bench_console_${process.pid}`);
  const handle = await openDatabase({ url: scratch.url, maxConnections: 4 });
  const { db } = handle;
  try {
    const started = performance.now();
    await load(db);
    process.stdout.write(
      `Loaded ${REQUESTS.toLocaleString('en')} requests and ${DOSSIERS.toLocaleString('en')} dossiers in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`,
    );
    const parsed = parseConfig({
      NODE_ENV: 'production',
      DELIVERY_ENABLED: 'false',
      APP_SECRET: 'bench-secret-bench-secret-bench-secret-1',
      PUBLIC_URL: 'http://127.0.0.1',
    });
    if (!parsed.ok) throw new Error(parsed.message);
    const assistant = await assemble({ config: parsed.value, db, clock, timer: realTimer, logger: silentLogger, platform: nodePlatform });
    await createStaffAccount(db, { username: 'bench-clerk', role: 'staff', officeId: 1 });
    const clerk = await signInWithHttp(assistant.app, 'bench-clerk');
    await createStaffAccount(db, { username: 'bench-admin', role: 'admin' });
    const admin = await signInWithHttp(assistant.app, 'bench-admin');
    const token = await createTestToken(db, 'admin', { officeId: 1 });
    const api = async (path: string) => assistant.app.request(path, { headers: { authorization: `Bearer ${token}` } });

    const [request] = rowsOf<{ id: number }>(
      await db.execute(`select id from certification_requests where office_id = 1 and status = 'submitted' order by id limit 1`),
    );
    const [citizen] = rowsOf<{ id: number; phone: string }>(
      await db.execute(`select c.id, c.phone from citizens c join stored_documents d on d.citizen_id = c.id where d.office_id = 1 limit 1`),
    );
    const [dossier] = rowsOf<{ receipt_code: string; applicant_phone: string }>(
      await db.execute(`select receipt_code, applicant_phone from dossiers where office_id = 1 order by id limit 1`),
    );
    if (!request || !citizen || !dossier) throw new Error('the load left office 1 without a request, citizen or dossier');

    /** [page, console path, the API call reading the same data or null, who reads it]. */
    const pages: [string, string, string | null, typeof clerk?][] = [
      ['counter home', '/console', null],
      ['certification queue, waiting', '/console/certification?status=submitted', '/api/v1/certification/requests?status=submitted'],
      ['certification queue, done', '/console/certification?status=delivered', '/api/v1/certification/requests?status=delivered'],
      ['certification request', `/console/certification/${request.id}`, `/api/v1/certification/requests/${request.id}`],
      ['telephone request', '/console/telephone', null],
      ['citizen and scans', `/console/citizens/${citizen.id}`, null],
      ['dossiers, overdue', '/console/dossiers?due=overdue', null],
      [
        'dossiers, by phone',
        `/console/dossiers?q=${encodeURIComponent(dossier.applicant_phone)}`,
        `/api/v1/dossiers?phone=${encodeURIComponent(dossier.applicant_phone)}`,
      ],
      ['dossiers, by name', `/console/dossiers?q=${encodeURIComponent('Lê Văn Minh')}`, null],
      ['dossier and timeline', `/console/dossiers/${dossier.receipt_code}`, `/api/v1/dossiers/${dossier.receipt_code}`],
      [
        'statistics, one office, one month (admin)',
        '/console/stats?from=2025-12-01&to=2025-12-31&office=1',
        '/api/v1/stats?from=2025-12-01&to=2025-12-31&office=1',
        admin,
      ],
      ['announcements (admin)', '/console/broadcasts', null, admin],
      ['catalog search (admin)', `/console/catalog?q=${encodeURIComponent('khai sinh')}`, null, admin],
      ['accounts (admin)', '/console/accounts', null, admin],
      ['audit log (admin)', '/console/audit', null, admin],
    ];
    const time = async (get: () => Promise<Response>, label: string) => {
      const samples: number[] = [];
      for (let i = 0; i < WARMUP + RUNS; i++) {
        const t0 = performance.now();
        const res = await get();
        await res.arrayBuffer();
        if (i >= WARMUP) samples.push(performance.now() - t0);
        if (res.status !== 200) throw new Error(`${label} answered ${res.status}`);
      }
      return samples.sort((a, b) => a - b);
    };
    const f = (n: number) => `${n.toFixed(1)} ms`;
    process.stdout.write(`${machineLine()}\n\n| page | p50 | p95 | p99 | same data from the API, p50 | goal |\n| --- | --- | --- | --- | --- | --- |\n`);
    for (const [label, path, apiPath, reader = clerk] of pages) {
      const page = await time(() => reader.get(path), label);
      const yardstick = apiPath ? await time(() => api(apiPath), `${label} (API)`) : null;
      const p50 = percentile(page, 50);
      const ratio = yardstick ? ` (${(p50 / percentile(yardstick, 50)).toFixed(2)}×)` : '';
      process.stdout.write(
        `| ${label} | ${f(p50)} | ${f(percentile(page, 95))} | ${f(percentile(page, 99))} | ${yardstick ? `${f(percentile(yardstick, 50))}${ratio}` : '—'} | < 50 ms |\n`,
      );
    }
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
