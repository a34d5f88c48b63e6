/**
 * Broadcast benchmark (`npm run bench:broadcast`): real `npm run worker` processes (runtime/
 * delivery-process.ts) deliver broadcasts to the fake Telegram Bot API on 127.0.0.1, which enforces a
 * global rate (a one-second token bucket) and answers 429 with retry_after above it. PostgreSQL,
 * scratch database. Three runs:
 *
 * 1. throughput: BENCH_RECIPIENTS (100,000) chats, the fake and TELEGRAM_RATE_PER_SECOND at
 *    BENCH_RATE (1,000 msg/s), one worker: achieved rate / limit (goal >= 0.95), 429s (goal 0),
 *    the worker's peak memory (VmHWM);
 * 2. crash: BENCH_CRASH_RECIPIENTS chats, the worker is killed with SIGKILL half way and started
 *    again: recipients reached (goal all), duplicates, and the rows in flight at the kill (goal:
 *    duplicates <= in flight);
 * 3. two workers at once on BENCH_PAIR_RECIPIENTS chats: messages sent twice (goal 0), 429s, rate.
 *
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) names the server; a
 * database mc_bench_broadcast_<pid> is created there and dropped at the end. Every run has a time
 * limit and the benchmark stops by itself.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../../db/open';
import { type Database, rowsOf } from '../../db/types';
import { createBroadcast, scheduleBroadcast } from '../../domain/outreach/broadcasts';
import { type FakeTelegram, startFakeTelegram } from '../../tests/fakes/telegram-server';
import { cpuMs, start } from '../../tests/support/processes';
import type { Actor } from '../../vocabulary/actors';
import { scratchDatabase } from '../lib/scratch-database';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 100_000);
const CRASH_RECIPIENTS = Number(process.env.BENCH_CRASH_RECIPIENTS ?? 20_000);
const PAIR_RECIPIENTS = Number(process.env.BENCH_PAIR_RECIPIENTS ?? 20_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 128);
const actor: Actor = { kind: 'token', id: 0, name: 'bench', role: 'official', officeId: null };

interface RunResult {
  recipients: number;
  sent: number;
  reached: number;
  duplicates: number;
  rateLimited: number;
  seconds: number;
  ratePerSecond: number;
  peakRssMb: number[];
  /** Worker CPU (user + system) per message sent, in milliseconds. */
  cpuMsPerMessage: number;
  inFlightAtKill?: number;
  sentAtKill?: number;
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Peak resident memory of a running process (Linux VmHWM), in MB. */
function peakRssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

function startWorker(url: string, apiRoot: string, leaseSeconds: number): ChildProcess & { output: () => string } {
  return start(process.execPath, ['--import', 'tsx', 'runtime/delivery-process.ts'], {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: '6',
    APP_SECRET: 'bench-broadcast-secret-bench-broadcast-secret',
    DATA_DIR: '/tmp/mc-bench-broadcast',
    TELEGRAM_BOT_TOKEN: '123456:bench-token-bench-token-bench-token',
    TELEGRAM_WEBHOOK_SECRET: 'bench-webhook-secret',
    TELEGRAM_API_ROOT: apiRoot,
    TELEGRAM_RATE_PER_SECOND: String(RATE),
    DELIVERY_BATCH_SIZE: String(BATCH),
    DELIVERY_LEASE_SECONDS: String(leaseSeconds),
    DELIVERY_INTERVAL_MS: '100',
    DELIVERY_CONCURRENCY: String(CONCURRENCY),
  });
}

async function killHard(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-child.pid, 'SIGKILL');
  await exited;
}

