import type { Context } from 'hono';
import type {} from 'hono/request-id';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * The one JSON error envelope of the HTTP API: `{ error: { code, message, requestId } }`.
 * `code` is stable for programs; `message` names the field or the reason for people.
 */
export function apiError<S extends ContentfulStatusCode>(c: Context, status: S, code: string, message: string) {
  return c.json({ error: { code, message, requestId: c.get('requestId') } }, status);
}
