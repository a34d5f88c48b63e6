/**
 * Webhook throughput: updates/s and latency of a Telegram text-message round trip (update POSTed
 * to the webhook -> dialog -> reply recorded by the fake Bot API, all before the webhook answers),
 * for the assistant on PGlite and on PostgreSQL, beside a bare grammY + Hono echo bot driven by
 * the same load generator and the same fake Bot API in the same run.
 *
 *   npm run bench:webhook -- [--duration 5] [--rounds 3] [--warmup 3] [--connections 40]
 *     [--only echo,pglite,postgres] [--postgres postgres://postgres@127.0.0.1:5432/test]
 *     [--text "…"] [--profile /tmp/profiles] [--compare ../other-checkout]
 *
 * All targets are started first (each in its own process), then measured in turn, round after
 * round, so a busy neighbour on a shared machine weighs on all of them alike; the table gives
 * each target's median round. CPU per update is the target process's own CPU time (user +
 * system) over the round divided by the updates it answered; PostgreSQL's (every `postgres`
 * process on the machine) and the bench process's own are printed beside it for each round.
 * Loopback only; everything started is stopped at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SECRET_HEADER } from '../bot/channels/telegram/webhook';
import { bundleIfStale } from '../scripts/bundle.mjs';
import { startFakeTelegram } from '../tests/fakes/telegram-server';
import { cpuMs, cpuMsOfCommand } from '../tests/support/processes';
import { type LoadResult, runLoad } from './lib/load';
import { machineLine, median } from './lib/report';
import { scratchDatabase } from './lib/scratch-database';
import { appEnv, assistantEntry, launchNode as launch, type Running, BENCH_SECRET as SECRET, BENCH_TOKEN as TOKEN, textUpdate } from './lib/webhook-targets';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '40' },
    only: { type: 'string', default: 'echo,pglite,postgres' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    text: { type: 'string', default: 'làm giấy khai sinh cần giấy tờ gì' },
    /** Write a V8 CPU profile of each target into this folder (open it in Chrome DevTools). */
    profile: { type: 'string' },
    /** Another checkout (with node_modules) measured beside this one on PostgreSQL, as target `compare`: an A/B of a change. */
    compare: { type: 'string' },
  },
});
const durationMs = Number(values.duration) * 1000;
const warmupMs = Number(values.warmup) * 1000;
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const only = new Set([...values.only.split(','), ...(values.compare ? ['compare'] : [])]);

interface Target {
  name: string;
  key: string;
  launch(apiRoot: string): Promise<Running>;
}

const profile = values.profile ? ['--cpu-prof', '--cpu-prof-dir', values.profile] : [];
const launchNode = (entry: string[], args: (port: number) => string[], env: Record<string, string>) => launch(entry, args, env, profile);

