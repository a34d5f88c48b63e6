import { z } from '@hono/zod-openapi';
import type { Database } from '../../db/types';
import { createToken, listTokens, revokeToken, type TokenSummary } from '../../domain/people/tokens';
import { apiError } from '../../http/errors';
import type { Clock } from '../../lib/clock';
import type { Auth } from '../middleware/auth';
import { AUTH_ERRORS, createApiRouter, ErrorSchema, guardedRoutes, json } from '../openapi';
import { IdParam, iso, isoOrNull, OfficeId, RoleSchema } from '../schemas';

const TokenSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    role: RoleSchema,
    officeId: z.number().int().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiToken');

const NewToken = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: 'Phần mềm một cửa phường Bến Thành' }),
    role: RoleSchema,
    officeId: OfficeId.nullable().default(null),
  })
  .strict()
  .openapi('NewApiToken');

const show = (t: TokenSummary) => ({ ...t, createdAt: iso(t.createdAt), lastUsedAt: isoOrNull(t.lastUsedAt), revokedAt: isoOrNull(t.revokedAt) });

/** API tokens for integrations: created by an admin and shown once, listed without secrets, revocable. */
export function createTokenRoutes(deps: { db: Database; clock: Clock; auth: Auth }) {
  const routes = createApiRouter();
  const route = guardedRoutes(['Accounts'], deps.auth.requireRole('admin'));

  routes.openapi(
    route({
      method: 'post',
      path: '/tokens',
      summary: 'Create an API token (the secret is shown once)',
      request: { body: { content: { 'application/json': { schema: NewToken } }, required: true } },
      responses: { 201: json(TokenSchema.extend({ token: z.string() }), 'The token; store the secret now'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const created = await createToken(deps.db, c.req.valid('json'), c.get('actor'), deps.clock.now());
      return c.json({ ...show(created.summary), token: created.token }, 201);
    },
  );

  routes.openapi(
    route({
      method: 'get',
      path: '/tokens',
      summary: 'List API tokens (no secrets)',
      responses: { 200: json(z.object({ items: z.array(TokenSchema) }), 'Every token, newest first'), ...AUTH_ERRORS },
    }),
    async (c) => c.json({ items: (await listTokens(deps.db)).map(show) }, 200),
  );

  routes.openapi(
    route({
      method: 'delete',
      path: '/tokens/{id}',
      summary: 'Revoke an API token',
      request: { params: IdParam },
      responses: { 200: json(TokenSchema, 'The revoked token'), ...AUTH_ERRORS, 404: json(ErrorSchema, 'No such token') },
    }),
    async (c) => {
      const revoked = await revokeToken(deps.db, c.req.valid('param').id, c.get('actor'), deps.clock.now());
      if (!revoked.ok) return apiError(c, 404, 'not_found', revoked.message ?? 'No such token.');
      return c.json(show(revoked.value), 200);
    },
  );
  return routes;
}
