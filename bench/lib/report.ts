import { cpus, loadavg, totalmem } from 'node:os';

/** The middle value (the upper one of two for an even count); 0 for none. */
export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** The line every benchmark prints under its title: what it ran on, and how busy that was at the end. */
export function machineLine(): string {
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  return `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, load average at the end ${load}`;
}

/**
 * Times `run` `runs` times after one untimed warm-up call; the samples in ms and the last result.
 */
export async function timeRuns<T>(runs: number, run: () => Promise<T>): Promise<{ samples: number[]; result: T }> {
  let result = await run();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = await run();
    samples.push(performance.now() - t0);
  }
  return { samples, result };
}
