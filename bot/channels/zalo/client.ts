import { z } from 'zod';
import type { HttpPool, PoolFactory } from '../../../lib/http-pool';
import type { Logger } from '../../../lib/logger';
import { neverSent } from '../../../lib/transient';
import { ZaloApiError, ZaloNetworkError } from './errors';
import { ZALO_ERROR, ZALO_OK } from './protocol';

/** A button in a customer-service message. */
export type ZaloButton =
  | { title: string; type: 'oa.query.hide' | 'oa.query.show'; payload: string }
  | { title: string; type: 'oa.open.url'; payload: { url: string } };

/** The `message` of a customer-service send, as Zalo's OA API v3 takes it. */
export type ZaloMessage =
  | { text: string; attachment?: { type: 'template'; payload: { buttons: ZaloButton[] } } }
  | {
      attachment: {
        type: 'template';
        payload: { template_type: 'request_user_info'; elements: [{ title: string; subtitle: string; image_url?: string }] };
      };
    };

export interface ZaloUserProfile {
  userId: string;
  displayName: string | null;
  isFollower: boolean | null;
  /** E.g. "84912345678", only after the user shared their info with the OA. */
  sharedPhone: string | null;
}

export interface ZnsSend {
  /** 84xxxxxxxxx */
  phone: string;
  templateId: string;
  templateData: Record<string, string>;
  /** Our idempotency key, ≤ 48 characters of [A-Za-z0-9_-]. */
  trackingId: string;
  /** Development mode: delivered only to phones holding an admin role on the OA. */
  development?: boolean;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds (Zalo sends a string; it is coerced). */
  expiresIn: number;
}

export interface ZaloClientOptions {
  apiBase: string;
  oauthBase: string;
  znsBase: string;
  appId: string;
  appSecret: string;
  logger: Logger;
  /** Makes the connections to each origin: undici pools on Node, fetch on Workers (lib/http-pool.ts). */
  pools: PoolFactory;
  /** Connect, headers and body timeout per attempt (default 10 s). */
  timeoutMs?: number;
  /** Attempts per call, including the first (default 3). */
  maxAttempts?: number;
  /** Sockets per origin (default 16). */
  connections?: number;
  /** First backoff step (default 250 ms, doubled per attempt, with jitter). */
  backoffMs?: number;
}

/**
 * The Zalo OA, OAuth and ZNS endpoints we use, typed, over one pool per origin (undici on Node).
 *
 * Retries, and why they are safe: a call is repeated (with backoff) only when Zalo cannot have
 * acted on it: the connection was never made, or Zalo answered -32 (rate limited: refused, not
 * sent). Reads (user profile) are also repeated after timeouts and resets. A send that may have
 * reached Zalo (timeout or reset after the body was written, a 5xx) is never repeated here: it
 * fails with ZaloNetworkError { delivered: 'unknown' } and the caller decides (the outbox tries
 * again later, accepting a rare duplicate over a lost notice, as DESIGN's outbox promises).
 *
 * @example
 * const client = createZaloClient({ apiBase, oauthBase, znsBase, appId, appSecret, logger, pools: fetchPool });
 * await client.sendMessage(token, '2512523625412515', { text: 'Xin chào Anh/Chị' });
 */
