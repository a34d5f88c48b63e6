/**
 * Scale (`npm run bench:scale`, issue 17): Telegram webhook throughput of the assistant with one
 * server process and with two, both on one scratch PostgreSQL database, on this machine; then
 * what the database keeps per message, per outbox row and per dossier, the figures the province
 * estimate in docs/BENCHMARKS.md is made from.
 *
 *   npm run bench:scale -- [--duration 5] [--rounds 3] [--warmup 3] [--connections 40]
 *     [--postgres postgres://postgres@127.0.0.1:5432/test] [--outbox 20000] [--dossiers 20000]
 *
 * Both processes run from the start (as `npm start`, the bundle); a round loads process A alone
 * with all connections, then A and B with half each, so both settings see the same machine. The
 * load generator and the fake Bot API run in this process, on the same cores as the servers and
 * PostgreSQL: their CPU is printed beside the servers' and PostgreSQL's. Loopback only; stops by
 * itself and removes its scratch database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { SECRET_HEADER } from '../bot/channels/telegram/webhook';
import { openDatabase } from '../db/open';
import { identities } from '../db/schema';
import { type Database, rowsOf } from '../db/types';
import { enqueue, PRIORITY } from '../domain/messaging/outbox';
import { bundleIfStale } from '../scripts/bundle.mjs';
import { startFakeTelegram } from '../tests/fakes/telegram-server';
import { cpuMs, cpuMsOfCommand } from '../tests/support/processes';
import { BULK_LOAD_TIMEOUTS, loadDossiers } from './lib/dossier-load';
import { type LoadResult, runLoad } from './lib/load';
import { machineLine, median } from './lib/report';
import { scratchDatabase } from './lib/scratch-database';
import { appEnv, assistantEntry, BENCH_SECRET, launchNode, type Running, textUpdate } from './lib/webhook-targets';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '40' },
    postgres: { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    outbox: { type: 'string', default: '20000' },
    dossiers: { type: 'string', default: '20000' },
  },
});
const durationMs = Number(values.duration) * 1000;
const warmupMs = Number(values.warmup) * 1000;
const rounds = Number(values.rounds);
const connections = Number(values.connections);
/** A procedure question: the common message, with a search, a card and a logged question. */
const QUESTION = 'làm giấy khai sinh cần giấy tờ gì';
/** A notice as the outbox holds one (a dossier's result is ready), about the usual length. */
const NOTICE = {
  title: 'Hồ sơ BENCH-0000001 đã có kết quả',
  text: 'Hồ sơ đăng ký khai sinh của Anh/Chị đã có kết quả. Mời Anh/Chị đến Bộ phận một cửa UBND phường nhận kết quả trong giờ hành chính, mang theo giấy hẹn và căn cước.',
  buttons: [[{ label: 'Xem hồ sơ', action: 'dossier:BENCH-0000001' }]],
};

interface Setting {
  perSecond: number;
  p50: number;
  p99: number;
  failed: number;
  /** CPU ms per update: the server processes, PostgreSQL, this process (load generator and fake Bot API). */
  servers: number;
  database: number;
  bench: number;
}

/** Sizes of every table with its indexes and TOAST, and its row count. */
async function tableSizes(db: Database): Promise<Map<string, { bytes: number; rows: number }>> {
  const tables = rowsOf<{ name: string; bytes: string }>(
    await db.execute(sql`select relname as name, pg_total_relation_size(relid)::text as bytes from pg_stat_user_tables where schemaname = 'public'`),
  );
  const sizes = new Map<string, { bytes: number; rows: number }>();
  for (const table of tables) {
    const [counted] = rowsOf<{ n: string }>(await db.execute(sql`select count(*)::text as n from ${sql.identifier(table.name)}`));
    sizes.set(table.name, { bytes: Number(table.bytes), rows: Number(counted?.n ?? 0) });
  }
  return sizes;
}

