import { createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Database } from '../../db/types';
import { csrfTokenFor, endSession, login, SESSION_COOKIE } from '../../domain/people/sessions';
import { clientAddress } from '../../http/client-address';
import { apiError } from '../../http/errors';
import type { Clock } from '../../lib/clock';
import { ROLES } from '../../vocabulary/actors';
import type { Auth } from '../middleware/auth';
import { API_SECURITY, AUTH_ERRORS, createApiRouter, ErrorSchema, json } from '../openapi';
import { ActorSchema, iso } from '../schemas';

const LoginBody = z
  .object({
    username: z.string().min(1).max(100).openapi({ example: 'nguyenvana' }),
    password: z.string().min(1).max(200),
  })
  .strict()
  .openapi('LoginRequest');

const SessionSchema = z
  .object({
    actor: ActorSchema,
    csrfToken: z.string().openapi({ description: 'Send it back in X-CSRF-Token on every write made with the session cookie.' }),
    expiresAt: z.string(),
  })
  .openapi('Session');

const MeSchema = z.object({ actor: ActorSchema, csrfToken: z.string().nullable() }).openapi('Me');

/**
 * Console sign-in. The session cookie is httpOnly and SameSite=Strict (Secure behind https);
 * only its hash is stored. Failed attempts are throttled per username and per address.
 */
export function createAuthRoutes(deps: { db: Database; clock: Clock; auth: Auth; secureCookies: boolean }) {
  const routes = createApiRouter();
  const anyone = deps.auth.requireRole(...ROLES);

  routes.openapi(
    createRoute({
      method: 'post',
      path: '/auth/login',
      tags: ['Accounts'],
      summary: 'Sign in to the console',
      request: { body: { content: { 'application/json': { schema: LoginBody } }, required: true } },
      responses: {
        200: json(SessionSchema, 'Signed in; the session cookie is set'),
        400: json(ErrorSchema, 'Invalid input'),
        401: json(ErrorSchema, 'Wrong username or password'),
        429: json(ErrorSchema, 'Too many failed attempts; see Retry-After'),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const now = deps.clock.now();
      const result = await login(deps.db, { ...body, address: clientAddress(c) }, now);
      if (!result.ok) {
        if (result.reason === 'throttled') {
          const seconds = Math.ceil((result.retryAfterMs ?? 60_000) / 1000);
          c.header('Retry-After', String(seconds));
          return apiError(c, 429, 'too_many_attempts', `Too many failed sign-ins. Try again in ${Math.ceil(seconds / 60)} minutes.`);
        }
        return apiError(c, 401, 'invalid_credentials', 'Wrong username or password.');
      }
      const session = result.value;
      setCookie(c, SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'Strict',
        secure: deps.secureCookies,
        path: '/',
        expires: session.expiresAt,
      });
      return c.json({ actor: session.actor, csrfToken: session.csrfToken, expiresAt: iso(session.expiresAt) }, 200);
    },
  );

  routes.openapi(
    createRoute({
      method: 'post',
      path: '/auth/logout',
      tags: ['Accounts'],
      summary: 'Sign out (ends the session)',
      security: API_SECURITY,
      middleware: [anyone] as const,
      responses: { 200: json(z.object({ ok: z.literal(true) }), 'Signed out'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) await endSession(deps.db, token, c.get('actor'), deps.clock.now());
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: deps.secureCookies });
      return c.json({ ok: true as const }, 200);
    },
  );

  routes.openapi(
    createRoute({
      method: 'get',
      path: '/auth/me',
      tags: ['Accounts'],
      summary: 'Who is calling (and the CSRF token of the session)',
      security: API_SECURITY,
      middleware: [anyone] as const,
      responses: { 200: json(MeSchema, 'The caller'), ...AUTH_ERRORS },
    }),
    (c) => {
      const token = c.req.header('authorization') ? undefined : getCookie(c, SESSION_COOKIE);
      return c.json({ actor: c.get('actor'), csrfToken: token ? csrfTokenFor(token) : null }, 200);
    },
  );
  return routes;
}
