import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { isAbsolute, resolve } from 'node:path';

/** A free TCP port on 127.0.0.1 (asked from the OS, then released for the child to take). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The arguments `npm start` gives node in the checkout at `root` (its package.json's start script,
 * paths made absolute), so a test or a benchmark runs the service exactly as `npm start` does,
 * V8 flags included.
 *
 * @example npmStartArgs('.') // ['--max-semi-space-size=64', '/work/main/runtime/start.mjs']
 */
export function npmStartArgs(root: string): string[] {
  const script: unknown = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).scripts?.start;
  const [command, ...args] = typeof script === 'string' ? script.trim().split(/\s+/) : [];
  if (command !== 'node') throw new Error(`${root}/package.json: the start script is not "node ...": ${String(script)}`);
  return args.map((arg) => (arg.startsWith('-') || isAbsolute(arg) ? arg : resolve(root, arg)));
}

/** Starts `command` in its own process group, output passed through only when it fails. */
export function start(command: string, args: string[], env: Record<string, string>): ChildProcess & { output: () => string } {
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return Object.assign(child, { output: () => output });
}

/** Stops a process started by {@link start} (its whole group, e.g. npm and the node it runs) and waits for it. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Polls `probe` every `everyMs` until it resolves true; fails after `timeoutMs`. */
export async function waitFor(probe: () => Promise<boolean>, timeoutMs: number, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** CPU time (user + system) a process has used so far, in milliseconds (Linux /proc). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // utime and stime are fields 14 and 15 of the whole line, in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time all processes with this command name (e.g. `postgres`: the server and its backends) have used so far, in milliseconds. */
export function cpuMsOfCommand(command: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === command) total += cpuMs(Number(entry));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return total;
}

/** The processes (pids) in process group `group`: a child started by {@link start} and whatever it started (Linux /proc). */
export function processGroup(group: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After the command name: state, parent pid, process group.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === group && state !== 'Z') members.push(Number(entry));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return members;
}
