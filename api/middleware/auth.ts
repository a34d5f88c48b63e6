import { and, eq, isNull } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import { apiTokens } from '../../db/schema';
import type { Database } from '../../db/types';
import type { Actor, Role } from '../../domain/actors';
import type { Clock } from '../../lib/clock';
import { sha256Hex } from '../../lib/crypto';
import { apiError } from '../errors';

declare module 'hono' {
  interface ContextVariableMap {
    actor: Actor;
  }
}

export interface AuthDeps {
  db: Database;
  clock: Clock;
}

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
 * Resolves who is calling. API tokens are looked up by their SHA-256: the token has 192 bits of
 * entropy, so a fast hash is safe, and the lookup by hash never compares secrets byte by byte.
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

  return {
    requireRole(...roles) {
      return async (c, next) => {
        const actor = await fromToken(c.req.header('authorization'));
        if (!actor) return apiError(c, 401, 'unauthorized', 'Missing or invalid credentials: send Authorization: Bearer <token>.');
        if (!roles.includes(actor.role)) return apiError(c, 403, 'forbidden', `This needs the role ${roles.join(' or ')}; yours is ${actor.role}.`);
        c.set('actor', actor);
        await next();
      };
    },
  };
}
