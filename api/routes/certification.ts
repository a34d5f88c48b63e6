import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { CERTIFICATION_STATUSES, VERIFICATION_METHODS } from '../../db/schema';
import type { Database } from '../../db/types';
import type { OtpDeps } from '../../domain/certification/otp';
import { type ActionFailure, applyStaffAction, findRequest, listQueue, requestRef, type StaffAction } from '../../domain/certification/requests';
import { COPIES_PER_PAPER, MIN_POSTAL_ADDRESS_LENGTH } from '../../domain/certification/rules';
import { createTelephoneRequest, sendTelephoneCode } from '../../domain/certification/telephone';
import { phoneSchema } from '../../domain/dossiers/input';
import { apiError } from '../../http/errors';
import type { Clock } from '../../lib/clock';
import type { Actor } from '../../vocabulary/actors';
import type { Locale, Translate } from '../../vocabulary/locales';
import type { FeeTable } from '../../vocabulary/settings';
import type { Auth } from '../middleware/auth';
import { AUTH_ERRORS, createApiRouter, ErrorSchema, guardedRoutes, json } from '../openapi';
import { IdParam, iso, Paging } from '../schemas';

const Item = z.object({
  documentId: z.number().int(),
  title: z.string(),
  kind: z.string(),
  pages: z.number().int(),
  copies: z.number().int(),
  fee: z.number().int(),
});
const Delivery = z.discriminatedUnion('method', [
  z.object({ method: z.literal('pickup') }),
  z.object({
    method: z.literal('post'),
    address: z.string().trim().min(MIN_POSTAL_ADDRESS_LENGTH, 'expected a full postal address: house number, street, commune/ward, province').max(300),
  }),
]);

const RequestSchema = z
  .object({
    id: z.number().int(),
    ref: z.string().openapi({ example: 'CT-000042' }),
    status: z.enum(CERTIFICATION_STATUSES),
    officeId: z.number().int(),
    citizen: z.object({ id: z.number().int(), phone: z.string(), fullName: z.string().nullable() }),
    items: z.array(Item),
    delivery: Delivery,
    quotedFee: z.number().int().openapi({ description: 'VND, from the fee table when asked' }),
    fee: z.number().int().nullable().openapi({ description: 'VND, as confirmed by staff' }),
    feeReason: z.string().nullable(),
    verification: z.object({
      method: z
        .enum(VERIFICATION_METHODS)
        .openapi({ description: 'chat_otp: a code typed in the chat; telephone_otp: read back to staff; channel_contact: the channel proved the number' }),
      at: z.string(),
      by: z.string().nullable().openapi({ description: 'The staff member who took a telephone request (staff:12)' }),
    }),
    rejectReason: z.string().nullable(),
    pickupPlace: z.string().nullable(),
    deliveredVia: z.enum(['counter', 'post']).nullable(),
    trackingNumber: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('CertificationRequest');

type Found = NonNullable<Awaited<ReturnType<typeof findRequest>>>;

const show = (r: Found): z.infer<typeof RequestSchema> => ({
  id: r.id,
  ref: requestRef(r.id),
  status: r.status,
  officeId: r.officeId,
  citizen: { id: r.citizenId, phone: r.citizen.phone, fullName: r.citizen.fullName },
  items: r.items,
  delivery: r.delivery,
  quotedFee: r.quotedFee,
  fee: r.fee,
  feeReason: r.feeReason,
  verification: { method: r.verificationMethod, at: iso(r.verifiedAt), by: r.verifiedBy },
  rejectReason: r.rejectReason,
  pickupPlace: r.pickupPlace,
  deliveredVia: r.deliveredVia,
  trackingNumber: r.trackingNumber,
  createdAt: iso(r.createdAt),
  updatedAt: iso(r.updatedAt),
});

const reason = (what: string) => z.string().trim().min(3, `expected ${what} (at least 3 characters)`).max(500);
const ActionBodies = {
  confirm: z
    .object({
      fee: z.number().int('expected whole VND').min(0, 'expected 0 or more').optional().openapi({ description: 'Leave out to accept the quoted fee' }),
      feeReason: reason('why the fee differs from the quote').optional(),
    })
    .strict(),
  reject: z.object({ reason: reason('the reason the citizen will read') }).strict(),
  ready: z.object({ pickupPlace: z.string().trim().min(3, 'expected where to collect (at least 3 characters)').max(300).optional() }).strict(),
  deliver: z.discriminatedUnion('via', [
    z.object({ via: z.literal('counter') }).strict(),
    z
      .object({
        via: z.literal('post'),
        trackingNumber: z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9-]{6,40}$/, 'expected the postal tracking number (6-40 letters and digits)'),
      })
      .strict(),
  ]),
} as const;

