import { z } from '@hono/zod-openapi';
import { inArray } from 'drizzle-orm';
import type { Context } from 'hono';
import type { BroadcastAudience, BroadcastReport } from '../../db/schema';
import { offices } from '../../db/schema';
import type { Database } from '../../db/types';
import { officeScope } from '../../domain/dossiers/store';
import {
  audienceSchema,
  type BroadcastRenderer,
  broadcastInputSchema,
  broadcastProgress,
  broadcastReport,
  cancelBroadcast,
  countAudience,
  createBroadcast,
  getBroadcast,
  listBroadcasts,
  scheduleBroadcast,
  scopeAudience,
  testSendBroadcast,
} from '../../domain/outreach/broadcasts';
import { apiError, fieldIssue } from '../../http/errors';
import type { Clock } from '../../lib/clock';
import { CHANNELS } from '../../vocabulary/channels';
import type { Auth } from '../middleware/auth';
import { AUTH_ERRORS, createApiRouter, ErrorSchema, guardedRoutes, json } from '../openapi';
import { IdParam, isoOrNull } from '../schemas';

const AudienceCountSchema = z
  .object({ total: z.number().int(), byChannel: z.record(z.string(), z.number().int()), byLocale: z.record(z.string(), z.number().int()) })
  .openapi('AudienceCount');

const ProgressSchema = z
  .object({
    status: z.string(),
    recipients: z.number().int(),
    fanoutDone: z.boolean(),
    pending: z.number().int(),
    sent: z.number().int(),
    failed: z.number().int(),
    blocked: z.number().int(),
    undeliverable: z.number().int(),
    cancelled: z.number().int(),
  })
  .openapi('BroadcastProgress');

const BroadcastSchema = z
  .object({
    id: z.number().int(),
    text: z.string(),
    link: z.object({ label: z.string(), url: z.string() }).nullable(),
    audience: z.object({
      areas: z.array(z.string()).optional(),
      offices: z.array(z.number().int()).optional(),
      topics: z.array(z.string()).optional(),
      channels: z.array(z.string()).optional(),
      locales: z.array(z.string()).optional(),
    }),
    urgent: z.boolean(),
    status: z.string(),
    sendAt: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string().nullable(),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    progress: ProgressSchema,
  })
  .openapi('Broadcast');

const SendBody = z
  .object({
    at: z.iso.datetime({ offset: true, error: 'expected an ISO 8601 date-time with offset, e.g. 2026-11-23T08:00:00+07:00' }).optional(),
  })
  .strict()
  .openapi('BroadcastSend');

const TestBody = z
  .union([
    z.object({ identityId: z.number().int().positive() }).strict(),
    z.object({ channel: z.enum(CHANNELS), externalId: z.string().trim().min(1).max(100) }).strict(),
  ])
  .openapi('BroadcastTestTarget');

const ReportSchema = z.record(z.string(), z.unknown()).openapi('BroadcastReport');

export interface BroadcastRouteDeps {
  db: Database;
  clock: Clock;
  auth: Auth;
  render: BroadcastRenderer;
}

/**
 * Announcements for officials: compose (length checked per channel), preview the audience,
 * test-send to oneself, send now or later, cancel while sending, follow progress, read the
 * final report. Every write is audited.
 */
