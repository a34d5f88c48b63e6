import { and, eq, isNull } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { apiTokens } from '../../db/schema';
import type { Database } from '../../db/types';
import { csrfTokenFor, resolveSession, SESSION_COOKIE } from '../../domain/people/sessions';
import { apiError } from '../../http/errors';
import type { Clock } from '../../lib/clock';
import { constantTimeEqual, sha256Hex } from '../../lib/crypto';
import type { Actor, Role } from '../../vocabulary/actors';

declare module 'hono' {
  interface ContextVariableMap {
    actor: Actor;
  }
}

export interface AuthDeps {
  db: Database;
  clock: Clock;
}

/** Writes made with the session cookie must echo the session's CSRF token in this header. */
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];

export interface Auth {
  /**
   * Lets the request through only for an actor with one of `roles` (401 without valid
   * credentials, 403 with the wrong role) and puts the actor in `c.get('actor')`.
   *
   * @example routes.post('/dossiers', auth.requireRole('admin', 'staff'), handler)
   */
  requireRole(...roles: Role[]): MiddlewareHandler;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{20,200})$/;

/**
 * Resolves who is calling: an API token (`Authorization: Bearer`) or, without that header, a
 * console session cookie. API tokens are looked up by their SHA-256: the token has 192 bits of
 * entropy, so a fast hash is safe, and the lookup by hash never compares secrets byte by byte.
 * A write made with the cookie must carry the session's CSRF token in X-CSRF-Token, so another
 * site cannot make a signed-in browser write (SameSite=Strict already blocks most of that).
 */
export function createAuth(deps: AuthDeps): Auth {
  async function fromToken(header: string | undefined): Promise<Actor | null> {
    const match = header ? BEARER.exec(header) : null;
    if (!match?.[1]) return null;
    const [row] = await deps.db
      .select()
      .from(apiTokens)
      .where(and(eq(apiTokens.tokenHash, sha256Hex(match[1])), isNull(apiTokens.revokedAt)));
    if (!row) return null;
    await deps.db.update(apiTokens).set({ lastUsedAt: deps.clock.now() }).where(eq(apiTokens.id, row.id));
    return { kind: 'token', id: row.id, name: row.name, role: row.role, officeId: row.officeId };
  }

  async function fromSession(c: Context): Promise<{ actor: Actor | null; csrfOk: boolean }> {
    const token = getCookie(c, SESSION_COOKIE);
    if (!token) return { actor: null, csrfOk: false };
    const actor = await resolveSession(deps.db, token, deps.clock.now());
    const csrfOk = SAFE_METHODS.includes(c.req.method) || constantTimeEqual(c.req.header(CSRF_HEADER) ?? '', csrfTokenFor(token));
    return { actor, csrfOk };
  }

  return {
    requireRole(...roles) {
      return async (c, next) => {
        const header = c.req.header('authorization');
        const session = header ? null : await fromSession(c);
        const actor = header ? await fromToken(header) : (session?.actor ?? null);
        if (!actor) return apiError(c, 401, 'unauthorized', 'Missing or invalid credentials: send Authorization: Bearer <token>, or sign in.');
        if (session && !session.csrfOk) return apiError(c, 403, 'csrf', `A write with the session cookie needs the ${CSRF_HEADER} header from sign-in.`);
        if (!roles.includes(actor.role)) return apiError(c, 403, 'forbidden', `This needs the role ${roles.join(' or ')}; yours is ${actor.role}.`);
        c.set('actor', actor);
        await next();
      };
    },
  };
}