const ItemsInput = z
  .array(
    z
      .object({
        documentId: z.number().int().positive(),
        copies: z
          .number()
          .int()
          .min(COPIES_PER_PAPER.min, `expected at least ${COPIES_PER_PAPER.min} copy`)
          .max(COPIES_PER_PAPER.max, `expected at most ${COPIES_PER_PAPER.max} copies`),
      })
      .strict(),
  )
  .min(1, 'expected at least one document');

function actionError(c: Context, failure: ActionFailure) {
  switch (failure.reason) {
    case 'not_found':
      return apiError(c, 404, 'not_found', 'No such certification request (or it belongs to another office).');
    case 'invalid_status':
      return apiError(c, 409, 'invalid_status', `The request is ${failure.status}; this action needs ${failure.allowed.join(' or ')}.`);
    case 'fee_reason_required':
      return apiError(c, 400, 'fee_reason_required', 'feeReason: required when fee differs from the quoted fee.');
    case 'pickup_place_required':
      return apiError(c, 400, 'pickup_place_required', 'pickupPlace: required for a request collected at the office (where to collect).');
    case 'delivery_mismatch':
      return apiError(c, 409, 'delivery_mismatch', `The citizen asked for ${failure.method}; it cannot be delivered by post.`);
  }
}

export interface CertificationRouteDeps {
  db: Database;
  clock: Clock;
  auth: Auth;
  otp: OtpDeps;
  feeTable: FeeTable;
  translator: (locale: Locale) => Translate;
}

