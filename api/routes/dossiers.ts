import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Database } from '../../db/types';
import type { DossierEventRow, DossierRow } from '../../domain/dossiers/announce';
import { REGISTER_COLUMNS } from '../../domain/dossiers/csv-register';
import { importRegister } from '../../domain/dossiers/import-register';
import { dossierFieldsSchema, phoneSchema, receiptCodeSchema, statusEventSchema } from '../../domain/dossiers/input';
import { periodBounds } from '../../domain/dossiers/stats';
import type { DossierService, EventFailure } from '../../domain/dossiers/store';
import { apiError } from '../../http/errors';
import type { Clock } from '../../lib/clock';
import { DOSSIER_CHANNELS, DOSSIER_STATUSES } from '../../vocabulary/dossiers';
import type { Auth } from '../middleware/auth';
import { AUTH_ERRORS, createApiRouter, ErrorSchema, guardedRoutes, json } from '../openapi';
import { iso, isoOrNull, LocalDate, Paging } from '../schemas';

const CodeParam = z.object({ code: receiptCodeSchema.openapi({ param: { name: 'code', in: 'path' }, example: 'H19.22-261122-0001' }) });

const DossierSchema = z
  .object({
    receiptCode: z.string(),
    procedureCode: z.string(),
    procedureName: z.string().nullable(),
    field: z.string().nullable(),
    officeId: z.number().int(),
    applicantName: z.string(),
    applicantPhone: z.string().openapi({ description: 'E.164', example: '+84912345678' }),
    channel: z.enum(DOSSIER_CHANNELS),
    receivedAt: z.string(),
    dueAt: z.string(),
    status: z.enum(DOSSIER_STATUSES),
    resolvedAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi('Dossier');

const EventSchema = z
  .object({
    id: z.number().int(),
    status: z.enum(DOSSIER_STATUSES),
    note: z.string().nullable(),
    details: z.object({
      missing: z.array(z.string()).optional(),
      collectAt: z.string().optional(),
      postal: z.boolean().optional(),
      reason: z.string().optional(),
    }),
    forcedReason: z.string().nullable(),
    actor: z.string(),
    at: z.string(),
  })
  .openapi('DossierEvent');

const showDossier = (d: DossierRow) => ({
  receiptCode: d.receiptCode,
  procedureCode: d.procedureCode,
  procedureName: d.procedureName,
  field: d.field,
  officeId: d.officeId,
  applicantName: d.applicantName,
  applicantPhone: d.applicantPhone,
  channel: d.channel,
  receivedAt: iso(d.receivedAt),
  dueAt: iso(d.dueAt),
  status: d.status,
  resolvedAt: isoOrNull(d.resolvedAt),
  updatedAt: iso(d.updatedAt),
});
const showEvent = (e: DossierEventRow) => ({
  id: e.id,
  status: e.status,
  note: e.note,
  details: e.details,
  forcedReason: e.forcedReason,
  actor: e.actor,
  at: iso(e.at),
});

const SearchQuery = z.object({
  phone: phoneSchema.optional().openapi({ example: '0912345678' }),
  from: LocalDate.optional().openapi({ description: 'Received on or after this local day' }),
  to: LocalDate.optional().openapi({ description: 'Received on or before this local day' }),
  status: z.enum(DOSSIER_STATUSES).optional(),
  office: z.coerce.number().int().positive().optional(),
  ...Paging,
});

const RegisterProblem = z.object({ line: z.number().int(), column: z.string(), message: z.string() });

function eventError(c: Context, reason: EventFailure, message: string | undefined) {
  const text = message ?? reason;
  switch (reason) {
    case 'not_found':
      return apiError(c, 404, reason, text);
    case 'force_not_allowed':
      return apiError(c, 403, reason, text);
    case 'same_status':
    case 'invalid_transition':
      return apiError(c, 409, reason, text);
    default:
      return apiError(c, 400, reason, text);
  }
}

/** Dossiers for the one-stop software and staff: upsert, status events, look-up, search, CSV import. */
export function createDossierRoutes(deps: { db: Database; clock: Clock; auth: Auth; dossiers: DossierService }) {
  const routes = createApiRouter();
  const writeRoute = guardedRoutes(['Dossiers'], deps.auth.requireRole('staff', 'admin'));
  const readRoute = guardedRoutes(['Dossiers'], deps.auth.requireRole('staff', 'admin', 'official'));

  routes.openapi(
    writeRoute({
      method: 'put',
      path: '/dossiers/{code}',
      summary: 'Create or update a dossier by receipt code (idempotent)',
      description:
        'Sending the same payload again changes nothing. A new dossier starts as `received` and its applicant’s linked chats get an appointment slip.',
      request: { params: CodeParam, body: { content: { 'application/json': { schema: dossierFieldsSchema } }, required: true } },
      responses: {
        200: json(z.object({ dossier: DossierSchema, created: z.literal(false), changed: z.boolean() }), 'Existing dossier (changed or not)'),
        201: json(z.object({ dossier: DossierSchema, created: z.literal(true), changed: z.literal(true) }), 'New dossier'),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const result = await deps.dossiers.upsert(c.req.valid('param').code, c.req.valid('json'), c.get('actor'), deps.clock.now());
      if (!result.ok) {
        if (result.reason === 'office_required') return apiError(c, 400, 'office_required', result.message ?? 'officeId is required.');
        return apiError(c, 403, 'forbidden_office', result.message ?? 'Not your office.');
      }
      const { dossier, created, changed } = result.value;
      if (created) return c.json({ dossier: showDossier(dossier), created: true as const, changed: true as const }, 201);
      return c.json({ dossier: showDossier(dossier), created: false as const, changed }, 200);
    },
  );

  routes.openapi(
    writeRoute({
      method: 'post',
      path: '/dossiers/{code}/events',
      summary: 'Record a status change',
      description:
        'Moves follow the office’s transitions (e.g. `returned` only after `ready`); an admin may force another move with `force.reason`. needs_supplement needs `details.missing`, rejected needs `details.reason`. Repeating the latest event exactly changes nothing.',
      request: { params: CodeParam, body: { content: { 'application/json': { schema: statusEventSchema } }, required: true } },
      responses: {
        200: json(z.object({ dossier: DossierSchema, event: EventSchema, changed: z.literal(false) }), 'The same event again: nothing changed'),
        201: json(z.object({ dossier: DossierSchema, event: EventSchema, changed: z.literal(true) }), 'Recorded; followers are notified'),
        ...AUTH_ERRORS,
        404: json(ErrorSchema, 'No such dossier (or not your office)'),
        409: json(ErrorSchema, 'The move is not allowed from the current status'),
      },
    }),
    async (c) => {
      const result = await deps.dossiers.addEvent(c.req.valid('param').code, c.req.valid('json'), c.get('actor'), deps.clock.now());
      if (!result.ok) return eventError(c, result.reason, result.message);
      const body = { dossier: showDossier(result.value.dossier), event: showEvent(result.value.event) };
      return result.value.changed ? c.json({ ...body, changed: true as const }, 201) : c.json({ ...body, changed: false as const }, 200);
    },
  );

  routes.openapi(
    readRoute({
      method: 'get',
      path: '/dossiers/{code}',
      summary: 'A dossier with its timeline',
      request: { params: CodeParam },
      responses: {
        200: json(z.object({ dossier: DossierSchema, events: z.array(EventSchema) }), 'The dossier, events oldest first'),
        ...AUTH_ERRORS,
        404: json(ErrorSchema, 'No such dossier (or not your office)'),
      },
    }),
    async (c) => {
      const found = await deps.dossiers.get(c.req.valid('param').code, c.get('actor'));
      if (!found.ok) return apiError(c, 404, 'not_found', found.message ?? 'No such dossier.');
      return c.json({ dossier: showDossier(found.value.dossier), events: found.value.events.map(showEvent) }, 200);
    },
  );

  routes.openapi(
    readRoute({
      method: 'get',
      path: '/dossiers',
      summary: 'Search dossiers by phone, received date, status, office',
      request: { query: SearchQuery },
      responses: {
        200: json(z.object({ items: z.array(DossierSchema), page: z.number(), pageSize: z.number(), total: z.number() }), 'Newest received first'),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { items, total } = await deps.dossiers.search(
        {
          phone: q.phone,
          from: q.from ? periodBounds(q.from, q.from).start : undefined,
          to: q.to ? periodBounds(q.to, q.to).end : undefined,
          status: q.status,
          officeId: q.office,
          page: q.page,
          pageSize: q.pageSize,
        },
        c.get('actor'),
      );
      return c.json({ items: items.map(showDossier), page: q.page, pageSize: q.pageSize, total }, 200);
    },
  );

  routes.openapi(
    writeRoute({
      method: 'post',
      path: '/dossiers/import',
      summary: 'Import a day’s register (CSV, all or nothing)',
      description: `UTF-8 CSV with a header row; columns ${REGISTER_COLUMNS.join(', ')} (procedure_name, field and office_id optional). Dates as dd/MM/yyyy HH:mm in Vietnam time or ISO 8601 with offset; channel online / counter (or trực tuyến / trực tiếp). If any row is wrong nothing is imported and every problem is listed.`,
      request: { body: { content: { 'text/csv': { schema: z.string() } }, required: true } },
      responses: {
        200: json(z.object({ rows: z.number(), created: z.number(), updated: z.number(), unchanged: z.number() }), 'Imported'),
        400: json(
          ErrorSchema.extend({ error: ErrorSchema.shape.error.extend({ problems: z.array(RegisterProblem) }) }),
          'Nothing imported; every problem listed',
        ),
        401: AUTH_ERRORS[401],
        403: AUTH_ERRORS[403],
      },
    }),
    async (c) => {
      const result = await importRegister(deps, await c.req.text(), c.get('actor'), deps.clock.now());
      if (!result.ok) {
        const { problems } = result;
        return c.json(
          {
            error: {
              code: 'invalid_register',
              message: `${problems.length} problem(s) in ${new Set(problems.map((p) => p.line)).size} line(s); nothing was imported.`,
              requestId: c.get('requestId'),
              problems,
            },
          },
          400,
        );
      }
      const { rows, created, updated, unchanged } = result.value;
      return c.json({ rows: rows.length, created, updated, unchanged }, 200);
    },
  );
  return routes;
}
