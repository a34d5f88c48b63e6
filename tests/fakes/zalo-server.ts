import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER } from '../../bot/channels/zalo/protocol';
import { zaloSignature } from '../../bot/channels/zalo/verify';

/** One request the fake received, with its body parsed (JSON or form). */
export interface RecordedCall {
  endpoint: 'cs' | 'user' | 'oauth' | 'zns' | 'other';
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

type Scripted = { error: number; message: string } | 'drop';

export interface FakeZaloOptions {
  appId: string;
  appSecret: string;
  accessToken: string;
  refreshToken: string;
  /** Lifetime of tokens it issues (default 25 h, as Zalo's OAuth v4). */
  accessTtlMs?: number;
  /** When the current access token expires (epoch ms); default now + accessTtlMs. */
  accessExpiresAt?: number;
  /** Delay before answering a refresh, to widen races in tests. */
  refreshDelayMs?: number;
  /** The fake's clock (epoch ms). */
  now?: () => number;
}

/**
 * A fake Zalo on 127.0.0.1 for tests: the OA customer-service send, user detail, the OAuth v4
 * refresh with single-use refresh tokens (a refresh invalidates the old access token too), and
 * the ZNS template send. It checks the `access_token` header like Zalo (-216 unknown, -220
 * expired), answers -213 for users who unfollowed and -230 for users outside the window, and can
 * be scripted to answer an error code (e.g. -32 rate limit) or drop the connection.
 */
export async function startFakeZalo(options: FakeZaloOptions) {
  const now = options.now ?? Date.now;
  const ttl = options.accessTtlMs ?? 25 * 3_600_000;
  const state = {
    accessToken: options.accessToken,
    refreshToken: options.refreshToken,
    accessExpiresAt: options.accessExpiresAt ?? now() + ttl,
    issued: 0,
  };
  const calls: RecordedCall[] = [];
  const scripted: Record<RecordedCall['endpoint'], Scripted[]> = { cs: [], user: [], oauth: [], zns: [], other: [] };
  const unfollowed = new Set<string>();
  const windowClosed = new Set<string>();
  const users = new Map<string, { displayName: string; phone?: string }>();
  let messageSeq = 0;

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const endpoint: RecordedCall['endpoint'] =
      url.pathname === '/v3.0/oa/message/cs'
        ? 'cs'
        : url.pathname === '/v3.0/oa/user/detail'
          ? 'user'
          : url.pathname === '/v4/oa/access_token'
            ? 'oauth'
            : url.pathname === '/message/template'
              ? 'zns'
              : 'other';
    const body = parseBody(req.headers['content-type'], raw, url);
    calls.push({ endpoint, method: req.method ?? '', path: url.pathname, headers: req.headers, body });

    const answer = (payload: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    const next = scripted[endpoint].shift();
    if (next === 'drop') {
      req.socket.destroy();
      return;
    }
    if (next) return answer(next);

    if (endpoint === 'oauth') {
      if (options.refreshDelayMs) await new Promise((resolve) => setTimeout(resolve, options.refreshDelayMs));
      if (req.headers.secret_key !== options.appSecret)
        return answer({ error: -14002, error_name: 'Invalid app secret', error_description: 'secret_key is wrong' });
      if (body.app_id !== options.appId || body.grant_type !== 'refresh_token') return answer({ error: -14001, error_name: 'Invalid parameter' });
      if (body.refresh_token !== state.refreshToken)
        return answer({ error: -14014, error_name: 'Invalid refresh token', error_description: 'refresh token is invalid or used' });
      state.issued += 1;
      state.accessToken = `access-${state.issued}`;
      state.refreshToken = `refresh-${state.issued}`;
      state.accessExpiresAt = now() + ttl;
      return answer({ access_token: state.accessToken, refresh_token: state.refreshToken, expires_in: String(Math.round(ttl / 1000)) });
    }
    if (endpoint === 'other') return answer({ error: -201, message: 'Unknown endpoint' });

    const token = req.headers.access_token;
    if (token !== state.accessToken) return answer({ error: -216, message: 'Access token is invalid' });
    if (now() >= state.accessExpiresAt) return answer({ error: -220, message: 'Access token has expired' });

    if (endpoint === 'user') {
      const userId = String((body.data as { user_id?: unknown } | undefined)?.user_id ?? '');
      const user = users.get(userId);
      if (!user || unfollowed.has(userId)) return answer({ error: -213, message: 'User has not followed the OA' });
      return answer({
        error: 0,
        message: 'Success',
        data: { user_id: userId, display_name: user.displayName, user_is_follower: true, ...(user.phone ? { shared_info: { phone: user.phone } } : {}) },
      });
    }
    if (endpoint === 'cs') {
      const userId = String((body.recipient as { user_id?: unknown } | undefined)?.user_id ?? '');
      if (!userId || body.message === undefined) return answer({ error: -201, message: 'Invalid parameter' });
      if (unfollowed.has(userId)) return answer({ error: -213, message: 'User has not followed the OA' });
      if (windowClosed.has(userId)) return answer({ error: -230, message: 'User has not interacted with the OA in the past 7 days' });
      return answer({ error: 0, message: 'Success', data: { message_id: `m${++messageSeq}`, user_id: userId } });
    }
    // zns
    if (!/^84\d{9,10}$/.test(String(body.phone ?? ''))) return answer({ error: -108, message: 'Phone number is invalid' });
    if (!body.tracking_id) return answer({ error: -201, message: 'tracking_id is required' });
    if (!/^\d+$/.test(String(body.template_id ?? ''))) return answer({ error: -109, message: 'Template id is invalid' });
    return answer({
      error: 0,
      message: 'Success',
      data: { msg_id: `z${++messageSeq}`, sent_time: String(now()), quota: { dailyQuota: '500', remainingQuota: '499' } },
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    /**
     * The assistant's Zalo settings for this fake: its app, the OA secret key events are signed
     * with, and the fake's address for the OA, OAuth and ZNS APIs.
     */
    env: (oaSecretKey: string) => ({
      ZALO_APP_ID: options.appId,
      ZALO_APP_SECRET: options.appSecret,
      ZALO_OA_SECRET_KEY: oaSecretKey,
      ZALO_API_BASE: url,
      ZALO_OAUTH_BASE: url,
      ZALO_ZNS_BASE: url,
    }),
    calls,
    state,
    users,
    /** The customer-service messages sent to one user, in order, summarised. */
    messagesTo(userId: string): SentMessage[] {
      return calls.filter((c) => c.endpoint === 'cs' && recipientOf(c.body) === userId).map((c) => summarise(c.body.message));
    },
    /** Calls to one endpoint, in order. */
    callsTo: (endpoint: RecordedCall['endpoint']) => calls.filter((c) => c.endpoint === endpoint),
    /** The next `times` calls to `endpoint` get this answer (an error code, or a dropped connection). */
    script(endpoint: RecordedCall['endpoint'], answer: Scripted, times = 1) {
      for (let i = 0; i < times; i++) scripted[endpoint].push(answer);
    },
    expireAccessToken() {
      state.accessExpiresAt = now() - 1;
    },
    unfollow: (userId: string) => unfollowed.add(userId),
    closeWindow: (userId: string) => windowClosed.add(userId),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeZalo = Awaited<ReturnType<typeof startFakeZalo>>;

/** A sent message as a test reads it: its text, its buttons, and its template type if a card. */
export interface SentMessage {
  text?: string;
  buttons: { title: string; type: string; payload: unknown }[];
  templateType?: string;
  element?: Record<string, unknown>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function recipientOf(body: Record<string, unknown>): string | undefined {
  return isRecord(body.recipient) && typeof body.recipient.user_id === 'string' ? body.recipient.user_id : undefined;
}

function summarise(message: unknown): SentMessage {
  if (!isRecord(message)) return { buttons: [] };
  const payload = isRecord(message.attachment) && isRecord(message.attachment.payload) ? message.attachment.payload : {};
  const buttons = Array.isArray(payload.buttons) ? payload.buttons.filter(isRecord) : [];
  const elements = Array.isArray(payload.elements) ? payload.elements.filter(isRecord) : [];
  return {
    ...(typeof message.text === 'string' ? { text: message.text } : {}),
    buttons: buttons.map((b) => ({ title: String(b.title), type: String(b.type), payload: b.payload })),
    ...(typeof payload.template_type === 'string' ? { templateType: payload.template_type } : {}),
    ...(elements[0] ? { element: elements[0] } : {}),
  };
}

function parseBody(contentType: string | undefined, raw: string, url: URL): Record<string, unknown> {
  if (url.searchParams.has('data')) return { data: JSON.parse(url.searchParams.get('data') ?? '{}') as unknown };
  if (!raw) return {};
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  return JSON.parse(raw) as Record<string, unknown>;
}

/**
 * A webhook POST as Zalo sends it: the body serialised once, signed over those exact bytes with
 * the body's timestamp, the signature in X-ZEvent-Signature with the `mac=` prefix.
 *
 * @example
 * const { body, headers } = signedZaloEvent({ event_name: 'follow', follower: { id: '1' }, timestamp: '1732240000000' }, keys);
 * await app.request('/webhooks/zalo', { method: 'POST', body, headers });
 */
export function signedZaloEvent(event: { timestamp: string } & Record<string, unknown>, keys: ZaloKeys) {
  const body = JSON.stringify({ app_id: keys.appId, ...event });
  return { body, headers: zaloSignedHeaders(body, event.timestamp, keys) };
}

/** The keys Zalo signs webhook events with. */
interface ZaloKeys {
  appId: string;
  oaSecretKey: string;
}

/**
 * The headers of a webhook POST whose body is already serialised (or deliberately malformed):
 * JSON content type and the `mac=` signature over exactly those bytes with `timestamp`.
 *
 * @example await fetch(url, { method: 'POST', body, headers: zaloSignedHeaders(body, '1732240000000', keys) });
 */
export function zaloSignedHeaders(body: string, timestamp: string, keys: ZaloKeys) {
  return { 'content-type': 'application/json', [SIGNATURE_HEADER]: `mac=${zaloSignature(keys.appId, body, timestamp, keys.oaSecretKey)}` };
}
