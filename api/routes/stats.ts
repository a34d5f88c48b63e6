import { createRoute, z } from '@hono/zod-openapi';
import { asc } from 'drizzle-orm';
import { offices } from '../../db/schema';
import type { Database } from '../../db/types';
import { dossierStats, officeStats } from '../../domain/dossiers/stats';
import { officeScope } from '../../domain/dossiers/store';
import { chatUsage } from '../../domain/messaging/chat-usage';
import { apiError } from '../../http/errors';
import type { Clock } from '../../lib/clock';
import type { Auth } from '../middleware/auth';
import { API_SECURITY, AUTH_ERRORS, createApiRouter, json } from '../openapi';
import { iso, LocalDate } from '../schemas';

const StatsQuery = z
  .object({
    from: LocalDate.openapi({ description: 'First local day (Asia/Ho_Chi_Minh), included' }),
    to: LocalDate.openapi({ description: 'Last local day, included' }),
    office: z.coerce.number().int().positive().optional(),
    field: z.string().trim().min(1).max(200).optional().openapi({ example: 'Hộ tịch' }),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' });

const Figures = z.object({
  received: z.object({ total: z.number(), online: z.number(), counter: z.number() }),
  resolved: z.object({
    total: z.number(),
    early: z.number().openapi({ description: 'Resolved on a local day before the due day' }),
    onTime: z.number().openapi({ description: 'Resolved on the due day, by the due time' }),
    late: z.number().openapi({ description: 'Resolved after the due time' }),
  }),
  open: z.object({
    total: z.number().openapi({ description: 'Received by the end of the period and not yet ready or returned (as of now)' }),
    overdue: z.number(),
  }),
  satisfaction: z.object({ count: z.number(), average: z.number().nullable() }),
});

const Ranked = z.array(z.object({ query: z.string(), count: z.number() }));

const StatsSchema = Figures.extend({
  period: z.object({ from: z.string(), to: z.string(), start: z.string(), end: z.string() }),
  byField: z.array(Figures.extend({ field: z.string().nullable() })),
  byOffice: z
    .array(Figures.extend({ officeId: z.number().int(), code: z.string().nullable(), name: z.string().nullable() }))
    .optional()
    .openapi({ description: 'The province view only (no office chosen, an account of no office): the same figures office by office, adding up to the totals' }),
  chat: z.object({
    messages: z.number(),
    chats: z.number(),
    distinctCitizens: z.number(),
    topSearches: Ranked,
    topUnanswered: Ranked,
    notes: z.array(z.string()),
  }),
}).openapi('Stats');

/** The figures the province asks for, for officials and admins. */
export function createStatsRoutes(deps: { db: Database; clock: Clock; auth: Auth }) {
  const routes = createApiRouter();
  routes.openapi(
    createRoute({
      method: 'get',
      path: '/stats',
      tags: ['Statistics'],
      summary: 'Dossier, satisfaction and chat figures for a period',
      description:
        'Received (online / at the counter) in the period; resolved early / on time / late against the due date; still open and overdue; by field; satisfaction; chat usage. Days are Asia/Ho_Chi_Minh days. An account of no office sees the province (every office, or one with `office`), and without `office` also `byOffice`; an account of an office sees only its own.',
      security: API_SECURITY,
      middleware: [deps.auth.requireRole('official', 'admin')] as const,
      request: { query: StatsQuery },
      responses: { 200: json(StatsSchema, 'The figures'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const scope = officeScope(c.get('actor'));
      if (scope !== null && q.office !== undefined && q.office !== scope)
        return apiError(c, 403, 'forbidden_office', `This account may only read office ${scope}.`);
      const officeId = scope ?? q.office;
      const query = { from: q.from, to: q.to, officeId, field: q.field };
      const now = deps.clock.now();
      const [stats, chat, perOffice, names] = await Promise.all([
        dossierStats(deps.db, query, now),
        chatUsage(deps.db, q.from, q.to),
        officeId === undefined ? officeStats(deps.db, query, now) : null,
        officeId === undefined ? deps.db.select({ id: offices.id, code: offices.code, name: offices.name }).from(offices).orderBy(asc(offices.id)) : [],
      ]);
      const byOffice = perOffice?.map((f) => {
        const office = names.find((o) => o.id === f.officeId);
        return { ...f, code: office?.code ?? null, name: office?.name ?? null };
      });
      const period = { from: q.from, to: q.to, start: iso(stats.period.start), end: iso(stats.period.end) };
      return c.json({ ...stats, period, chat, ...(byOffice ? { byOffice } : {}) }, 200);
    },
  );
  return routes;
}
