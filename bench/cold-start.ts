/**
 * Cold start: from `npm start` to the first answered web chat message, on the embedded PGlite.
 * The first start runs in a fresh DATA_DIR (the database is created and migrated, the catalog
 * seeded); the second start reuses that folder, as a restart would.
 *
 *   npm run bench:cold-start -- [--runs 3]
 *
 * Loopback only; each started service is stopped (SIGTERM to its process group) before the next.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { freePort, start, stop, waitFor } from './lib/processes';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
/** The goal from the issue. */
const GOAL_MS = 3000;

interface Measure {
  /** Spawn to the first 200 answer of POST /chat/messages with the greeting. */
  firstReplyMs: number;
  /** What the service itself printed as its start time (config to listening). */
  reportedMs: number | undefined;
}

async function coldStart(dataDir: string): Promise<Measure> {
  const port = await freePort();
  const started = performance.now();
  const child = start('npm', ['start', '--silent'], { DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', DELIVERY_ENABLED: 'false' });
  try {
    let greeting = '';
    await waitFor(
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/chat/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ start: '' }),
        });
        if (res.status !== 200) return false;
        greeting = await res.text();
        return true;
      },
      60_000,
      10,
    );
    const firstReplyMs = Math.round(performance.now() - started);
    if (!greeting.includes('Xin chào')) throw new Error(`unexpected first reply: ${greeting.slice(0, 200)}`);
    const reported = /\((\d+) ms to start\)/.exec(child.output())?.[1];
    return { firstReplyMs, reportedMs: reported === undefined ? undefined : Number(reported) };
  } catch (error) {
    throw new Error(`npm start failed: ${error instanceof Error ? error.message : String(error)}\n${child.output()}`);
  } finally {
    await stop(child);
  }
}

async function main() {
  const first: Measure[] = [];
  const second: Measure[] = [];
  for (let run = 1; run <= runs; run++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'mc-cold-'));
    try {
      first.push(await coldStart(dataDir));
      second.push(await coldStart(dataDir));
      process.stderr.write(`run ${run}: fresh ${first.at(-1)?.firstReplyMs} ms, again ${second.at(-1)?.firstReplyMs} ms, load ${loadavg()[0]?.toFixed(1)}\n`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const row = (name: string, ms: Measure[]) => {
    const firsts = ms.map((m) => m.firstReplyMs);
    const reported = ms.flatMap((m) => (m.reportedMs === undefined ? [] : [m.reportedMs]));
    const med = median(firsts);
    return `| ${name} | ${med} | ${firsts.join(', ')} | ${reported.length ? median(reported) : '-'} | ${med < GOAL_MS ? 'met' : 'missed'} |`;
  };
  process.stdout.write(
    `${[
      `cold start on PGlite, ${runs} runs (median shown), npm start to the first answered web chat message`,
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, load average at the end ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
      '',
      '| start | first reply ms (median) | runs | service-reported start ms | goal < 3,000 ms |',
      '| --- | ---: | --- | ---: | --- |',
      row('fresh DATA_DIR (create, migrate, seed)', first),
      row('second start on the same DATA_DIR', second),
    ].join('\n')}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
