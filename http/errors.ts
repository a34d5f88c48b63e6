import type { Context } from 'hono';
import type {} from 'hono/request-id';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

/**
 * The one JSON error envelope of the HTTP API: `{ error: { code, message, requestId } }`.
 * `code` is stable for programs; `message` names the field or the reason for people.
 */
export function apiError<S extends ContentfulStatusCode>(c: Context, status: S, code: string, message: string) {
  return c.json({ error: { code, message, requestId: c.get('requestId') } }, status);
}

/**
 * A schema complaint named by its field, as the API words it (`body` for the whole body).
 *
 * @example fieldIssue({ path: ['items', 0, 'copies'], message: 'expected at least 1 copy' }) // 'items.0.copies: expected at least 1 copy'
 */
export const fieldIssue = (issue: { path: PropertyKey[]; message: string }): string => `${issue.path.join('.') || 'body'}: ${issue.message}`;

/**
 * A webhook or chat body checked at the edge: `read` parses it as JSON (`() => c.req.json()`, or
 * `() => JSON.parse(raw)` where the raw bytes are needed too), then `schema` checks it. On failure,
 * the answer to send: 400 `invalid_json` when it is not JSON, else 400 `invalidCode` with the
 * schema's complaints (each worded by `describe`) joined by "; ". `json` is the parsed body.
 *
 * @example
 * const read = await parseJsonBody(c, () => c.req.json(), webMessageSchema, 'invalid_message');
 * if (!read.ok) return read.answer;
 */
export async function parseJsonBody<T>(
  c: Context,
  read: () => unknown,
  schema: z.ZodType<T>,
  invalidCode: string,
  describe: (issue: z.core.$ZodIssue) => string = (issue) => issue.message,
): Promise<{ ok: true; value: T; json: unknown } | { ok: false; answer: Response }> {
  let json: unknown;
  try {
    json = await read();
  } catch {
    return { ok: false, answer: apiError(c, 400, 'invalid_json', 'The request body is not valid JSON.') };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, answer: apiError(c, 400, invalidCode, parsed.error.issues.map(describe).join('; ')) };
  return { ok: true, value: parsed.data, json };
}