/** The certification queue, its staff actions, and telephone requests. */
export function createCertificationRoutes(deps: CertificationRouteDeps) {
  const routes = createApiRouter();
  const route = guardedRoutes(['Certification'], deps.auth.requireRole('staff', 'admin'));

  routes.openapi(
    route({
      method: 'get',
      path: '/certification/requests',
      summary: 'The queue of OTP-verified certification requests, newest first',
      description: 'Scoped to the caller’s office when the caller has one; `office` filters for province-wide accounts.',
      request: { query: z.object({ status: z.enum(CERTIFICATION_STATUSES).optional(), office: z.coerce.number().int().positive().optional(), ...Paging }) },
      responses: {
        200: json(
          z.object({ items: z.array(RequestSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() }),
          'One page of the queue',
        ),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { rows, total } = await listQueue(deps.db, c.get('actor'), { status: q.status, officeId: q.office, page: q.page, pageSize: q.pageSize });
      return c.json({ items: rows.map(show), total, page: q.page, pageSize: q.pageSize }, 200);
    },
  );

  routes.openapi(
    route({
      method: 'get',
      path: '/certification/requests/{id}',
      summary: 'One certification request',
      request: { params: IdParam },
      responses: { 200: json(RequestSchema, 'The request'), ...AUTH_ERRORS, 404: json(ErrorSchema, 'No such request (or another office’s)') },
    }),
    async (c) => {
      const found = await findRequest(deps.db, c.get('actor'), c.req.valid('param').id);
      if (!found) return apiError(c, 404, 'not_found', 'No such certification request (or it belongs to another office).');
      return c.json(show(found), 200);
    },
  );

  const actionResponses = {
    200: json(RequestSchema, 'The request after the action; the citizen is notified'),
    ...AUTH_ERRORS,
    404: json(ErrorSchema, 'No such request (or another office’s)'),
    409: json(ErrorSchema, 'The request’s status does not allow this action'),
  };
  const services = { db: deps.db, otp: deps.otp, feeTable: deps.feeTable, translator: deps.translator };
  /** The request as it stands after a change, or 404 when it is gone. */
  const current = async <S extends 200 | 201>(c: Context, actor: Actor, id: number, status: S) => {
    const found = await findRequest(deps.db, actor, id);
    if (!found) return apiError(c, 404, 'not_found', 'No such certification request.');
    return c.json(show(found), status);
  };
  const run = async (c: Context, id: number, action: StaffAction) => {
    const actor: Actor = c.get('actor');
    const done = await applyStaffAction(services, actor, id, action, deps.clock.now());
    if (!done.ok) return actionError(c, done);
    return current(c, actor, id, 200);
  };
  /** POST /certification/requests/{id}/<kind>, its body checked by ActionBodies[kind]. */
  const actionRoute = <K extends keyof typeof ActionBodies>(kind: K, summary: string) =>
    route({
      method: 'post',
      path: `/certification/requests/{id}/${kind}`,
      summary,
      request: { params: IdParam, body: { content: { 'application/json': { schema: ActionBodies[kind] } }, required: true } },
      responses: actionResponses,
    });

  routes.openapi(actionRoute('confirm', 'Confirm a submitted request; the fee is the quote unless adjusted with a reason'), async (c) => {
    const b = c.req.valid('json');
    return run(c, c.req.valid('param').id, {
      kind: 'confirm',
      ...(b.fee !== undefined ? { fee: b.fee } : {}),
      ...(b.feeReason ? { feeReason: b.feeReason } : {}),
    });
  });
  routes.openapi(actionRoute('reject', 'Reject a submitted or confirmed request with a reason the citizen reads'), async (c) =>
    run(c, c.req.valid('param').id, { kind: 'reject', reason: c.req.valid('json').reason }),
  );
  routes.openapi(actionRoute('ready', 'Mark the copies ready (pickupPlace required when collected at the office)'), async (c) => {
    const place = c.req.valid('json').pickupPlace;
    return run(c, c.req.valid('param').id, { kind: 'ready', ...(place ? { pickupPlace: place } : {}) });
  });
  routes.openapi(actionRoute('deliver', 'Mark delivered at the counter, or sent by post with a tracking number'), async (c) => {
    const b = c.req.valid('json');
    return run(
      c,
      c.req.valid('param').id,
      b.via === 'post' ? { kind: 'deliver', via: 'post', trackingNumber: b.trackingNumber } : { kind: 'deliver', via: 'counter' },
    );
  });

  routes.openapi(
    route({
      method: 'post',
      path: '/certification/telephone/codes',
      summary: 'Telephone request, step 1: send a one-time code to the caller’s registered phone',
      description: 'The caller reads the code back; step 2 creates the request. Limits per phone apply (429 with Retry-After).',
      request: {
        body: { content: { 'application/json': { schema: z.object({ phone: phoneSchema.openapi({ example: '0912345678' }) }).strict() } }, required: true },
      },
      responses: {
        202: json(z.object({ challengeId: z.string(), expiresAt: z.string() }), 'The code is on its way'),
        ...AUTH_ERRORS,
        404: json(ErrorSchema, 'No citizen with documents on file for this phone'),
        429: json(ErrorSchema, 'Too many codes for this phone; see Retry-After'),
      },
    }),
    async (c) => {
      const sent = await sendTelephoneCode(services, c.get('actor'), c.req.valid('json').phone, deps.clock.now());
      if (!sent.ok) {
        if (sent.reason === 'not_registered')
          return apiError(c, 404, 'not_registered', 'phone: no citizen with scanned documents has this number; register them and their documents first.');
        const seconds = Math.ceil(('retryAfterMs' in sent ? sent.retryAfterMs : 60_000) / 1000);
        c.header('Retry-After', String(seconds));
        return apiError(c, 429, 'rate_limited', `Too many codes were sent to this phone; try again in ${Math.ceil(seconds / 60)} minute(s).`);
      }
      return c.json({ challengeId: sent.value.challengeId, expiresAt: iso(sent.value.expiresAt) }, 202);
    },
  );

  routes.openapi(
    route({
      method: 'post',
      path: '/certification/telephone/requests',
      summary: 'Telephone request, step 2: enter the code the caller read back and create the request',
      description: 'One transaction: if the request cannot be saved, the code is not consumed. Wrong codes count towards the limit.',
      request: {
        body: {
          content: {
            'application/json': {
              schema: z
                .object({
                  challengeId: z.string().min(10).max(64),
                  code: z.string().regex(/^\d{6}$/, 'expected the 6 digits the caller read back'),
                  items: ItemsInput,
                  delivery: Delivery,
                })
                .strict(),
            },
          },
          required: true,
        },
      },
      responses: {
        201: json(RequestSchema, 'The request, verified by telephone'),
        ...AUTH_ERRORS,
        404: json(ErrorSchema, 'The request vanished after it was created'),
        409: json(ErrorSchema, 'The documents are not the caller’s, are kept by different offices, or by another office than yours'),
        422: json(ErrorSchema, 'Wrong, expired or locked code'),
      },
    }),
    async (c) => {
      const actor = c.get('actor');
      const created = await createTelephoneRequest(services, actor, c.req.valid('json'), deps.clock.now());
      if (!created.ok) {
        switch (created.reason) {
          case 'wrong_code':
            return apiError(c, 422, 'wrong_code', `code: wrong code; ${created.triesLeft} tries left.`);
          case 'too_many_tries':
            return apiError(c, 422, 'too_many_tries', 'code: too many wrong tries; send a new code.');
          case 'expired':
            return apiError(c, 422, 'code_expired', 'code: expired, replaced or already used; send a new code.');
          case 'documents_changed':
            return apiError(c, 409, 'documents_not_found', 'items: every documentId must be one of the caller’s documents, each listed once.');
          case 'mixed_offices':
            return apiError(c, 409, 'mixed_offices', 'items: documents kept by different offices need separate requests.');
          case 'wrong_office':
            return apiError(c, 409, 'forbidden_office', 'items: these documents are kept by another office.');
        }
      }
      return current(c, actor, created.value.id, 201);
    },
  );

  return routes;
}
