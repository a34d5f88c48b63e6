import type { Context, MiddlewareHandler } from 'hono';
import { apiError } from '../../http/errors';

/**
 * PostgreSQL cannot store the NUL character (U+0000) in text or jsonb: a value carrying one fails
 * the query and, unchecked, turns an input mistake into a 500. One check at the edge covers every
 * route, webhook and import instead of a refinement on every string schema.
 */
const NUL = '\u0000';
/** A JSON escape for NUL, not itself escaped (`\\u0000` is a backslash followed by "u0000"). */
const ESCAPED_NUL = /(?<!\\)(?:\\\\)*\\u0000/i;

/** The path (`items.0.title`) of the first string or key in a parsed JSON value that holds a NUL, or null. */
function nulPath(value: unknown, path: string[]): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? path.join('.') || 'body' : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes(NUL)) return [...path, key.replaceAll(NUL, '\\u0000')].join('.');
    const found = nulPath(item, [...path, key]);
    if (found) return found;
  }
  return null;
}

/**
 * Where a request body's text holds a NUL: a JSON field's path, or the line of any other text
 * (a CSV file). Null when there is none, or when JSON is not readable (the route says so).
 *
 * @example nulInText('{"items":[{"title":"a\\u0000"}]}', true) // 'items.0.title'
 */
export function nulInText(text: string, isJson: boolean): string | null {
  if (isJson) {
    if (!ESCAPED_NUL.test(text)) return null;
    try {
      return nulPath(JSON.parse(text), []);
    } catch {
      return null;
    }
  }
  const at = text.indexOf(NUL);
  return at < 0 ? null : `body (line ${text.slice(0, at).split('\n').length})`;
}

/** The answer for a NUL found in `field`: 400 in the API's envelope, naming it. */
export const refuseNul = (c: Context, field: string) =>
  apiError(c, 400, 'nul_character', `${field}: contains a NUL character (\\u0000), which is not accepted. Remove it and send again.`);

const isJsonType = (type: string) => type === 'application/json' || type.endsWith('+json');
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];

async function nulInBody(c: Context): Promise<string | null> {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return null;
  // Compressed bodies are inflated, and checked, by the route that accepts them (catalog import).
  const encoding = c.req.header('content-encoding')?.toLowerCase();
  if (encoding && encoding !== 'identity') return null;
  const type = (c.req.header('content-type') ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (FORM_TYPES.includes(type)) {
    // Read through Hono's body cache, so the route's form validator reuses it. Files are bytes
    // kept as blobs, never text in the database, so only text fields are checked.
    const form = await c.req.formData().catch(() => null);
    for (const [key, value] of form ?? []) {
      if (key.includes(NUL)) return `form field ${key.replaceAll(NUL, '\\u0000')}`;
      if (typeof value === 'string' && value.includes(NUL)) return key;
    }
    return null;
  }
  if (isJsonType(type) || type.startsWith('text/') || type === '') return nulInText(await c.req.text(), !type.startsWith('text/'));
  return null;
}

function nulInUrl(c: Context): string | null {
  // A NUL reaches a URL only percent-encoded (the HTTP parser refuses a raw one): most requests
  // are cleared without parsing the URL.
  if (!c.req.url.includes('%00')) return null;
  if (/%00/.test(new URL(c.req.url).pathname)) return 'path';
  for (const [key, values] of Object.entries(c.req.queries())) {
    if (key.includes(NUL) || values.some((v) => v.includes(NUL))) return `query.${key.replaceAll(NUL, '\\u0000')}`;
  }
  return null;
}

/**
 * Refuses any request whose path, query or body text holds a NUL character, with 400
 * `nul_character` naming the field (or the CSV line), before any route sees it.
 */
export function refuseNulCharacters(): MiddlewareHandler {
  return async (c, next) => {
    const field = nulInUrl(c) ?? (await nulInBody(c));
    if (field) return refuseNul(c, field);
    await next();
  };
}
