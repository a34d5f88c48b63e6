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
