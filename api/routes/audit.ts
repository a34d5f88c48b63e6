import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '../../db/types';
import { periodBounds } from '../../domain/dossiers/stats';
import { queryAudit } from '../../domain/people/audit-log';
import type { Auth } from '../middleware/auth';
import { API_SECURITY, AUTH_ERRORS, createApiRouter, json } from '../openapi';
import { iso, LocalDate, Paging } from '../schemas';

const AuditQuery = z.object({
  actor: z.string().max(100).optional().openapi({ example: 'staff:12' }),
  subject: z.string().max(200).optional().openapi({ example: 'dossier:H19.22-261122-0001' }),
  action: z.string().max(100).optional().openapi({ example: 'dossier.status' }),
  from: LocalDate.optional().openapi({ description: 'First local day (Asia/Ho_Chi_Minh), included' }),
  to: LocalDate.optional().openapi({ description: 'Last local day, included' }),
  ...Paging,
});

const AuditEntry = z
  .object({
    id: z.number().int(),
    actor: z.string(),
    actorName: z.string(),
    action: z.string(),
    subject: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    at: z.string(),
  })
  .openapi('AuditEntry');

/** The audit log for admins: who did what to which subject, when. */
export function createAuditRoutes(deps: { db: Database; auth: Auth }) {
  const routes = createApiRouter();
  routes.openapi(
    createRoute({
      method: 'get',
      path: '/audit',
      tags: ['Accounts'],
      summary: 'Read the audit log',
      security: API_SECURITY,
      middleware: [deps.auth.requireRole('admin')] as const,
      request: { query: AuditQuery },
      responses: {
        200: json(z.object({ items: z.array(AuditEntry), page: z.number(), pageSize: z.number(), total: z.number() }), 'Entries, newest first'),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const from = q.from ? periodBounds(q.from, q.from).start : undefined;
      const to = q.to ? periodBounds(q.to, q.to).end : undefined;
      const { items, total } = await queryAudit(deps.db, { ...q, from, to });
      return c.json({ items: items.map((e) => ({ ...e, at: iso(e.at) })), page: q.page, pageSize: q.pageSize, total }, 200);
    },
  );
  return routes;
}
