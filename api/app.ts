import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { apiError } from '../http/errors';
import type { RouteGroup } from '../http/route-group';
import type { Logger } from '../lib/logger';
import { isTransient } from '../lib/transient';
import { refuseNulCharacters } from './middleware/refuse-nul';

export interface AppDeps {
  logger: Logger;
  /** True when the database answers. */
  checkDatabase: () => Promise<boolean>;
  /** Channel and feature route groups (web chat, webhooks, API), mounted in order. */
  groups: RouteGroup[];
  /** Extra named checks for /healthz (a channel's token, for instance); false means degraded. */
  checks?: Record<string, () => Promise<boolean> | boolean>;
  /**
   * Body limits other than the default, first match wins: routes that take bigger bodies (file
   * uploads; the route checks its own limit and answers with a specific message), and paths whose
   * refusal is a page rather than the API's JSON (`refuse`, given the limit).
   */
  largeBodies?: BodyLimit[];
}

export interface BodyLimit {
  path: RegExp;
  maxBytes: number;
  refuse?: (c: Context, maxBytes: number) => Response | Promise<Response>;
}

/** How long /healthz waits for any one check before counting it as failed. */
const HEALTH_CHECK_DEADLINE_MS = 800;

/** A check's answer, or false when it fails or has not answered by the deadline. */
async function withinDeadline(check: () => Promise<boolean> | boolean): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), HEALTH_CHECK_DEADLINE_MS);
  });
  try {
    return await Promise.race([
      Promise.resolve()
        .then(check)
        .catch(() => false),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Where the channels' webhooks are mounted. */
const WEBHOOK_PATH = '/webhooks/';

/** Bodies above this are refused before they are read (webhooks and chat messages are small). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Builds the HTTP app from injected dependencies: request id, access log, one JSON error
 * envelope, /healthz, and the route groups. Built on Web APIs only (no Node-only call): the Node
 * server (runtime/node.ts) and the Cloudflare Worker (runtime/worker.ts) serve this same app.
 */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.use(requestId());
  const browserHeaders = secureHeaders({ crossOriginResourcePolicy: false });
  // Webhooks answer Telegram's and Zalo's servers, never a browser, so the browser-protection
  // headers are left off them (a dozen headers written and parsed on every update for nothing).
  app.use((c, next) => (c.req.path.startsWith(WEBHOOK_PATH) ? next() : browserHeaders(c, next)));
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    // Webhooks are many and uninteresting when fine; errors are always logged.
    const level = c.res.status >= 500 ? 'error' : c.res.status >= 400 ? 'info' : 'debug';
    if (!deps.logger.enabled(level)) return;
    deps.logger[level]('http', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      requestId: c.get('requestId'),
    });
  });
  const limits = [...(deps.largeBodies ?? []), { path: /^/, maxBytes: MAX_BODY_BYTES } satisfies BodyLimit].map(
    ({ path, maxBytes, refuse: custom }: BodyLimit) => {
      const refuse = (c: Context) => (custom ? custom(c, maxBytes) : apiError(c, 413, 'body_too_large', `The request body is larger than ${maxBytes} bytes.`));
      return { path, maxBytes, refuse, check: bodyLimit({ maxSize: maxBytes, onError: refuse }) };
    },
  );
  app.use(async (c, next) => {
    const limit = limits.find((l) => l.path.test(c.req.path));
    if (!limit || c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    // A declared length settles it (the HTTP parser reads exactly that many bytes) without
    // touching the body: Hono's bodyLimit asks for the body as a web stream, which costs every
    // webhook a ReadableStream and turns off @hono/node-server's direct read. Bodies without a
    // length (chunked) are counted by bodyLimit as they stream.
    const declared = c.req.header('content-length');
    if (declared === undefined || !/^\d+$/.test(declared)) return limit.check(c, next);
    if (Number(declared) > limit.maxBytes) return limit.refuse(c);
    await next();
  });
  app.use(refuseNulCharacters());

  // Every check gets the same short deadline, run side by side: a probe must hear the truth
  // ("down") within a second even when the database does not answer at all.
  app.get('/healthz', async (c) => {
    const named = Object.entries(deps.checks ?? {});
    const [database, ...results] = await Promise.all([deps.checkDatabase, ...named.map(([, check]) => check)].map((check) => withinDeadline(check)));
    const checks: Record<string, 'ok' | 'degraded'> = {};
    named.forEach(([name], i) => {
      checks[name] = results[i] ? 'ok' : 'degraded';
    });
    const healthy = database && Object.values(checks).every((v) => v === 'ok');
    return c.json({ status: database ? (healthy ? 'ok' : 'degraded') : 'down', database: database ? 'ok' : 'down', checks }, database ? 200 : 503);
  });

  for (const group of deps.groups) app.route(group.path, group.routes);

  app.notFound((c) => apiError(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}.`));
  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status < 500) {
      return apiError(c, error.status, 'bad_request', error.message || 'The request could not be read.');
    }
    if (isTransient(error)) {
      // The database (or another dependency) is away for a moment: say so, and when to try again.
      deps.logger.warn('request failed on infrastructure', { error, path: c.req.path, requestId: c.get('requestId') });
      c.header('Retry-After', '5');
      return apiError(c, 503, 'unavailable', 'The service is briefly unavailable. Please try again in a few seconds.');
    }
    deps.logger.error('unhandled error', { error, path: c.req.path, requestId: c.get('requestId') });
    return apiError(c, 500, 'internal', 'Something went wrong on our side. Please try again.');
  });
  return app;
}
