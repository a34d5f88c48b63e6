import { z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { offices } from '../../db/schema';
import type { Database } from '../../db/types';
import {
  addDocument,
  DOCUMENT_KINDS,
  documentsOf,
  findCitizen,
  findDocument,
  registerCitizen,
  type StoredDocument,
} from '../../domain/certification/documents';
import { phoneSchema } from '../../domain/dossiers/input';
import { apiError } from '../../http/errors';
import type { BlobStore } from '../../lib/blob-store';
import type { Clock } from '../../lib/clock';
import { SCAN_TYPES, sniffScanType } from '../../lib/file-type';
import { storedFileHeaders } from '../../lib/stored-file';
import type { Actor } from '../../vocabulary/actors';
import type { Auth } from '../middleware/auth';
import { AUTH_ERRORS, createApiRouter, ErrorSchema, guardedRoutes, json } from '../openapi';
import { IdParam, iso } from '../schemas';

const CitizenSchema = z
  .object({ id: z.number().int(), phone: z.string().openapi({ example: '+84912345678' }), fullName: z.string().nullable() })
  .openapi('Citizen');

const DocumentSchema = z
  .object({
    id: z.number().int(),
    citizenId: z.number().int(),
    officeId: z.number().int(),
    title: z.string(),
    kind: z.enum(DOCUMENT_KINDS),
    pages: z.number().int(),
    contentType: z.enum(SCAN_TYPES),
    sizeBytes: z.number().int(),
    sha256: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .openapi('StoredDocument');

const showDocument = (d: StoredDocument): z.infer<typeof DocumentSchema> => ({
  id: d.id,
  citizenId: d.citizenId,
  officeId: d.officeId,
  title: d.title,
  kind: DOCUMENT_KINDS.find((k) => k === d.kind) ?? 'other',
  pages: d.pages,
  contentType: SCAN_TYPES.find((t) => t === d.contentType) ?? 'application/pdf',
  sizeBytes: d.sizeBytes,
  sha256: d.sha256,
  createdBy: d.createdBy,
  createdAt: iso(d.createdAt),
});

const UploadForm = z.object({
  title: z.string().trim().min(2, 'expected the document’s title, e.g. "Bằng tốt nghiệp THPT"').max(200, 'expected at most 200 characters'),
  kind: z.enum(DOCUMENT_KINDS, { error: `expected one of ${DOCUMENT_KINDS.join(', ')}` }),
  pages: z.coerce
    .number({ error: 'expected the number of pages' })
    .int('expected a whole number of pages')
    .min(1, 'expected at least 1 page')
    .max(1000, 'expected at most 1000 pages'),
  officeId: z.coerce.number({ error: 'expected an office id' }).int().positive('expected an office id').optional(),
  file: z
    .custom<File>((v) => v instanceof File, 'expected the scanned file (PDF, JPEG or PNG) as a multipart file field')
    .openapi({ type: 'string', format: 'binary' }),
});

const CitizenPath = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'id', in: 'path' }, example: 3 }),
  documentId: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'documentId', in: 'path' }, example: 7 }),
});

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;

/** Documents of the actor's office only, when the actor has one. */
const visibleTo = (actor: Actor) => (d: StoredDocument) => actor.officeId === null || d.officeId === actor.officeId;

export interface CitizenDocumentDeps {
  db: Database;
  clock: Clock;
  auth: Auth;
  blobs: BlobStore;
  uploadMaxBytes: number;
}

/** Paths that take an upload, for the app's body limit (createApp's largeBodies). */
export const UPLOAD_PATH = /^\/api\/v1\/citizens\/\d+\/documents$/;

