import { createRoute, OpenAPIHono, type RouteConfig, z } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import { Hono, type MiddlewareHandler } from 'hono';
import { SESSION_COOKIE } from '../domain/people/sessions';
import { apiError, fieldIssue } from '../http/errors';
import type { RouteGroup } from '../http/route-group';

/**
 * A router for /api/v1 whose routes join the OpenAPI document. Invalid input (params, query,
 * JSON body) is answered with the API's one error envelope, 400 `invalid_request`, naming the
 * fields.
 *
 * @example
 * const routes = createApiRouter();
 * routes.openapi(createRoute({ method: 'get', path: '/things', security: API_SECURITY, middleware: [auth.requireRole('admin')] as const, responses: { 200: json(ThingList, 'The things') } }), handler);
 * // then list `routes` in runtime/assemble.ts: createApiGroups([..., routes])
 */
export function createApiRouter(): OpenAPIHono {
  return new OpenAPIHono({
    defaultHook: (result, c) => {
      if (result.success) return;
      const message = result.error.issues.map(fieldIssue).join('; ');
      return apiError(c, 400, 'invalid_request', message);
    },
  });
}

/** Either credential works on every /api/v1 route: an API token or the console's session cookie. */
export const API_SECURITY: Record<string, string[]>[] = [{ Bearer: [] }, { Session: [] }];

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'forbidden' }),
      message: z.string(),
      requestId: z.string().optional(),
    }),
  })
  .openapi('Error');

/**
 * createRoute for a resource's routes that share their tags and one role check, so each route
 * declares only its own method, path, input and answers (and the document still lists the
 * security of every route).
 *
 * @example
 * const route = guardedRoutes(['Broadcasts'], auth.requireRole('official', 'admin'));
 * routes.openapi(route({ method: 'get', path: '/broadcasts', summary: 'Recent broadcasts', responses: { 200: json(List, 'Broadcasts') } }), handler);
 */
export function guardedRoutes(tags: string[], guard: MiddlewareHandler) {
  return <P extends string, R extends Omit<RouteConfig, 'path' | 'tags' | 'security' | 'middleware'> & { path: P }>(config: R) =>
    createRoute({ ...config, tags, security: API_SECURITY, middleware: [guard] as const });
}

/** A JSON response entry for createRoute's `responses`. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

/** The error responses every protected route may give. */
export const AUTH_ERRORS = {
  400: json(ErrorSchema, 'Invalid input; the message names the fields'),
  401: json(ErrorSchema, 'Missing or invalid credentials'),
  403: json(ErrorSchema, 'The role (or office) does not allow this, or a cookie write lacks X-CSRF-Token'),
};

/**
 * The /api/v1 group (every router's routes and the document at /api/v1/openapi.json) and the
 * readable reference at /api/docs.
 */
export function createApiGroups(routers: OpenAPIHono[]): RouteGroup[] {
  const v1 = createApiRouter();
  v1.openAPIRegistry.registerComponent('securitySchemes', 'Bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token created by an admin (POST /api/v1/tokens).',
  });
  v1.openAPIRegistry.registerComponent('securitySchemes', 'Session', {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'The console session from POST /api/v1/auth/login; writes also need the X-CSRF-Token header.',
  });
  for (const router of routers) v1.route('/', router);
  v1.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Một Cửa Assistant API',
      version: '1',
      description: 'Dossiers, statistics, accounts and audit for a one-stop office. Errors are `{ error: { code, message, requestId } }`.',
    },
    servers: [{ url: '/api/v1' }],
  });
  const docs = new Hono();
  docs.get('/docs', Scalar({ url: '/api/v1/openapi.json', pageTitle: 'Một Cửa Assistant API' }));
  // Mounted through a plain Hono so the group has the app's environment type.
  const group = new Hono();
  group.route('/', v1);
  return [
    { path: '/api/v1', routes: group },
    { path: '/api', routes: docs },
  ];
}
