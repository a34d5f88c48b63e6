import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { Logger } from '../lib/logger';
import { apiError } from './errors';

/** A group of routes mounted under a path with app.route(). */
export interface RouteGroup {
  path: string;
  routes: Hono;
}

export interface AppDeps {
  logger: Logger;
  /** True when the database answers. */
  checkDatabase: () => Promise<boolean>;
  /** Channel and feature route groups (web chat, webhooks, API), mounted in order. */
  groups: RouteGroup[];
  /** Extra named checks for /healthz (a channel's token, for instance); false means degraded. */
  checks?: Record<string, () => Promise<boolean> | boolean>;
  /**
   * Routes that take bigger bodies than the default (file uploads); the route checks its own
   * limit and answers with a specific message.
   */
  largeBodies?: { path: RegExp; maxBytes: number }[];
}

/** Bodies above this are refused before they are read (webhooks and chat messages are small). */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Builds the HTTP app from injected dependencies: request id, access log, one JSON error
 * envelope, /healthz, and the route groups. The same app runs on Node and on Workers.
 */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.use(requestId());
  app.use(secureHeaders({ crossOriginResourcePolicy: false }));
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    // Webhooks are many and uninteresting when fine; errors are always logged.
    const level = c.res.status >= 500 ? 'error' : c.res.status >= 400 ? 'info' : 'debug';
    deps.logger[level]('http', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(performance.now() - started),
      requestId: c.get('requestId'),
    });
  });
  const limits = [...(deps.largeBodies ?? []), { path: /^/, maxBytes: MAX_BODY_BYTES }].map(({ path, maxBytes }) => ({
    path,
    check: bodyLimit({
      maxSize: maxBytes,
      onError: (c) => apiError(c, 413, 'body_too_large', `The request body is larger than ${maxBytes} bytes.`),
    }),
  }));
  app.use((c, next) => {
    const limit = limits.find((l) => l.path.test(c.req.path));
    return limit ? limit.check(c, next) : next();
  });

  app.get('/healthz', async (c) => {
    const database = await deps.checkDatabase().catch(() => false);
    const checks: Record<string, 'ok' | 'degraded'> = {};
    for (const [name, check] of Object.entries(deps.checks ?? {})) {
      checks[name] = (await Promise.resolve(check()).catch(() => false)) ? 'ok' : 'degraded';
    }
    const healthy = database && Object.values(checks).every((v) => v === 'ok');
    return c.json({ status: database ? (healthy ? 'ok' : 'degraded') : 'down', database: database ? 'ok' : 'down', checks }, database ? 200 : 503);
  });

  for (const group of deps.groups) app.route(group.path, group.routes);

  app.notFound((c) => apiError(c, 404, 'not_found', `No route for ${c.req.method} ${c.req.path}.`));
  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status < 500) {
      return apiError(c, error.status, 'bad_request', error.message || 'The request could not be read.');
    }
    deps.logger.error('unhandled error', { error, path: c.req.path, requestId: c.get('requestId') });
    return apiError(c, 500, 'internal', 'Something went wrong on our side. Please try again.');
  });
  return app;
}
