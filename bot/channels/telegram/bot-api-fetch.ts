import { Readable } from 'node:stream';
import { Pool } from 'undici';

/**
 * The subset of `fetch` grammY's API client uses: POST with headers, a string (JSON) or
 * stream (multipart upload) body and an abort signal, then `res.json()`.
 */
type BotApiFetch = (
  url: string | URL,
  init?: { method?: string; headers?: unknown; body?: unknown; signal?: AbortSignal | null },
) => Promise<{
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}>;

/** Connections kept open to the Bot API (grammY's default node-fetch agent keeps no limit). */
const CONNECTIONS = 32;

/**
 * A `fetch` for grammY's API client over undici's pooled keep-alive connections.
 *
 * Why: grammY defaults to node-fetch on Node, which builds a WHATWG Request, an AbortController
 * chain and Node's http.ClientRequest for every call; the Bot API call was the largest single
 * cost of a webhook round trip in our profile (bench/webhook.ts). undici's `request` does the
 * same HTTP exchange with a fraction of the work. grammY still owns everything else (payloads,
 * timeouts through `signal`, error types), so this adapter only moves bytes.
 *
 * @example
 * new Bot(token, { client: { apiRoot, fetch: createBotApiFetch() as unknown as typeof fetch } });
 */
export function createBotApiFetch(): BotApiFetch {
  // One pool per origin (there is one: the Bot API root); a Pool skips the Agent's per-call
  // origin look-up, about a sixth of the call's own cost.
  const pools = new Map<string, Pool>();
  return async (url, init = {}) => {
    const [origin, path] = splitUrl(typeof url === 'string' ? url : url.href);
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections: CONNECTIONS, keepAliveTimeout: 30_000 });
      pools.set(origin, pool);
    }
    const res = await pool.request({
      path,
      method: (init.method ?? 'GET') as 'GET' | 'POST',
      headers: withoutConnection(init.headers),
      body: bodyOf(init.body),
      signal: init.signal ?? undefined,
    });
    return { ok: res.statusCode >= 200 && res.statusCode < 300, status: res.statusCode, json: () => res.body.json() };
  };
}

/** `https://api.telegram.org/bot1:x/sendMessage` -> [`https://api.telegram.org`, `/bot1:x/sendMessage`]. */
function splitUrl(url: string): [string, string] {
  const slash = url.indexOf('/', url.indexOf('://') + 3);
  return slash < 0 ? [url, '/'] : [url.slice(0, slash), url.slice(slash)];
}

/** undici manages connections itself and refuses a `connection` header (grammY sends keep-alive). */
function withoutConnection(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries((headers ?? {}) as Record<string, string>)) {
    if (name.toLowerCase() !== 'connection') out[name] = value;
  }
  return out;
}

/** grammY sends JSON as a string and a file upload as a Node stream (multipart). */
function bodyOf(body: unknown): string | Readable | null {
  if (body === undefined || body === null) return null;
  if (typeof body === 'string' || body instanceof Readable) return body;
  throw new TypeError(`unsupported Bot API request body: ${Object.prototype.toString.call(body)}`);
}