export function createZaloClient(options: ZaloClientOptions) {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxAttempts = options.maxAttempts ?? 3;
  const backoffMs = options.backoffMs ?? 250;
  const pools = new Map<string, HttpPool>();
  const log = options.logger.child({ component: 'zalo-client' });

  const poolFor = (origin: string): HttpPool => {
    let pool = pools.get(origin);
    if (!pool) {
      pool = options.pools(origin, { connections: options.connections ?? 16, timeoutMs });
      pools.set(origin, pool);
    }
    return pool;
  };

  interface Call {
    base: string;
    path: string;
    method: 'GET' | 'POST';
    headers: Record<string, string>;
    body?: string;
    /** Whether repeating the call after an ambiguous failure is harmless (reads). */
    idempotent: boolean;
    /** Label for errors and logs (never carries tokens or phones). */
    endpoint: string;
  }

  async function call(request: Call): Promise<unknown> {
    const base = new URL(request.base);
    const path = `${base.pathname.replace(/\/$/, '')}${request.path}`;
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= maxAttempts;
      let status: number;
      let text: string;
      try {
        const res = await poolFor(base.origin).request({ path, method: request.method, headers: request.headers, body: request.body ?? null });
        status = res.statusCode;
        text = await res.body.text();
      } catch (error) {
        const failure = networkError(request.endpoint, error);
        if (last || (failure.delivered === 'unknown' && !request.idempotent)) throw failure;
        log.warn('zalo call failed, retrying', { endpoint: request.endpoint, attempt, cause: failure.causeCode });
        await pause(backoffMs, attempt);
        continue;
      }
      if (status >= 500) {
        const failure = new ZaloNetworkError(request.endpoint, 'unknown', `HTTP_${status}`, `HTTP ${status}`);
        if (last || !request.idempotent) throw failure;
        await pause(backoffMs, attempt);
        continue;
      }
      const answer = parseAnswer(request.endpoint, status, text);
      if (answer.error === ZALO_ERROR.rateLimited && !last) {
        log.warn('zalo rate limit answer, retrying', { endpoint: request.endpoint, attempt });
        await pause(backoffMs * 4, attempt);
        continue;
      }
      if (answer.error !== ZALO_OK) throw new ZaloApiError(answer.error, answer.message, request.endpoint);
      return answer.body;
    }
  }

  const json = (accessToken: string) => ({ access_token: accessToken, 'content-type': 'application/json' });

  async function sendCs(accessToken: string, userId: string, message: ZaloMessage): Promise<{ messageId: string }> {
    const body = await call({
      base: options.apiBase,
      path: '/v3.0/oa/message/cs',
      method: 'POST',
      headers: json(accessToken),
      body: JSON.stringify({ recipient: { user_id: userId }, message }),
      idempotent: false,
      endpoint: 'message/cs',
    });
    const data = sentSchema.safeParse(body);
    return { messageId: data.success ? data.data.data.message_id : '' };
  }

  return {
    /** A customer-service ("tư vấn") message: text, text with buttons, or a request_user_info card. */
    sendMessage: sendCs,

    /** A profile read; `sharedPhone` is set once the user shared their info with the OA. */
    async getUser(accessToken: string, userId: string): Promise<ZaloUserProfile> {
      const body = await call({
        base: options.apiBase,
        path: `/v3.0/oa/user/detail?data=${encodeURIComponent(JSON.stringify({ user_id: userId }))}`,
        method: 'GET',
        headers: { access_token: accessToken },
        idempotent: true,
        endpoint: 'user/detail',
      });
      const parsed = userSchema.safeParse(body);
      if (!parsed.success) throw new ZaloApiError(ZALO_ERROR.znsUnknown, 'unexpected user/detail answer', 'user/detail');
      const d = parsed.data.data;
      return {
        userId: d.user_id,
        displayName: d.display_name ?? null,
        isFollower: d.user_is_follower ?? null,
        sharedPhone: d.shared_info?.phone ?? null,
      };
    },

    /** A ZNS template message to a phone number (business.openapi.zalo.me/message/template). */
    async sendZnsTemplate(accessToken: string, send: ZnsSend): Promise<{ msgId: string }> {
      const body = await call({
        base: options.znsBase,
        path: '/message/template',
        method: 'POST',
        headers: json(accessToken),
        body: JSON.stringify({
          phone: send.phone,
          template_id: send.templateId,
          template_data: send.templateData,
          tracking_id: send.trackingId,
          ...(send.development ? { mode: 'development' } : {}),
        }),
        idempotent: false,
        endpoint: 'zns/template',
      });
      const data = znsSentSchema.safeParse(body);
      return { msgId: data.success ? data.data.data.msg_id : '' };
    },

    /**
     * Trades the single-use refresh token for a new pair (OAuth v4). Never retried after the
     * request may have reached Zalo: a second try with the same refresh token would fail anyway
     * and could hide which answer was the real one.
     */
    async refreshToken(refreshToken: string): Promise<TokenPair> {
      const form = new URLSearchParams({ refresh_token: refreshToken, app_id: options.appId, grant_type: 'refresh_token' });
      const body = await call({
        base: options.oauthBase,
        path: '/v4/oa/access_token',
        method: 'POST',
        headers: { secret_key: options.appSecret, 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        idempotent: false,
        endpoint: 'oauth/access_token',
      });
      const parsed = tokenSchema.safeParse(body);
      if (!parsed.success) throw new ZaloApiError(ZALO_ERROR.znsUnknown, 'unexpected access_token answer', 'oauth/access_token');
      return { accessToken: parsed.data.access_token, refreshToken: parsed.data.refresh_token, expiresIn: parsed.data.expires_in };
    },

    async close(): Promise<void> {
      await Promise.all([...pools.values()].map((p) => p.close()));
      pools.clear();
    },
  };
}

export type ZaloClient = ReturnType<typeof createZaloClient>;

function networkError(endpoint: string, error: unknown): ZaloNetworkError {
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'UNKNOWN';
  const message = error instanceof Error ? error.message : String(error);
  return new ZaloNetworkError(endpoint, neverSent(code) ? 'no' : 'unknown', code, message);
}

const pause = (base: number, attempt: number) => {
  const ms = base * 2 ** (attempt - 1);
  return new Promise((resolve) => setTimeout(resolve, ms + Math.random() * ms * 0.25));
};

/** Zalo answers `{ error, message, data }`; OAuth answers the token fields or `{ error, error_name, error_description }`. */
const answerSchema = z
  .object({
    error: z.coerce.number().optional(),
    message: z.string().optional(),
    error_name: z.string().optional(),
    error_description: z.string().optional(),
  })
  .loose();

function parseAnswer(endpoint: string, status: number, text: string): { error: number; message: string; body: unknown } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ZaloNetworkError(endpoint, 'unknown', `HTTP_${status}`, `unreadable answer (HTTP ${status})`);
  }
  const parsed = answerSchema.safeParse(body);
  if (!parsed.success) throw new ZaloNetworkError(endpoint, 'unknown', `HTTP_${status}`, `unexpected answer (HTTP ${status})`);
  const a = parsed.data;
  return { error: a.error ?? ZALO_OK, message: a.message ?? a.error_description ?? a.error_name ?? 'no message', body };
}

const sentSchema = z.object({ data: z.object({ message_id: z.string() }) });
const znsSentSchema = z.object({ data: z.object({ msg_id: z.string() }) });
const userSchema = z.object({
  data: z.object({
    user_id: z.string(),
    display_name: z.string().optional(),
    user_is_follower: z.boolean().optional(),
    shared_info: z.object({ phone: z.string().optional() }).loose().nullish(),
  }),
});
/** `expires_in` arrives as a string ("90000"). */
const tokenSchema = z.object({ access_token: z.string().min(1), refresh_token: z.string().min(1), expires_in: z.coerce.number().int().positive() });
