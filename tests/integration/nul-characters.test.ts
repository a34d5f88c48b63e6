import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../vocabulary/actors';
import { callApi } from '../support/api';
import { API_ROUTES, type ApiRouteCase } from '../support/api-routes';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { createTestToken } from '../support/tokens';

/**
 * PostgreSQL refuses U+0000 in text and jsonb. Every string a client sends (JSON fields, query
 * values, path, form fields, CSV cells, webhook and chat bodies) must be refused at the edge with
 * 400 naming the field, never reach a query and come back as a 500.
 */
const NUL = '\u0000';
let assistant: TestAssistant;
const tokens = new Map<Role, string>();

beforeAll(async () => {
  assistant = await createTestAssistant();
  for (const role of ROLES) tokens.set(role, await createTestToken(assistant.database.db, role, { officeId: role === 'staff' ? 1 : null }));
});
afterAll(async () => assistant.close());

/** Every string leaf of a JSON value, with its dotted path. */
function stringPaths(value: unknown, path: string[] = []): string[][] {
  if (typeof value === 'string') return [path];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => stringPaths(item, [...path, key]));
}

/** A deep copy of `value` with a NUL added to the string at `path`. */
function withNul(value: unknown, path: string[]): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path.at(-1) ?? '';
  node[last] = `${String(node[last])}${NUL}x`;
  return copy;
}

const send = (route: ApiRouteCase, path: string, body: unknown) =>
  callApi(assistant.app, route.method, path, tokens.get(route.roles[0] ?? 'admin'), body, route.contentType ? { 'content-type': route.contentType } : {});

const expectRefused = (res: { status: number; body: unknown }, field: string) => {
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ error: { code: 'nul_character', message: expect.stringMatching(new RegExp(`^${field.replace(/[.()]/g, '\\$&')}: `)) } });
};

const jsonCases = API_ROUTES.filter((r) => !r.contentType && r.body !== undefined).flatMap((route) =>
  stringPaths(route.body).map((path) => [`${route.method} ${route.path} ${path.join('.')}`, route, path] as const),
);
const queryCases = API_ROUTES.filter((r) => r.path.includes('?')).flatMap((route) =>
  [...new URL(route.path, 'http://x').searchParams.keys()].map((key) => [`${route.method} ${route.path} ?${key}`, route, key] as const),
);
const csvCases = API_ROUTES.filter((r) => r.contentType === 'text/csv');

describe('a NUL character in any string field', () => {
  it.each(jsonCases)('is refused with 400 naming the field: %s', async (_name, route, path) => {
    expectRefused(await send(route, route.path, withNul(route.body, path)), path.join('.'));
  });

  it.each(queryCases)('is refused in the query: %s', async (_name, route, key) => {
    const url = new URL(route.path, 'http://x');
    url.searchParams.set(key, `${url.searchParams.get(key)}${NUL}`);
    expectRefused(await send(route, `${url.pathname}${url.search}`, route.body), `query.${key}`);
  });

  it.each(csvCases.map((r) => [`${r.method} ${r.path}`, r] as const))('is refused in a CSV file, naming the line: %s', async (_name, route) => {
    expectRefused(await send(route, route.path, `${String(route.body)}${NUL}`), 'body (line 2)');
  });

  it('is refused in a path parameter', async () => {
    const res = await callApi(assistant.app, 'GET', '/api/v1/dossiers/MATRIX%000001', tokens.get('staff'));
    expectRefused(res, 'path');
  });

  it('is refused in a form field of an upload', async () => {
    const form = new FormData();
    form.set('title', `Giấy khai sinh${NUL}`);
    form.set('file', new File([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0])], 'scan.pdf', { type: 'application/pdf' }));
    const res = await assistant.app.request('/api/v1/citizens/1/documents', {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${tokens.get('staff')}` },
    });
    expectRefused({ status: res.status, body: await res.json() }, 'title');
  });

  it('is refused in a gzip catalog import, once inflated', async () => {
    const body = gzipSync(JSON.stringify([{ code: '1.000001', name: `Thủ tục${NUL}` }]));
    const res = await assistant.app.request('/api/v1/procedures/import', {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${tokens.get('admin')}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expectRefused({ status: res.status, body: await res.json() }, '0.name');
  });

  it.each([
    ['the web chat', '/chat/messages', { text: `xin chào${NUL}` }, 'text'],
    [
      'the Telegram webhook',
      '/webhooks/telegram',
      { update_id: 1, message: { message_id: 1, date: 1, chat: { id: 1, type: 'private' }, text: `a${NUL}` } },
      'message.text',
    ],
    ['the Zalo webhook', '/webhooks/zalo', { event_name: 'user_send_text', timestamp: '1', sender: { id: `1${NUL}` } }, 'sender.id'],
  ])('is refused by %s', async (_name, path, body, field) => {
    expectRefused(await callApi(assistant.app, 'POST', path, undefined, body), field);
  });

  it('is accepted when escaped (a backslash followed by "u0000" is ordinary text)', async () => {
    const res = await callApi(assistant.app, 'POST', '/chat/messages', undefined, { text: 'C:\\u0000' });
    expect(res.status).toBe(200);
  });
});
