import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { callApi } from '../support/api';
import { API_ROUTES, type ApiRouteCase } from '../support/api-routes';
import { createTestAssistant, type TestAssistant } from '../support/assistant';

let assistant: TestAssistant;
beforeAll(async () => {
  assistant = await createTestAssistant();
});
afterAll(async () => assistant.close());

const documentSchema = z.object({
  openapi: z.string(),
  paths: z.record(z.string(), z.record(z.string(), z.object({ security: z.array(z.record(z.string(), z.array(z.string()))).optional() }))),
  components: z.object({ securitySchemes: z.record(z.string(), z.object({ type: z.string() })) }),
});

/** The route's path as the document writes it: without /api/v1 and the query, with {params}. */
const documented = (route: ApiRouteCase) => route.documentedAs ?? route.path.replace(/^\/api\/v1/, '').replace(/\?.*$/, '');

describe('the API document', () => {
  it('is served at /api/v1/openapi.json with every protected route, its security and the Bearer scheme', async () => {
    const res = await callApi(assistant.app, 'GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = documentSchema.parse(res.body);
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.Bearer).toMatchObject({ type: 'http' });
    for (const route of API_ROUTES) {
      const operation = doc.paths[documented(route)]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation?.security).toEqual([{ Bearer: [] }, { Session: [] }]);
    }
  });

  it('has a readable reference page at /api/docs', async () => {
    const res = await assistant.app.request('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('/api/v1/openapi.json');
  });
});