export function createBroadcastRoutes(deps: BroadcastRouteDeps) {
  const routes = createApiRouter();
  const route = guardedRoutes(['Broadcasts'], deps.auth.requireRole('official', 'admin'));
  const notFound = json(ErrorSchema, 'No such broadcast');
  const conflict = json(ErrorSchema, 'The broadcast is not in a state that allows this');

  /** The broadcast as the caller may see it (an account of one office: its office's only). */
  async function show(c: Context, id: number) {
    const row = await getBroadcast(deps.db, id, officeScope(c.get('actor')));
    const progress = await broadcastProgress(deps.db, id);
    if (!row || !progress) return null;
    return {
      id: row.id,
      text: row.text,
      link: row.link,
      audience: { ...row.audience },
      urgent: row.urgent,
      status: row.status,
      sendAt: isoOrNull(row.sendAt),
      createdBy: row.createdByName,
      createdAt: isoOrNull(row.createdAt),
      startedAt: isoOrNull(row.startedAt),
      completedAt: isoOrNull(row.completedAt),
      cancelledAt: isoOrNull(row.cancelledAt),
      progress,
    };
  }
  const missing = (c: Context, id: number) => apiError(c, 404, 'not_found', `No broadcast ${id}.`);
  /** A send or cancel the domain refused: gone (404) or not allowed in this state (409). */
  const refused = (c: Context, id: number, failure: { reason: string; message?: string }) =>
    failure.reason === 'not_found' ? missing(c, id) : apiError(c, 409, failure.reason, failure.message ?? 'Not allowed now.');

  /**
   * The audience the caller may address (an account of one office: that office's chats only), or
   * why not: another office named (403), or an office that does not exist (422).
   */
  async function allowed<A extends BroadcastAudience>(c: Context, audience: A) {
    const scoped = scopeAudience(audience, officeScope(c.get('actor')));
    if (!scoped.ok) return { refusal: apiError(c, 403, 'forbidden_office', scoped.message ?? 'This account may only address its own office.') };
    const wanted = scoped.value.offices ?? [];
    if (wanted.length) {
      const found = new Set((await deps.db.select({ id: offices.id }).from(offices).where(inArray(offices.id, wanted))).map((o) => o.id));
      const unknown = wanted.filter((id) => !found.has(id));
      if (unknown.length) return { refusal: apiError(c, 422, 'unknown_office', `audience.offices: no office with id ${unknown.join(', ')}.`) };
    }
    return { audience: scoped.value };
  }
  const officeRefusals = {
    403: json(ErrorSchema, 'An account of one office named another office'),
    422: json(ErrorSchema, 'audience.offices names an office that does not exist'),
  };

  routes.openapi(
    route({
      method: 'post',
      path: '/broadcasts/preview',
      summary: 'Count the recipients an audience reaches now',
      description:
        'audience.offices reaches the chats of those offices: chats set to the office (its poster, link or a dossier of it) and chats whose commune or ward is one the office serves. An account of one office always counts within its own office.',
      request: { body: { content: { 'application/json': { schema: z.object({ audience: audienceSchema.default({}) }).strict() } }, required: true } },
      responses: { 200: json(AudienceCountSchema, 'Recipients by channel and language'), ...AUTH_ERRORS, ...officeRefusals },
    }),
    async (c) => {
      const checked = await allowed(c, c.req.valid('json').audience);
      if (checked.refusal) return checked.refusal;
      return c.json(await countAudience(deps.db, checked.audience), 200);
    },
  );

  routes.openapi(
    route({
      method: 'post',
      path: '/broadcasts',
      summary: 'Compose a broadcast (a draft until sent)',
      request: { body: { content: { 'application/json': { schema: broadcastInputSchema } }, required: true } },
      responses: {
        201: json(BroadcastSchema.extend({ audienceCount: AudienceCountSchema }), 'The draft and how many it would reach now'),
        ...AUTH_ERRORS,
        404: notFound,
        ...officeRefusals,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const checked = await allowed(c, body.audience);
      if (checked.refusal) return checked.refusal;
      const input = { ...body, audience: checked.audience };
      const row = await createBroadcast(deps.db, input, c.get('actor'), deps.clock.now());
      const shown = await show(c, row.id);
      if (!shown) return missing(c, row.id);
      return c.json({ ...shown, audienceCount: await countAudience(deps.db, input.audience) }, 201);
    },
  );

  routes.openapi(
    route({
      method: 'get',
      path: '/broadcasts',
      summary: 'Recent broadcasts, newest first',
      responses: { 200: json(z.object({ items: z.array(BroadcastSchema) }), 'Broadcasts'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const items = [];
      for (const row of await listBroadcasts(deps.db, 50, officeScope(c.get('actor')))) {
        const shown = await show(c, row.id);
        if (shown) items.push(shown);
      }
      return c.json({ items }, 200);
    },
  );

  routes.openapi(
    route({
      method: 'get',
      path: '/broadcasts/{id}',
      summary: 'A broadcast with its progress',
      request: { params: IdParam },
      responses: { 200: json(BroadcastSchema, 'The broadcast'), ...AUTH_ERRORS, 404: notFound },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const shown = await show(c, id);
      return shown ? c.json(shown, 200) : missing(c, id);
    },
  );

  routes.openapi(
    route({
      method: 'get',
      path: '/broadcasts/{id}/progress',
      summary: 'Rows pending, sent, failed, blocked, undeliverable and cancelled',
      request: { params: IdParam },
      responses: { 200: json(ProgressSchema, 'Progress'), ...AUTH_ERRORS, 404: notFound },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const visible = await getBroadcast(deps.db, id, officeScope(c.get('actor')));
      const progress = visible && (await broadcastProgress(deps.db, id));
      return progress ? c.json(progress, 200) : missing(c, id);
    },
  );

  routes.openapi(
    route({
      method: 'get',
      path: '/broadcasts/{id}/report',
      summary: 'The final report, once every message is settled',
      request: { params: IdParam },
      responses: { 200: json(ReportSchema, 'The report'), ...AUTH_ERRORS, 404: notFound, 409: json(ErrorSchema, 'Still sending') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const row = await getBroadcast(deps.db, id, officeScope(c.get('actor')));
      if (!row) return missing(c, id);
      const report: BroadcastReport | null = await broadcastReport(deps.db, id);
      if (!report) return apiError(c, 409, 'not_finished', `Broadcast ${id} is ${row.status}; the report is written once every message is settled.`);
      return c.json({ ...report }, 200);
    },
  );

  routes.openapi(
    route({
      method: 'post',
      path: '/broadcasts/{id}/send',
      summary: 'Send a draft now, or at a later time (quiet hours 21:00-07:00 hold it unless urgent)',
      description: 'The body is optional: no body (or no `at`) sends now.',
      request: { params: IdParam },
      responses: { 200: json(BroadcastSchema, 'Scheduled'), ...AUTH_ERRORS, 404: notFound, 409: conflict },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      // Read by hand: an empty body means "now", which the JSON validator would refuse.
      const raw = await c.req.text();
      let body: unknown = {};
      try {
        body = raw.trim() === '' ? {} : JSON.parse(raw);
      } catch {
        return apiError(c, 400, 'invalid_request', 'body: expected JSON, e.g. {"at":"2026-11-23T08:00:00+07:00"}, or no body to send now.');
      }
      const parsed = SendBody.safeParse(body);
      if (!parsed.success) return apiError(c, 400, 'invalid_request', parsed.error.issues.map(fieldIssue).join('; '));
      const at = parsed.data.at;
      const result = await scheduleBroadcast(deps.db, id, at ? new Date(at) : undefined, c.get('actor'), deps.clock.now());
      if (!result.ok) return refused(c, id, result);
      const shown = await show(c, id);
      return shown ? c.json(shown, 200) : missing(c, id);
    },
  );

  routes.openapi(
    route({
      method: 'post',
      path: '/broadcasts/{id}/cancel',
      summary: 'Cancel a scheduled or sending broadcast; messages not yet sent are cancelled',
      request: { params: IdParam },
      responses: { 200: json(BroadcastSchema.extend({ cancelledMessages: z.number().int() }), 'Cancelled'), ...AUTH_ERRORS, 404: notFound, 409: conflict },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const result = await cancelBroadcast(deps.db, id, c.get('actor'), deps.clock.now());
      if (!result.ok) return refused(c, id, result);
      const shown = await show(c, id);
      return shown ? c.json({ ...shown, cancelledMessages: result.value.cancelled }, 200) : missing(c, id);
    },
  );

  routes.openapi(
    route({
      method: 'post',
      path: '/broadcasts/{id}/test',
      summary: 'Send the broadcast to one chat (the official’s own) to see how it reads',
      request: { params: IdParam, body: { content: { 'application/json': { schema: TestBody } }, required: true } },
      responses: {
        202: json(z.object({ queued: z.literal(true), identityId: z.number().int() }), 'Queued ahead of other traffic'),
        ...AUTH_ERRORS,
        404: notFound,
        422: json(ErrorSchema, 'No such chat'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const result = await testSendBroadcast(deps.db, id, c.req.valid('json'), deps.render, c.get('actor'), deps.clock.now());
      if (!result.ok) return result.reason === 'not_found' ? missing(c, id) : apiError(c, 422, 'chat_not_found', result.message ?? 'No such chat.');
      return c.json({ queued: true as const, identityId: result.value.identityId }, 202);
    },
  );

  return routes;
}