async function stopGently(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Chats 1..n on Telegram, every one subscribed to the area; topic tags pick the smaller runs' audiences. */
async function seed(db: Database): Promise<void> {
  const total = RECIPIENTS;
  await db.execute(sql`
    insert into identities (channel, external_id, locale)
    select 'telegram', (100000000 + g)::text, case when g % 10 = 0 then 'en' else 'vi' end from generate_series(1, ${total}) g`);
  await db.execute(sql`
    insert into notification_settings (identity_id, area, topics)
    select id, 'bench', case when id <= ${CRASH_RECIPIENTS} then '{land}'::text[]
      when id <= ${CRASH_RECIPIENTS + PAIR_RECIPIENTS} then '{business}'::text[] else '{}'::text[] end
    from identities`);
}

async function pendingRows(db: Database, subject: string): Promise<number> {
  const rows = rowsOf<{ n: number | string }>(await db.execute(sql`select count(*)::int as n from outbox where subject = ${subject} and status = 'pending'`));
  return Number(rows[0]?.n ?? 0);
}

async function run(
  db: Database,
  url: string,
  fake: FakeTelegram,
  options: { name: string; audience: { topics?: ('land' | 'business')[] }; expected: number; workers: number; killAtFraction?: number; leaseSeconds: number },
): Promise<RunResult> {
  fake.reset();
  const broadcast = await createBroadcast(db, { text: `Thông báo thử nghiệm ${options.name}.`, audience: options.audience, urgent: true }, actor, new Date());
  await scheduleBroadcast(db, broadcast.id, undefined, actor, new Date());
  const subject = `broadcast:${broadcast.id}`;
  const workers = Array.from({ length: options.workers }, () => startWorker(url, fake.apiRoot, options.leaseSeconds));
  const peaks = new Map<number, number>();
  const cpu = new Map<number, number>();
  const limitMs = Math.max(90_000, (options.expected / RATE) * 3000);
  const started = Date.now();
  // The rate is measured between polls: from the first poll that saw messages to the poll that
  // saw the last one, counting only the messages sent in between. Polls are 200 ms apart because
  // fake.stats() copies its per-chat map, which must not steal time from the fake server itself.
  let first: { at: number; sent: number } | undefined;
  let last = { at: 0, sent: 0 };
  let killed: { inFlight: number; sent: number } | undefined;
  for (;;) {
    await sleep(200);
    const stats = fake.stats();
    if (stats.sent > 0 && !first) first = { at: Date.now(), sent: stats.sent };
    if (stats.sent !== last.sent) last = { at: Date.now(), sent: stats.sent };
    for (const w of workers) {
      if (w.pid === undefined || w.exitCode !== null || w.signalCode !== null) continue;
      peaks.set(w.pid, Math.max(peaks.get(w.pid) ?? 0, peakRssMb(w.pid)));
      try {
        cpu.set(w.pid, cpuMs(w.pid));
      } catch {
        // The process just ended; its last reading stands.
      }
    }
    if (options.killAtFraction !== undefined && !killed && stats.byChat.size >= options.expected * options.killAtFraction) {
      const victim = workers[0];
      if (!victim) throw new Error('no worker to kill');
      await killHard(victim);
      const sentAtKill = fake.stats().sent;
      // The dead worker's leased rows: claimed, maybe sent, not recorded as sent.
      const leased = rowsOf<{ n: number | string }>(
        await db.execute(sql`select count(*)::int as n from outbox where subject = ${subject} and status = 'pending' and lease_owner is not null`),
      );
      killed = { inFlight: Number(leased[0]?.n ?? 0), sent: sentAtKill };
      log(`  ${options.name}: killed the worker (SIGKILL) at ${sentAtKill} sent, ${killed.inFlight} rows in flight; starting it again`);
      workers[0] = startWorker(url, fake.apiRoot, options.leaseSeconds);
    }
    if (stats.byChat.size >= options.expected && (await pendingRows(db, subject)) === 0) break;
    if (Date.now() - started > limitMs) {
      for (const w of workers) log(w.output().slice(-2000));
      throw new Error(`${options.name}: not finished after ${limitMs} ms (${stats.byChat.size} of ${options.expected} reached)`);
    }
  }
  await Promise.all(workers.map(stopGently));
  const stats = fake.stats();
  const duplicates = [...stats.byChat.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  const seconds = (last.at - (first?.at ?? last.at)) / 1000;
  return {
    recipients: options.expected,
    sent: stats.sent,
    reached: stats.byChat.size,
    duplicates,
    rateLimited: stats.rateLimited,
    seconds: Math.round(seconds * 10) / 10,
    ratePerSecond: Math.round((last.sent - (first?.sent ?? 0)) / seconds),
    peakRssMb: [...peaks.values()],
    cpuMsPerMessage: Math.round(([...cpu.values()].reduce((a, b) => a + b, 0) / Math.max(1, stats.sent)) * 100) / 100,
    ...(killed ? { inFlightAtKill: killed.inFlight, sentAtKill: killed.sent } : {}),
  };
}

async function main() {
  const name = `mc_bench_broadcast_${process.pid}`;
  const scratch = await scratchDatabase(SERVER, name);
  const { url } = scratch;
  const database = await openDatabase({ url, maxConnections: 4 });
  const fake = await startFakeTelegram({ ratePerSecond: RATE, record: false });
  try {
    log(
      `broadcast benchmark: fake Telegram limit ${RATE} msg/s, TELEGRAM_RATE_PER_SECOND=${RATE}, batch ${BATCH}, ${CONCURRENCY} sends in the air per worker, PostgreSQL ${name}`,
    );
    await seed(database.db);
    log(`seeded ${RECIPIENTS} Telegram chats`);
    const throughput = await run(database.db, url, fake, { name: 'throughput', audience: {}, expected: RECIPIENTS, workers: 1, leaseSeconds: 60 });
    log(`1. throughput: ${JSON.stringify(throughput)}`);
    log(
      `   achieved ${throughput.ratePerSecond} msg/s = ${(throughput.ratePerSecond / RATE).toFixed(3)} of the limit; 429s: ${throughput.rateLimited}; peak RSS ${throughput.peakRssMb.join(', ')} MB`,
    );
    const crash = await run(database.db, url, fake, {
      name: 'crash',
      audience: { topics: ['land'] },
      expected: CRASH_RECIPIENTS,
      workers: 1,
      killAtFraction: 0.5,
      leaseSeconds: 5,
    });
    log(`2. crash: ${JSON.stringify(crash)}`);
    log(
      `   reached ${crash.reached} of ${crash.recipients} (lost ${crash.recipients - crash.reached}); duplicates ${crash.duplicates} <= in flight at the kill ${crash.inFlightAtKill}`,
    );
    const pair = await run(database.db, url, fake, {
      name: 'two workers',
      audience: { topics: ['business'] },
      expected: PAIR_RECIPIENTS,
      workers: 2,
      leaseSeconds: 60,
    });
    log(`3. two workers: ${JSON.stringify(pair)}`);
    log(`   sent twice: ${pair.duplicates}; 429s: ${pair.rateLimited}; ${pair.ratePerSecond} msg/s together`);
    const ok =
      throughput.ratePerSecond / RATE >= 0.95 &&
      throughput.rateLimited === 0 &&
      throughput.reached === RECIPIENTS &&
      crash.reached === CRASH_RECIPIENTS &&
      crash.duplicates <= (crash.inFlightAtKill ?? 0) &&
      pair.duplicates === 0 &&
      pair.rateLimited === 0;
    log(ok ? 'all goals met' : 'GOALS NOT MET');
    process.exitCode = ok ? 0 : 1;
  } finally {
    await fake.stop();
    await database.close();
    await scratch.drop();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
