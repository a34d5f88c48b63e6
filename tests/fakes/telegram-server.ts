import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { UserFromGetMe } from 'grammy/types';

/** One Bot API call as the fake received it. */
/** The bot the fake Bot API answers getMe with (also a preset botInfo for offline grammY tests). */
export const FAKE_BOT_INFO: UserFromGetMe = {
  id: 7000001,
  is_bot: true,
  first_name: 'Một Cửa',
  username: 'MotCuaTestBot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

export interface RecordedCall {
  method: string;
  payload: Record<string, unknown>;
  /** The HTTP status the fake answered with (200, or 429, 403, 400, an injected failure). */
  status: number;
  /** When it arrived (Date.now()). */
  at: number;
}

/** A failure to answer instead of success, e.g. `{ status: 500, description: 'Internal Server Error' }`. */
export interface InjectedFailure {
  status: number;
  description: string;
  retryAfter?: number;
}

export interface FakeTelegramOptions {
  /** Global sendMessage limit in messages per second (a token bucket of one second); above it, 429 with retry_after. */
  ratePerSecond?: number;
  /** Chats that blocked the bot: sendMessage answers 403. */
  blockedChats?: Iterable<string | number>;
  /** Chats that do not exist: sendMessage answers 400 "chat not found". */
  missingChats?: Iterable<string | number>;
  /** Keep every call's payload (default true). Turn it off for load tests: counters still work. */
  record?: boolean;
  /** Milliseconds to wait before answering each call, to imitate a distant server. */
  delayMs?: number;
}

export interface FakeTelegramStats {
  /** Successful sendMessage calls. */
  sent: number;
  /** sendMessage calls answered 429. */
  rateLimited: number;
  /** sendMessage calls answered 403. */
  blocked: number;
  /** Calls answered with an injected failure. */
  failed: number;
  /** Successful sendMessage calls per chat id. */
  byChat: Map<string, number>;
  /** Every call per method, successful or not. */
  byMethod: Map<string, number>;
}

export interface FakeTelegram {
  /** The apiRoot to give grammY (`http://127.0.0.1:<port>`). */
  apiRoot: string;
  /** Recorded calls, optionally of one method only. */
  calls(method?: string): RecordedCall[];
  /** The payloads of sendMessage calls that succeeded (what the citizen received), optionally to one chat only. */
  messages(chatId?: string | number): Record<string, unknown>[];
  stats(): FakeTelegramStats;
  /** Forgets calls, counters, injected failures and the webhook; keeps the options. */
  reset(): void;
  /** Answers the next `times` calls of `method` with `failure`. */
  failNext(method: string, failure: InjectedFailure, times?: number): void;
  block(chatId: string | number): void;
  setRateLimit(perSecond: number | undefined): void;
  /** The webhook as set by setWebhook (secret included), or null. */
  webhook(): Record<string, unknown> | null;
  stop(): Promise<void>;
}

const PATH = /^\/bot([^/]+)\/([A-Za-z]+)$/;

/**
 * A fake Telegram Bot API on 127.0.0.1 (random port) that records calls and answers getMe,
 * sendMessage, answerCallbackQuery, setWebhook, getWebhookInfo and deleteWebhook like Telegram
 * does, including its error shapes (429 with parameters.retry_after, 403 blocked, 400 chat not
 * found). Cheap per call, so a broadcast benchmark can push 100,000 messages through it.
 *
 * @example
 * const fake = await startFakeTelegram({ ratePerSecond: 30 });
 * const bot = new Bot(token, { client: { apiRoot: fake.apiRoot } });
 * // ... after the test
 * expect(fake.messages(42)[0]).toMatchObject({ text: 'Xin chào' });
 * await fake.stop();
 */
export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const record = options.record ?? true;
  const blocked = new Set([...(options.blockedChats ?? [])].map(String));
  const missing = new Set([...(options.missingChats ?? [])].map(String));
  let rate = options.ratePerSecond;
  let tokens = rate ?? 0;
  let refilledAt = Date.now();
  let calls: RecordedCall[] = [];
  let stats = emptyStats();
  let failures = new Map<string, { failure: InjectedFailure; left: number }>();
  let webhook: Record<string, unknown> | null = null;
  let messageId = 0;

  /** True when a message may go now; otherwise the seconds to wait (at least 1, as Telegram says). */
  function takeToken(): true | number {
    if (rate === undefined) return true;
    const now = Date.now();
    tokens = Math.min(rate, tokens + ((now - refilledAt) / 1000) * rate);
    refilledAt = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return Math.max(1, Math.ceil((1 - tokens) / rate));
  }

  function answer(method: string, payload: Record<string, unknown>): { status: number; body: string } {
    const injected = failures.get(method);
    if (injected && injected.left > 0) {
      injected.left--;
      stats.failed++;
      return error(injected.failure.status, injected.failure.description, injected.failure.retryAfter);
    }
    switch (method) {
      case 'getMe':
        return okBody(FAKE_BOT_INFO);
      case 'sendMessage': {
        const chat = String(payload.chat_id);
        if (typeof payload.text !== 'string' || payload.text.length === 0) return error(400, 'Bad Request: message text is empty');
        if (missing.has(chat)) return error(400, 'Bad Request: chat not found');
        if (blocked.has(chat)) {
          stats.blocked++;
          return error(403, 'Forbidden: bot was blocked by the user');
        }
        const slot = takeToken();
        if (slot !== true) {
          stats.rateLimited++;
          return error(429, `Too Many Requests: retry after ${slot}`, slot);
        }
        stats.sent++;
        stats.byChat.set(chat, (stats.byChat.get(chat) ?? 0) + 1);
        return okBody({ message_id: ++messageId, date: Math.floor(Date.now() / 1000), chat: { id: Number(chat), type: 'private' }, text: payload.text });
      }
      case 'answerCallbackQuery':
        return okBody(true);
      case 'setWebhook':
        webhook = { ...payload };
        return okBody(true);
      case 'deleteWebhook':
        webhook = null;
        return okBody(true);
      case 'getWebhookInfo':
        return okBody({
          url: webhook?.url ?? '',
          has_custom_certificate: false,
          pending_update_count: 0,
          ...(webhook?.allowed_updates ? { allowed_updates: webhook.allowed_updates } : {}),
          ...(webhook?.max_connections ? { max_connections: webhook.max_connections } : {}),
        });
      default:
        return error(404, 'Not Found: method not found');
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const match = PATH.exec(req.url?.split('?')[0] ?? '');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let reply: { status: number; body: string };
    if (!match) reply = error(404, 'Not Found');
    else {
      const method = match[2] ?? '';
      const payload = parsePayload(Buffer.concat(chunks).toString('utf8'));
      stats.byMethod.set(method, (stats.byMethod.get(method) ?? 0) + 1);
      reply = answer(method, payload);
      if (record) calls.push({ method, payload, status: reply.status, at: Date.now() });
    }
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply.body) });
    res.end(reply.body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      res.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls: (method) => (method ? calls.filter((c) => c.method === method) : [...calls]),
    messages: (chatId) =>
      calls
        .filter((c) => c.method === 'sendMessage' && c.status === 200 && (chatId === undefined || String(c.payload.chat_id) === String(chatId)))
        .map((c) => c.payload),
    stats: () => ({ ...stats, byChat: new Map(stats.byChat), byMethod: new Map(stats.byMethod) }),
    reset() {
      calls = [];
      stats = emptyStats();
      failures = new Map();
      webhook = null;
      tokens = rate ?? 0;
      refilledAt = Date.now();
    },
    failNext(method, failure, times = 1) {
      failures.set(method, { failure, left: times });
    },
    block(chatId) {
      blocked.add(String(chatId));
    },
    setRateLimit(perSecond) {
      rate = perSecond;
      tokens = perSecond ?? 0;
      refilledAt = Date.now();
    },
    webhook: () => webhook,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function emptyStats(): FakeTelegramStats {
  return { sent: 0, rateLimited: 0, blocked: 0, failed: 0, byChat: new Map(), byMethod: new Map() };
}

function parsePayload(text: string): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : {};
  } catch {
    return {};
  }
}

const okBody = (result: unknown) => ({ status: 200, body: JSON.stringify({ ok: true, result }) });

function error(status: number, description: string, retryAfter?: number) {
  const body: Record<string, unknown> = { ok: false, error_code: status, description };
  if (retryAfter !== undefined) body.parameters = { retry_after: retryAfter };
  return { status, body: JSON.stringify(body) };
}
