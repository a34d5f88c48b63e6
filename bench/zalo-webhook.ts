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
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { signedZaloEvent, startFakeZalo } from '../tests/fakes/zalo-server';
import { freePort, start, stop, waitFor } from '../tests/support/processes';
import { runLoad } from './lib/load';
import { machineLine } from './lib/report';
import { scratchDatabase } from './lib/scratch-database';

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `npm start` in its own process, ready once /healthz answers; what it printed is shown if it never does. */
async function launch(env: Record<string, string>, port: number) {
  const child = start(process.execPath, ['--import', 'tsx', 'runtime/node.ts'], env);
  try {
    await waitFor(() => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok), 60_000, 100);
  } catch {
    await stop(child);
    process.stderr.write(child.output());
    throw new Error('the assistant did not start');
  }
  return child;
}

/** The n-th event: a user_send_text from one of USERS users, signed as Zalo signs it. */
const signedEvent = (n: number) =>
  signedZaloEvent(
    {
      event_name: 'user_send_text',
      sender: { id: String(7_000_000_000 + (n % USERS)) },
      recipient: { id: '388613280879808645' },
      message: { msg_id: `bench-${process.pid}-${n}`, text: values.text },
      timestamp: String(Date.now()),
    },
    KEYS,
  );

async function main() {
  const zalo = await startFakeZalo({ appId: KEYS.appId, appSecret: APP_SECRET, accessToken: 'access-0', refreshToken: 'refresh-0' });
  const lines: string[] = [];
  for (const target of values.only.split(',')) {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'mc-zalo-bench-'));
    const scratch = target === 'postgres' ? await scratchDatabase(values.postgres, `mc_zalo_bench_${process.pid}`) : undefined;
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
        ...(scratch ? { DATABASE_URL: scratch.url } : {}),
        ...zalo.env(KEYS.oaSecretKey),
        ZALO_ACCESS_TOKEN: 'access-0',
        ZALO_REFRESH_TOKEN: 'refresh-0',
      },
      port,
    );
    try {
      process.stderr.write(`${target}: loading\n`);
      // A closed loop: each connection POSTs its next signed event as soon as the previous answer
      // arrived; latency is request start to response end (what Zalo waits for).
      const result = await runLoad({
        url: `http://127.0.0.1:${port}/webhooks/zalo`,
        connections: Number(values.connections),
        durationMs: Number(values.duration) * 1000,
        headers: {},
        body: signedEvent,
      });
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
        `| ${target} | ${result.perSecond} | ${Math.round(result.p50)} | ${Math.round(result.p99)} | ${Math.round(result.max)} | ${result.non2xx} | ${result.errors} | ${sent} messages to ${users} users for ${events} events | ${drainSeconds.toFixed(1)} |`,
      );
      process.stderr.write(`${target}: ${result.perSecond} events/s, p99 ${Math.round(result.p99)} ms (limit ${ZALO_LIMIT_MS} ms)\n`);
    } finally {
      await stop(child);
      await scratch?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  await zalo.close();
  process.stdout.write(
    [
      `Zalo webhook, ${values.connections} connections, ${values.duration} s, signed user_send_text events (${JSON.stringify(values.text)}) from ${USERS} users; Zalo's limit: 200 within ${ZALO_LIMIT_MS} ms`,
      machineLine(),
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
