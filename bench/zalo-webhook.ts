/**
 * Zalo webhook: how fast the assistant answers signed Zalo events (Zalo wants a 200 within 2 s),
 * and how long the outbox takes to deliver every reply to the (fake) Zalo API afterwards. The
 * assistant runs as `npm start` would, in its own process, on PGlite and on PostgreSQL.
 *
 *   npm run bench:zalo -- [--duration 10] [--connections 20] [--only pglite,postgres]
 *     [--postgres postgres://postgres@127.0.0.1:5432/test] [--text "…"]
 *
 * Loopback only; every process it starts is stopped at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { Pool } from 'undici';
import { SIGNATURE_HEADER } from '../bot/channels/zalo/protocol';
import { zaloSignature } from '../bot/channels/zalo/verify';
import { startFakeZalo } from '../tests/fakes/zalo-server';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    only: { type: 'string', default: 'pglite,postgres' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    text: { type: 'string', default: 'làm giấy khai sinh cần giấy tờ gì' },
  },
});
const KEYS = { appId: '3608465248940903967', oaSecretKey: 'bench-oa-secret-key' };
const APP_SECRET = 'bench-zalo-app-secret';
/** Distinct Zalo users the events come from. */
const USERS = 2000;
const ZALO_LIMIT_MS = 2000;

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function launch(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'runtime/node.ts'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(100)) {
    if (
      await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
  }
  child.kill('SIGTERM');
  throw new Error('the assistant did not start');
}
const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

let eventSeq = 0;
function signedEvent(): { body: string; headers: Record<string, string> } {
  const n = ++eventSeq;
  const timestamp = String(Date.now());
  const body = JSON.stringify({
    app_id: KEYS.appId,
    event_name: 'user_send_text',
    sender: { id: String(7_000_000_000 + (n % USERS)) },
    recipient: { id: '388613280879808645' },
    message: { msg_id: `bench-${process.pid}-${n}`, text: values.text },
    timestamp,
  });
  return { body, headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: `mac=${zaloSignature(KEYS.appId, body, timestamp, KEYS.oaSecretKey)}` } };
}

/**
 * A closed loop: `connections` loops each POST their next signed event as soon as the previous
 * answer arrived. Latency is request start to response end (what Zalo waits for).
 */
async function load(origin: string, connections: number, durationMs: number) {
  const pool = new Pool(origin, { connections, pipelining: 1 });
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() - started < durationMs) {
        const { body, headers } = signedEvent();
        const t = performance.now();
        try {
          const res = await pool.request({ path: '/webhooks/zalo', method: 'POST', headers, body });
          await res.body.dump();
          if (res.statusCode !== 200) non2xx++;
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {
    requests: latencies.length,
    perSecond: Math.round(latencies.length / seconds),
    p50: at(0.5),
    p99: at(0.99),
    max: Math.round(latencies.at(-1) ?? 0),
    non2xx,
    errors,
  };
}

async function main() {
  const zalo = await startFakeZalo({ appId: KEYS.appId, appSecret: APP_SECRET, accessToken: 'access-0', refreshToken: 'refresh-0' });
  const lines: string[] = [];
  for (const target of values.only.split(',')) {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'mc-zalo-bench-'));
    const dbName = `mc_zalo_bench_${process.pid}`;
    const admin = target === 'postgres' ? postgres(values.postgres, { max: 1, onnotice: () => {} }) : undefined;
    let databaseUrl: string | undefined;
    if (admin) {
      await admin.unsafe(`drop database if exists ${dbName} with (force)`);
      await admin.unsafe(`create database ${dbName}`);
      const url = new URL(values.postgres);
      url.pathname = `/${dbName}`;
      databaseUrl = url.toString();
    }
    zalo.calls.length = 0;
    Object.assign(zalo.state, { accessToken: 'access-0', refreshToken: 'refresh-0', accessExpiresAt: Date.now() + 3_600_000 });
    const child = await launch(
      {
        NODE_ENV: 'production',
        APP_SECRET: 'bench-app-secret-bench-app-secret-bench-app',
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        DATA_DIR: dataDir,
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
        ZALO_APP_ID: KEYS.appId,
        ZALO_APP_SECRET: APP_SECRET,
        ZALO_OA_SECRET_KEY: KEYS.oaSecretKey,
        ZALO_API_BASE: zalo.url,
        ZALO_OAUTH_BASE: zalo.url,
        ZALO_ZNS_BASE: zalo.url,
        ZALO_ACCESS_TOKEN: 'access-0',
        ZALO_REFRESH_TOKEN: 'refresh-0',
      },
      port,
    );
    try {
      process.stderr.write(`${target}: loading\n`);
      const result = await load(`http://127.0.0.1:${port}`, Number(values.connections), Number(values.duration) * 1000);
      const events = result.requests;
      // Each event's replies go out through the outbox; wait until the fake stops receiving.
      const loadEnded = Date.now();
      let sent = -1;
      while (sent !== zalo.callsTo('cs').length) {
        sent = zalo.callsTo('cs').length;
        await sleep(2000);
      }
      const drainSeconds = Math.max(0, (Date.now() - loadEnded - 2000) / 1000);
      const users = new Set(zalo.callsTo('cs').map((c) => JSON.stringify(c.body.recipient))).size;
      lines.push(
        `| ${target} | ${result.perSecond} | ${result.p50} | ${result.p99} | ${result.max} | ${result.non2xx} | ${result.errors} | ${sent} messages to ${users} users for ${events} events | ${drainSeconds.toFixed(1)} |`,
      );
      process.stderr.write(`${target}: ${result.perSecond} events/s, p99 ${result.p99} ms (limit ${ZALO_LIMIT_MS} ms)\n`);
    } finally {
      await stop(child);
      if (admin) {
        await admin.unsafe(`drop database if exists ${dbName} with (force)`);
        await admin.end({ timeout: 5 });
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  await zalo.close();
  process.stdout.write(
    [
      `Zalo webhook, ${values.connections} connections, ${values.duration} s, signed user_send_text events (${JSON.stringify(values.text)}) from ${USERS} users; Zalo's limit: 200 within ${ZALO_LIMIT_MS} ms`,
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
      '',
      '| database | events/s | p50 ms | p99 ms | max ms | non-2xx | errors | delivered by the outbox | drain after load, s |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
      ...lines,
    ].join('\n') + '\n',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