/** Citizens registered at the counter and the documents scanned for them (first visit). */
export function createCitizenDocumentRoutes(deps: CitizenDocumentDeps) {
  const routes = createApiRouter();
  const route = guardedRoutes(['Certification'], deps.auth.requireRole('staff', 'admin'));

  routes.openapi(
    route({
      method: 'post',
      path: '/citizens',
      summary: 'Register a citizen by phone (first visit); a known phone keeps its account and takes the new name',
      request: {
        body: {
          content: {
            'application/json': {
              schema: z
                .object({
                  phone: phoneSchema.openapi({ example: '0912 345 678' }),
                  fullName: z.string().trim().min(2, 'expected the citizen’s full name').max(200, 'expected at most 200 characters'),
                })
                .strict(),
            },
          },
          required: true,
        },
      },
      responses: {
        200: json(z.object({ citizen: CitizenSchema, created: z.literal(false) }), 'Already registered'),
        201: json(z.object({ citizen: CitizenSchema, created: z.literal(true) }), 'Registered'),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const { citizen, created } = await registerCitizen(deps.db, c.get('actor'), c.req.valid('json'), deps.clock.now());
      return created ? c.json({ citizen, created: true as const }, 201) : c.json({ citizen, created: false as const }, 200);
    },
  );

  routes.openapi(
    route({
      method: 'get',
      path: '/citizens',
      summary: 'Find a citizen by phone, with the documents kept for them (your office’s)',
      request: { query: z.object({ phone: phoneSchema.openapi({ example: '0912345678' }) }) },
      responses: {
        200: json(z.object({ citizen: CitizenSchema, documents: z.array(DocumentSchema) }), 'The citizen'),
        ...AUTH_ERRORS,
        404: json(ErrorSchema, 'No citizen with this phone'),
      },
    }),
    async (c) => {
      const citizen = await findCitizen(deps.db, { phone: c.req.valid('query').phone });
      if (!citizen) return apiError(c, 404, 'not_found', 'phone: no citizen is registered with this number.');
      const documents = (await documentsOf(deps.db, citizen.id)).filter(visibleTo(c.get('actor')));
      return c.json({ citizen, documents: documents.map(showDocument) }, 200);
    },
  );

  routes.openapi(
    route({
      method: 'post',
      path: '/citizens/{id}/documents',
      summary: 'Store a scanned document for a citizen (multipart: title, kind, pages, officeId, file)',
      description:
        'The file must be a PDF, JPEG or PNG, recognised by its content (not its name), within the configured size (UPLOAD_MAX_BYTES, 20 MB by default). `officeId` defaults to your office.',
      request: { params: IdParam, body: { content: { 'multipart/form-data': { schema: UploadForm } }, required: true } },
      responses: {
        201: json(DocumentSchema, 'Stored'),
        ...AUTH_ERRORS,
        404: json(ErrorSchema, 'No such citizen'),
        413: json(ErrorSchema, 'The file is larger than the limit'),
        415: json(ErrorSchema, 'The file is not a PDF, JPEG or PNG'),
      },
    }),
    async (c) => {
      const actor = c.get('actor');
      const form = c.req.valid('form');
      const citizenId = c.req.valid('param').id;
      if (form.file.size > deps.uploadMaxBytes) {
        return apiError(
          c,
          413,
          'file_too_large',
          `file: the scan is ${megabytes(form.file.size)}; the limit is ${megabytes(deps.uploadMaxBytes)}. Scan at a lower resolution or split it.`,
        );
      }
      const bytes = new Uint8Array(await form.file.arrayBuffer());
      const contentType = sniffScanType(bytes);
      if (!contentType)
        return apiError(c, 415, 'unsupported_file_type', 'file: expected a PDF, JPEG or PNG scan (judged by the file’s content, not its name).');
      const officeId = form.officeId ?? actor.officeId;
      if (officeId === null) return apiError(c, 400, 'office_required', 'officeId: required for an account with no office of its own.');
      if (actor.officeId !== null && officeId !== actor.officeId)
        return apiError(c, 403, 'forbidden_office', 'officeId: you may store documents for your own office only.');
      const [office] = await deps.db.select({ id: offices.id }).from(offices).where(eq(offices.id, officeId));
      if (!office) return apiError(c, 400, 'unknown_office', `officeId: there is no office ${officeId}.`);
      if (!(await findCitizen(deps.db, { id: citizenId })))
        return apiError(c, 404, 'not_found', 'No such citizen; register them first (POST /api/v1/citizens).');
      const stored = await addDocument(
        deps.db,
        deps.blobs,
        actor,
        { citizenId, officeId, title: form.title, kind: form.kind, pages: form.pages, bytes, contentType },
        deps.clock.now(),
      );
      return c.json(showDocument(stored), 201);
    },
  );

  routes.openapi(
    route({
      method: 'get',
      path: '/citizens/{id}/documents/{documentId}/file',
      summary: 'The scanned file of a document (to print the certified copy)',
      description:
        'Served as a download (Content-Disposition: attachment) under a Content-Security-Policy that lets nothing run. With `preview=image`, a JPEG or PNG scan is served inline to be shown as an image; a PDF is always a download.',
      request: {
        params: CitizenPath,
        query: z.object({ preview: z.enum(['image']).optional().openapi({ description: 'Show a JPEG or PNG scan in the browser instead of downloading it' }) }),
      },
      responses: {
        200: { description: 'The file', content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } } },
        ...AUTH_ERRORS,
        404: json(ErrorSchema, 'No such document (or another office’s)'),
      },
    }),
    async (c) => {
      const { id, documentId } = c.req.valid('param');
      const { preview } = c.req.valid('query');
      const doc = await findDocument(deps.db, id, documentId);
      if (!doc || !visibleTo(c.get('actor'))(doc)) return apiError(c, 404, 'not_found', 'No such document (or it is kept by another office).');
      const bytes = await deps.blobs.get(doc.blobKey);
      if (!bytes) return apiError(c, 404, 'file_missing', 'The document’s file is missing from the store; please scan it again.');
      return c.body(new Uint8Array(bytes), 200, storedFileHeaders(doc, preview === 'image' && doc.contentType.startsWith('image/')));
    },
  );

  return routes;
}
