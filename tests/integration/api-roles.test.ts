import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../vocabulary/actors';
import { callApi } from '../support/api';
import { API_ROUTES, type ApiRouteCase } from '../support/api-routes';
import { createTestAssistant, type TestAssistant } from '../support/assistant';
import { createTestToken } from '../support/tokens';

let assistant: TestAssistant;
const tokens = new Map<Role, string>();

beforeAll(async () => {
  assistant = await createTestAssistant();
  assistant.clock.set('2026-11-20T03:00:00Z');
  for (const role of ROLES) tokens.set(role, await createTestToken(assistant.database.db, role, { officeId: role === 'staff' ? 1 : null }));
  // The dossier the read and event routes address.
  const created = await callApi(assistant.app, 'PUT', '/api/v1/dossiers/MATRIX-0001', tokens.get('staff'), API_ROUTES.find((r) => r.method === 'PUT')?.body);
  expect(created.status).toBe(201);
});
afterAll(async () => assistant.close());

const send = (route: ApiRouteCase, role?: Role) =>
  callApi(
    assistant.app,
    route.method,
    route.path,
    role ? tokens.get(role) : undefined,
    route.body,
    route.contentType ? { 'content-type': route.contentType } : {},
  );

describe.each(API_ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))('%s', (_name, route) => {
  it('answers 401 in JSON without credentials', async () => {
    const res = await send(route);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { code: 'unauthorized' } });
  });

  const refused = ROLES.filter((role) => !route.roles.includes(role));
  // Routes open to every role (sign-out, who am I) have no wrong role to try.
  if (refused.length) {
    it.each(refused)('answers 403 in JSON to %s', async (role) => {
      const res = await send(route, role);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: { code: 'forbidden' } });
    });
  }

  it.each([...route.roles])('lets %s through', async (role) => {
    const res = await send(route, role);
    expect([401, 403]).not.toContain(res.status);
    expect(res.status).toBeLessThan(500);
  });
});