const targets: Target[] = [
  {
    name: 'bare grammY + Hono echo bot (baseline)',
    key: 'echo',
    launch: (apiRoot) =>
      launchNode(['--import', 'tsx', 'bench/echo-bot.ts'], (port) => ['--port', String(port), '--api-root', apiRoot, '--secret', SECRET, '--token', TOKEN], {}),
  },
  {
    name: 'assistant on PGlite (files in a temp DATA_DIR)',
    key: 'pglite',
    async launch(apiRoot) {
      const dataDir = mkdtempSync(join(tmpdir(), 'mc-bench-'));
      const app = await launchNode(assistantEntry('.'), () => [], { ...appEnv(apiRoot), DATA_DIR: dataDir });
      return {
        ...app,
        async stop() {
          await app.stop();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  },
  postgresTarget('assistant on PostgreSQL (127.0.0.1, scratch database)', 'postgres', '.'),
  ...(values.compare ? [postgresTarget(`assistant from ${values.compare} on PostgreSQL`, 'compare', values.compare)] : []),
];

/** The assistant in `root` (this checkout, or another one for --compare) on a scratch PostgreSQL database. */
function postgresTarget(name: string, key: string, root: string): Target {
  return {
    name,
    key,
    async launch(apiRoot) {
      const scratch = await scratchDatabase(values.postgres, `mc_bench_${key}_${process.pid}`);
      const dataDir = mkdtempSync(join(tmpdir(), 'mc-bench-'));
      const app = await launchNode(assistantEntry(root), () => [], { ...appEnv(apiRoot), DATA_DIR: dataDir, DATABASE_URL: scratch.url });
      return {
        ...app,
        async stop() {
          await app.stop();
          await scratch.drop();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  };
}

interface Round extends LoadResult {
  replies: number;
  cpuPerUpdate: number;
  /** CPU of every PostgreSQL process over the round, per update (0 for targets that do not use it). */
  databaseCpu: number;
}

async function main() {
  if (await bundleIfStale()) process.stderr.write('bundle was stale: rebuilt (as npm start would)\n');
  const fake = await startFakeTelegram({ record: false });
  const chosen = targets.filter((t) => only.has(t.key));
  const running = new Map<Target, Running>();
  const results = new Map<Target, Round[]>(chosen.map((t) => [t, []]));
  const load = (port: number, ms: number) =>
    runLoad({
      url: `http://127.0.0.1:${port}/webhooks/telegram`,
      connections,
      durationMs: ms,
      headers: { 'content-type': 'application/json', [SECRET_HEADER]: SECRET },
      body: () => textUpdate(values.text),
    });
  try {
    for (const target of chosen) {
      process.stderr.write(`${target.name}: starting\n`);
      const r = await target.launch(fake.apiRoot);
      running.set(target, r);
      await load(r.port, warmupMs);
    }
    for (let round = 1; round <= rounds; round++) {
      for (const target of chosen) {
        const r = running.get(target);
        if (!r) continue;
        fake.reset();
        const before = { target: cpuMs(r.pid), database: cpuMsOfCommand('postgres'), bench: process.cpuUsage() };
        const result = await load(r.port, durationMs);
        const perUpdate = (ms: number) => Math.round((ms / Math.max(1, result.requests)) * 100) / 100;
        const cpuPerUpdate = perUpdate(cpuMs(r.pid) - before.target);
        const databaseCpu = perUpdate(cpuMsOfCommand('postgres') - before.database);
        const benchCpu = process.cpuUsage(before.bench);
        results.get(target)?.push({ ...result, replies: fake.stats().sent, cpuPerUpdate, databaseCpu });
        process.stderr.write(
          `round ${round} ${target.key}: ${result.perSecond} updates/s, p50 ${result.p50} ms, p99 ${result.p99} ms, CPU ms/update: target ${cpuPerUpdate}, PostgreSQL ${databaseCpu}, load generator + fake Bot API ${perUpdate((benchCpu.user + benchCpu.system) / 1000)}; load ${loadavg()[0]?.toFixed(1)}\n`,
        );
      }
    }
  } finally {
    for (const r of running.values()) await r.stop();
    await fake.stop();
  }

  const summary = chosen.map((target) => {
    const all = results.get(target) ?? [];
    const mid = [...all].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(all.length / 2)];
    return { target, all, mid };
  });
  const echoSummary = summary.find((s) => s.target.key === 'echo');
  const echo = echoSummary?.mid?.perSecond;
  // Rounds take turns, so round i of a target and round i of the echo bot saw the same machine.
  const perRound = (all: Round[]) => median(all.flatMap((r, i) => (echoSummary?.all[i] ? [r.perSecond / (echoSummary.all[i] as Round).perSecond] : [])));
  const lines = [
    `webhook round trip: ${connections} connections, ${rounds} rounds of ${durationMs / 1000} s per target (median round shown), text ${JSON.stringify(values.text)}`,
    machineLine(),
    '',
    '| target | updates/s (median) | rounds | p50 ms | p99 ms | CPU ms/update | PostgreSQL CPU ms/update | replies / updates | non-2xx + errors | vs echo (medians) | vs echo (round by round, median) |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...summary.map(({ target, all, mid }) =>
      mid
        ? `| ${target.name} | ${mid.perSecond} | ${all.map((r) => r.perSecond).join(', ')} | ${mid.p50} | ${mid.p99} | ${median(all.map((r) => r.cpuPerUpdate))} | ${median(all.map((r) => r.databaseCpu))} | ${all.reduce((n, r) => n + r.replies, 0)} / ${all.reduce((n, r) => n + r.requests, 0)} | ${all.reduce((n, r) => n + r.non2xx + r.errors, 0)} | ${echo ? `${Math.round((mid.perSecond / echo) * 100)} %` : '-'} | ${echo ? `${Math.round(perRound(all) * 100)} %` : '-'} |`
        : `| ${target.name} | - | | | | | | | | | |`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
