import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { scratchDatabase } from '../../bench/lib/scratch-database';
import { postgresOnly, reachablePostgres } from '../support/database';
import { processGroup, start, stop, waitFor } from '../support/processes';

/**
 * `npm run worker` (runtime/delivery-process.ts) as a supervisor runs it: its command from
 * package.json, started in a process group of its own. Issue 17: through the tsx command the
 * worker was a second process, which went on sending after its parent was killed with -9.
 */
const server = await reachablePostgres();
const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
const children: ChildProcess[] = [];
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const child of children) await stop(child);
  for (const drop of drops) await drop();
});

describe.skipIf(!server)(postgresOnly('npm run worker', server), () => {
  it('is one process: killed with -9, nothing of it is left running', async () => {
    const scratch = await scratchDatabase(server ?? '', `mc_worker_${process.pid}_${randomBytes(4).toString('hex')}`);
    drops.push(scratch.drop);
    // npm runs a script's command through the shell, which finds node, or tsx in node_modules/.bin.
    const [command = '', ...args] = (scripts.worker ?? '').split(' ');
    const child = start(command === 'node' ? process.execPath : `node_modules/.bin/${command}`, args, {
      DATABASE_URL: scratch.url,
      APP_SECRET: 'worker-test-secret-0123456789abcdef',
      LOG_LEVEL: 'info',
    });
    children.push(child);
    await waitFor(async () => child.output().includes('delivery process running'), 60_000, 50).catch((error: unknown) => {
      throw new Error(`the worker did not start (${String(error)}):\n${child.output()}`);
    });
    const pid = child.pid ?? 0;
    // Only the started process runs the worker. (tsx may have a short-lived esbuild helper in the
    // group while it compiles; that one is not a worker and ends with its parent.)
    const workers = processGroup(pid).filter((member) => readCommandLine(member).includes('delivery-process'));
    expect(workers).toEqual([pid]);

    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    process.kill(pid, 'SIGKILL');
    expect(await exited).toBe('SIGKILL');
    // With the old two-process command the orphaned worker ran on: the group never emptied.
    await waitFor(async () => processGroup(pid).length === 0, 20_000, 50).catch(() => {
      throw new Error(`still running after kill -9: ${processGroup(pid).map(readCommandLine).join('; ')}`);
    });
  }, 90_000);
});

function readCommandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}