/** What grew between two snapshots, largest first. */
function growth(before: Map<string, { bytes: number; rows: number }>, after: Map<string, { bytes: number; rows: number }>) {
  return [...after]
    .map(([name, now]) => ({ name, bytes: now.bytes - (before.get(name)?.bytes ?? 0), rows: now.rows - (before.get(name)?.rows ?? 0) }))
    .filter((t) => t.bytes > 0 || t.rows > 0)
    .sort((a, b) => b.bytes - a.bytes);
}

async function main() {
  if (await bundleIfStale()) process.stderr.write('bundle was stale: rebuilt (as npm start would)\n');
  const fake = await startFakeTelegram({ record: false });
  const scratch = await scratchDatabase(values.postgres, `mc_bench_scale_${process.pid}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'mc-bench-scale-'));
  const servers: Running[] = [];
  const database = await openDatabase({ url: scratch.url, maxConnections: 2, timeouts: BULK_LOAD_TIMEOUTS });
  let updates = 0;
  const load = async (ports: number[], ms: number): Promise<LoadResult[]> => {
    const results = await Promise.all(
      ports.map((port) =>
        runLoad({
          url: `http://127.0.0.1:${port}/webhooks/telegram`,
          connections: Math.max(1, Math.round(connections / ports.length)),
          durationMs: ms,
          headers: { 'content-type': 'application/json', [SECRET_HEADER]: BENCH_SECRET },
          body: () => textUpdate(QUESTION),
        }),
      ),
    );
    updates += results.reduce((n, r) => n + r.requests, 0);
    return results;
  };
  const measure = async (ports: number[]): Promise<Setting> => {
    const before = { servers: servers.reduce((n, s) => n + cpuMs(s.pid), 0), database: cpuMsOfCommand('postgres'), bench: process.cpuUsage() };
    const results = await load(ports, durationMs);
    const requests = results.reduce((n, r) => n + r.requests, 0);
    const benchCpu = process.cpuUsage(before.bench);
    const per = (ms: number) => Math.round((ms / Math.max(1, requests)) * 100) / 100;
    return {
      perSecond: Math.round(results.reduce((n, r) => n + r.perSecond, 0)),
      p50: Math.max(...results.map((r) => r.p50)),
      p99: Math.max(...results.map((r) => r.p99)),
      failed: results.reduce((n, r) => n + r.non2xx + r.errors, 0),
      servers: per(servers.reduce((n, s) => n + cpuMs(s.pid), 0) - before.servers),
      database: per(cpuMsOfCommand('postgres') - before.database),
      bench: per((benchCpu.user + benchCpu.system) / 1000),
    };
  };

  const one: Setting[] = [];
  const two: Setting[] = [];
  let outboxBytes = 0;
  let dossierBytes = 0;
  let sizesBefore = new Map<string, { bytes: number; rows: number }>();
  let sizesAfter = sizesBefore;
  try {
    for (const name of ['a', 'b']) {
      process.stderr.write(`server ${name}: starting\n`);
      servers.push(await launchNode(assistantEntry('.'), () => [], { ...appEnv(fake.apiRoot), DATA_DIR: join(dataDir, name), DATABASE_URL: scratch.url }));
    }
    const [a, b] = servers.map((s) => s.port) as [number, number];
    sizesBefore = await tableSizes(database.db);
    await load([a, b], warmupMs);
    for (let round = 1; round <= rounds; round++) {
      for (const [setting, ports, into] of [
        ['one process', [a], one],
        ['two processes', [a, b], two],
      ] as const) {
        const result = await measure([...ports]);
        into.push(result);
        process.stderr.write(
          `round ${round}, ${setting}: ${result.perSecond} updates/s, p50 ${result.p50} ms, p99 ${result.p99} ms, CPU ms/update: servers ${result.servers}, PostgreSQL ${result.database}, load generator + fake ${result.bench}; load ${loadavg()[0]?.toFixed(1)}\n`,
        );
      }
    }
    sizesAfter = await tableSizes(database.db);

    // The outbox keeps every row it sent (nothing prunes it): its size per row is the notices' yearly cost.
    const chats = rowsOf<{ id: number }>(await database.db.execute(sql`select id from ${identities} order by id limit 1000`)).map((r) => Number(r.id));
    const outboxBefore = (await tableSizes(database.db)).get('outbox')?.bytes ?? 0;
    const rows = Number(values.outbox);
    for (let i = 0; i < rows; i += 1000) {
      const batch = Array.from({ length: Math.min(1000, rows - i) }, (_, j) => ({
        identityId: chats[(i + j) % chats.length] ?? 1,
        channel: 'telegram' as const,
        kind: 'dossier_ready',
        priority: PRIORITY.notification,
        subject: `dossier:${i + j}`,
        dedupeKey: `bench:${i + j}`,
        replies: [NOTICE],
      }));
      await enqueue(database.db, batch, new Date());
    }
    outboxBytes = ((await tableSizes(database.db)).get('outbox')?.bytes ?? 0) - outboxBefore;

    const dossierTables = async () => {
      const sizes = await tableSizes(database.db);
      return (sizes.get('dossiers')?.bytes ?? 0) + (sizes.get('dossier_events')?.bytes ?? 0);
    };
    const dossiersBefore = await dossierTables();
    await loadDossiers(database.db, Number(values.dossiers), 1);
    dossierBytes = (await dossierTables()) - dossiersBefore;
  } finally {
    for (const server of servers) await server.stop();
    await database.close();
    await fake.stop();
    await scratch.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  const row = (name: string, all: Setting[]) => {
    const mid = [...all].sort((x, y) => x.perSecond - y.perSecond)[Math.floor(all.length / 2)];
    const m = (pick: (s: Setting) => number) => median(all.map(pick));
    return mid
      ? `| ${name} | ${mid.perSecond} | ${all.map((s) => s.perSecond).join(', ')} | ${mid.p50} | ${mid.p99} | ${m((s) => s.servers)} | ${m((s) => s.database)} | ${m((s) => s.bench)} | ${all.reduce((n, s) => n + s.failed, 0)} |`
      : `| ${name} | - | | | | | | | |`;
  };
  const grown = growth(sizesBefore, sizesAfter);
  const kib = (bytes: number) => (bytes / 1024).toFixed(2);
  const lines = [
    `webhook throughput, one and two server processes on one PostgreSQL: ${connections} connections in all, ${rounds} rounds of ${durationMs / 1000} s per setting (median round shown), text ${JSON.stringify(QUESTION)}`,
    machineLine(),
    '',
    '| setting | updates/s (median) | rounds | p50 ms | p99 ms | servers CPU ms/update | PostgreSQL CPU ms/update | load generator + fake CPU ms/update | non-2xx + errors |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('one process (A)', one),
    row('two processes (A + B)', two),
    '',
    `database growth over ${updates} updates from 5,000 chats (every table that grew):`,
    '',
    '| table | rows added | KiB added | bytes per row | bytes per update |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...grown.map(
      (t) => `| ${t.name} | ${t.rows} | ${kib(t.bytes)} | ${Math.round(t.bytes / Math.max(1, t.rows))} | ${Math.round(t.bytes / Math.max(1, updates))} |`,
    ),
    `| all | | ${kib(grown.reduce((n, t) => n + t.bytes, 0))} | | ${Math.round(grown.reduce((n, t) => n + t.bytes, 0) / Math.max(1, updates))} |`,
    '',
    `outbox: ${Math.round(outboxBytes / Math.max(1, Number(values.outbox)))} bytes per row (${values.outbox} dossier notices, with indexes)`,
    `dossiers: ${Math.round(dossierBytes / Math.max(1, Number(values.dossiers)))} bytes per dossier with its timeline event (${values.dossiers} dossiers, with indexes)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
