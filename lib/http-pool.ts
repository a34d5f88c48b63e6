/**
 * One origin's HTTP connections as the channel clients use them (the Zalo client): a request by
 * path, its status and body. On Node an undici Pool fits this as it is (runtime/node-http.ts keeps
 * its keep-alive sockets); on Workers, where undici cannot run and the platform pools connections
 * itself, `fetchPool` does the same exchange over `fetch`.
 */
export interface HttpPool {
  request(options: { path: string; method: 'GET' | 'POST'; headers: Record<string, string>; body: string | null }): Promise<{
    statusCode: number;
    body: { text(): Promise<string> };
  }>;
  close(): Promise<void>;
}

export interface PoolOptions {
  /** Sockets kept to the origin (undici; the platform decides on Workers). */
  connections: number;
  /** Connect, headers and body each within this (undici), or the whole exchange (fetch). */
  timeoutMs: number;
}

/** Makes the pool of one origin (`https://openapi.zalo.me`). */
export type PoolFactory = (origin: string, options: PoolOptions) => HttpPool;

/**
 * A pool over the platform's `fetch`: one call per request, given up after `timeoutMs`. A failed
 * call carries no system error code (fetch hides it), so callers treat it as possibly delivered.
 *
 * @example
 * const pool = fetchPool('https://openapi.zalo.me', { connections: 16, timeoutMs: 10_000 });
 * const res = await pool.request({ path: '/v3.0/oa/message/cs', method: 'POST', headers, body });
 */
export const fetchPool: PoolFactory = (origin, options) => ({
  async request({ path, method, headers, body }) {
    const res = await fetch(`${origin}${path}`, { method, headers, body, signal: AbortSignal.timeout(options.timeoutMs) });
    return { statusCode: res.status, body: { text: () => res.text() } };
  },
  async close() {},
});
