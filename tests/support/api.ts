import type { Hono } from 'hono';

/**
 * Calls the app in-process as an API client would: JSON in and out, an optional bearer token.
 * The body comes back unknown: assert it with toMatchObject, or parse what you need with zod.
 *
 * @example const { status, body } = await callApi(app, 'GET', '/api/v1/stats?from=2026-11-01&to=2026-11-30', token);
 */
export async function callApi(app: Hono, method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await app.request(path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON (a CSV export or an HTML page): keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
