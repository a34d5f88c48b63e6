import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export interface LoadOptions {
  url: string;
  /** Requests in flight at once (Telegram opens up to 40 connections to a webhook by default). */
  connections: number;
  durationMs: number;
  headers: Record<string, string>;
  /** The body of the n-th request, or the body and headers of its own (a signature over the body). */
  body: (n: number) => string | { body: string; headers: Record<string, string> };
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
}

/**
 * A closed-loop load generator over undici: `connections` loops, each POSTing its next body as
 * soon as the previous answer arrived, for `durationMs`. Latency is request start to response
 * end, so for a webhook it includes everything the handler awaits (the Bot API reply too).
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const pool = new Pool(url.origin, { connections: options.connections, pipelining: 1, keepAliveTimeout: 30_000 });
  const latencies: number[] = [];
  let sequence = 0;
  let non2xx = 0;
  let errors = 0;
  const started = performance.now();
  const end = started + options.durationMs;
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < end) {
        const next = options.body(sequence++);
        const { body, headers } =
          typeof next === 'string' ? { body: next, headers: options.headers } : { body: next.body, headers: { ...options.headers, ...next.headers } };
        const t = performance.now();
        try {
          const res = await pool.request({ path: url.pathname, method: 'POST', headers, body });
          await res.body.dump();
          if (res.statusCode < 200 || res.statusCode > 299) non2xx++;
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
  const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {
    requests: latencies.length,
    perSecond: Math.round(latencies.length / seconds),
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: round(latencies.at(-1) ?? 0),
    non2xx,
    errors,
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
