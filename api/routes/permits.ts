import { createRoute, z } from '@hono/zod-openapi';
import type { permits } from '../../db/schema';
import type { Database } from '../../db/types';
import { AREA_CODE, listAreas, upsertAreas } from '../../domain/messaging/notification-settings';
import { importPermits, permitInputSchema, upsertPermit } from '../../domain/outreach/permits';
import { recordAudit } from '../../domain/people/audit';
import { apiError } from '../../http/errors';
import type { Clock } from '../../lib/clock';
import type { Auth } from '../middleware/auth';
import { API_SECURITY, AUTH_ERRORS, createApiRouter, json } from '../openapi';
import { iso } from '../schemas';

const PermitSchema = z
  .object({
    id: z.number().int(),
    holderName: z.string(),
    phone: z.string(),
    kind: z.string(),
    number: z.string(),
    issuedOn: z.string(),
    expiresOn: z.string(),
    office: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Permit');

const Summary = z
  .object({ created: z.number().int(), renewed: z.number().int(), updated: z.number().int(), unchanged: z.number().int() })
  .openapi('PermitImportSummary');

const CsvErrors = z
  .object({
    error: z.object({
      code: z.literal('invalid_csv'),
      message: z.string(),
      requestId: z.string().optional(),
      errors: z.array(z.object({ line: z.number().int(), column: z.string(), message: z.string() })),
    }),
  })
  .openapi('PermitCsvErrors');

const AreaSchema = z
  .object({ code: z.string().regex(AREA_CODE, 'expected lower case letters, digits, - or _ (at most 32)'), name: z.string().trim().min(1).max(200) })
  .strict();

const show = (p: typeof permits.$inferSelect) => ({
  id: p.id,
  holderName: p.holderName,
  phone: p.phone,
  kind: p.kind,
  number: p.number,
  issuedOn: p.issuedOn,
  expiresOn: p.expiresOn,
  office: p.office,
  updatedAt: iso(p.updatedAt),
});

/**
 * Licences and permits whose holders are reminded before they expire (one at a time or a CSV
 * register, all or nothing), and the communes/wards citizens choose as their area.
 */
export function createPermitRoutes(deps: { db: Database; clock: Clock; auth: Auth }) {
  const routes = createApiRouter();
  const staff = deps.auth.requireRole('staff', 'admin');

  routes.openapi(
    createRoute({
      method: 'post',
      path: '/permits',
      tags: ['Reminders'],
      summary: 'Record a permit (by kind and number); a later expiry renews it and re-plans its reminders',
      security: API_SECURITY,
      middleware: [staff] as const,
      request: { body: { content: { 'application/json': { schema: permitInputSchema } }, required: true } },
      responses: {
        200: json(z.object({ outcome: z.enum(['renewed', 'updated', 'unchanged']), permit: PermitSchema }), 'An existing permit'),
        201: json(z.object({ outcome: z.literal('created'), permit: PermitSchema }), 'A new permit'),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const actor = c.get('actor');
      const now = deps.clock.now();
      const { outcome, permit } = await deps.db.transaction((tx) => upsertPermit(tx, input, actor, now));
      if (outcome === 'created') return c.json({ outcome, permit: show(permit) }, 201);
      return c.json({ outcome, permit: show(permit) }, 200);
    },
  );

  routes.openapi(
    createRoute({
      method: 'post',
      path: '/permits/import',
      tags: ['Reminders'],
      summary: 'Import a permit register (CSV: holder_name, phone, kind, number, issued, expires, office); all or nothing',
      security: API_SECURITY,
      middleware: [staff] as const,
      request: { body: { content: { 'text/csv': { schema: z.string() } }, required: true } },
      responses: { 200: json(Summary, 'What the import did'), ...AUTH_ERRORS, 422: json(CsvErrors, 'The file has problems; nothing was imported') },
    }),
    async (c) => {
      const result = await importPermits(deps.db, await c.req.text(), c.get('actor'), deps.clock.now());
      if (!result.ok) {
        const message = `${result.errors.length} problem(s) in the file; nothing was imported.`;
        return c.json({ error: { code: 'invalid_csv' as const, message, requestId: c.get('requestId'), errors: result.errors } }, 422);
      }
      return c.json(result.summary, 200);
    },
  );

  routes.openapi(
    createRoute({
      method: 'get',
      path: '/areas',
      tags: ['Broadcasts'],
      summary: 'The communes and wards citizens can choose as their area',
      security: API_SECURITY,
      middleware: [deps.auth.requireRole('staff', 'official', 'admin')] as const,
      responses: { 200: json(z.object({ items: z.array(AreaSchema) }), 'Areas by name'), ...AUTH_ERRORS },
    }),
    async (c) => c.json({ items: await listAreas(deps.db) }, 200),
  );

  routes.openapi(
    createRoute({
      method: 'put',
      path: '/areas',
      tags: ['Broadcasts'],
      summary: 'Add or rename communes and wards (by code)',
      security: API_SECURITY,
      middleware: [deps.auth.requireRole('admin')] as const,
      request: { body: { content: { 'application/json': { schema: z.object({ items: z.array(AreaSchema).min(1).max(5000) }).strict() } }, required: true } },
      responses: { 200: json(z.object({ changed: z.number().int() }), 'How many were new or renamed'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const { items } = c.req.valid('json');
      const codes = new Set(items.map((a) => a.code));
      if (codes.size !== items.length) return apiError(c, 400, 'invalid_request', 'items: each code may appear once.');
      const now = deps.clock.now();
      const changed = await deps.db.transaction(async (tx) => {
        const n = await upsertAreas(tx, items, now);
        if (n > 0)
          await recordAudit(tx, {
            actor: c.get('actor'),
            action: 'area.upsert',
            subject: 'areas',
            after: { count: n, codes: [...codes].slice(0, 100) },
            at: now,
          });
        return n;
      });
      return c.json({ changed }, 200);
    },
  );

  return routes;
}
