import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { Database } from '../../db/types';
import { type OfficeFileResult, officesToCsv, parseOfficesCsv, parseOfficesJson } from '../../domain/catalog/office-file';
import { inUse, officeReferences } from '../../domain/catalog/office-references';
import { exportOffices, planOfficeImport } from '../../domain/catalog/offices-import';
import type { Catalog } from '../../domain/catalog/store';
import { apiError } from '../../http/errors';
import { type ImportProblem, parseProceduresCsv, parseProceduresJson, proceduresToCsv } from '../../knowledge/transfer';
import { officeSchema, PROCEDURE_CODE, type Procedure, procedureSchema } from '../../vocabulary/procedure';
import type { Auth } from '../middleware/auth';
import { nulInText, refuseNul } from '../middleware/refuse-nul';
import { AUTH_ERRORS, createApiRouter, ErrorSchema, guardedRoutes, json } from '../openapi';
import { IdParam, iso } from '../schemas';

/** Imports above the app's 1 MB body limit travel gzip-compressed; this caps what they inflate to. */
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

// Built from @hono/zod-openapi's z: schemas made before it loaded (vocabulary/procedure.ts) carry no .openapi().
const CodeParam = z.object({
  code: z
    .string()
    .trim()
    .regex(PROCEDURE_CODE, 'expected a procedure code such as 1.001193')
    .openapi({ param: { name: 'code', in: 'path' }, example: '1.001193' }),
});
const FormatQuery = z.object({ format: z.enum(['json', 'csv']).default('json').openapi({ example: 'csv' }) });

const ProcedureSummary = z
  .object({
    code: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    group: z.string(),
    field: z.string(),
    codeStatus: z.string(),
    fee: z.string(),
    feeStatus: z.string(),
    processingTime: z.string(),
    processingTimeStatus: z.string(),
    onlineUrl: z.string().nullable(),
  })
  .openapi('ProcedureSummary');
const ProcedureEntry = procedureSchema;
const OfficeEntry = z.object({ id: z.number().int(), ...officeSchema.shape, code: z.string() }).openapi('Office');
const ProvinceOfficeEntry = z
  .object({ ...officeSchema.shape, code: z.string(), areas: z.array(z.object({ code: z.string(), name: z.string() })) })
  .openapi('ProvinceOffice');
const ImportPlan = z
  .object({
    dryRun: z.boolean(),
    created: z.array(z.string()),
    updated: z.array(z.string()),
    unchanged: z.array(z.string()),
    kept: z.array(z.object({ code: z.string(), name: z.string() })).openapi({ description: 'Offices the file leaves out: kept as they are' }),
    newAreas: z.array(z.string()),
    movedAreas: z.array(z.object({ code: z.string(), from: z.string().nullable(), to: z.string() })),
    releasedAreas: z.array(z.string()),
  })
  .openapi('OfficeImportPlan');
const DryRunQuery = z.object({
  dryRun: z.enum(['true', 'false', '1', '0']).optional().openapi({ description: 'Check the file and say what would change, writing nothing', example: 'true' }),
});
const ImportError = z
  .object({
    error: z.object({
      code: z.literal('invalid_import'),
      message: z.string(),
      requestId: z.string().optional(),
      problems: z.array(z.object({ row: z.number().int(), field: z.string(), message: z.string() })),
    }),
  })
  .openapi('ImportError');

const summary = (p: Procedure) => ({
  code: p.code,
  name: p.name,
  nameEn: p.nameEn ?? null,
  group: p.group,
  field: p.field,
  codeStatus: p.codeStatus,
  fee: p.fee,
  feeStatus: p.feeStatus,
  processingTime: p.processingTime,
  processingTimeStatus: p.processingTimeStatus,
  onlineUrl: p.onlineUrl,
});

/** Reads a request body as text, inflating `Content-Encoding: gzip` (large catalog imports). */
async function bodyText(c: Context): Promise<string | null> {
  const encoding = c.req.header('content-encoding')?.toLowerCase();
  if (!encoding || encoding === 'identity') return c.req.text();
  if (encoding !== 'gzip' || !c.req.raw.body) return null;
  const reader = c.req.raw.body.pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_IMPORT_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** The import body's kind from its Content-Type: CSV, JSON, or neither (415). */
function importKind(c: Context): 'csv' | 'json' | null {
  const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'text/csv' ? 'csv' : type === 'application/json' ? 'json' : null;
}

/** The body's text, or the response refusing it (too large, or a NUL character). */
async function importText(c: Context, kind: 'csv' | 'json') {
  const text = await bodyText(c);
  if (text === null)
    return apiError(c, 413, 'body_too_large', `Send gzip (or no Content-Encoding); inflated imports may be at most ${MAX_IMPORT_BYTES} bytes.`);
  // The edge checks plain bodies; a gzip body is checked once inflated.
  const nul = nulInText(text, kind === 'json');
  return nul ? refuseNul(c, nul) : text;
}

function importRejected(c: Context, problems: ImportProblem[]) {
  const message = `The import was rejected and nothing changed: ${problems.length} problem(s), e.g. record ${problems[0]?.row} field ${problems[0]?.field}: ${problems[0]?.message}`;
  return c.json({ error: { code: 'invalid_import' as const, message, requestId: c.get('requestId'), problems } }, 422);
}

/**
 * The catalog admin API under /api/v1: procedures (list, get, upsert, delete, import, export),
 * offices, and the questions the catalog did not answer. Every write is audited.
 */
export function createCatalogRoutes(deps: { catalog: Catalog; auth: Auth; db: Database }) {
  const { catalog, auth } = deps;
  const routes = createApiRouter();
  const route = guardedRoutes(['Catalog'], auth.requireRole('admin'));
  const readRoute = guardedRoutes(['Catalog'], auth.requireRole('admin', 'official'));

  routes.openapi(
    route({
      method: 'get',
      path: '/procedures/export',
      summary: 'Export the whole catalog as JSON or CSV',
      request: { query: FormatQuery },
      responses: {
        200: {
          description: 'The catalog (attachment)',
          content: { 'application/json': { schema: z.array(ProcedureEntry) }, 'text/csv': { schema: z.string() } },
        },
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const { format } = c.req.valid('query');
      const list = await catalog.list();
      c.header('content-disposition', `attachment; filename="procedures.${format}"`);
      if (format === 'csv') return c.body(proceduresToCsv(list), 200, { 'content-type': 'text/csv; charset=utf-8' });
      return c.json(list, 200);
    },
  );

  routes.openapi(
    route({
      method: 'post',
      path: '/procedures/import',
      summary: 'Replace the whole catalog from JSON or CSV (all or nothing)',
      description:
        'Send the body as exported (Content-Type application/json or text/csv). Bodies above 1 MB must be sent with Content-Encoding: gzip. A file with any bad record is rejected whole, listing every bad record and field (`row` is the 1-based record number: for CSV, the n-th line after the header; 0 means the whole file); a good one replaces the catalog in one transaction.',
      responses: {
        200: json(z.object({ imported: z.number().int() }), 'The catalog was replaced'),
        ...AUTH_ERRORS,
        413: json(ErrorSchema, 'The inflated body is too large'),
        415: json(ErrorSchema, 'Not JSON or CSV'),
        422: json(ImportError, 'Rejected: every bad record and field is listed; nothing changed'),
      },
    }),
    async (c) => {
      const kind = importKind(c);
      if (!kind) return apiError(c, 415, 'unsupported_media_type', 'Send the catalog as application/json or text/csv.');
      const text = await importText(c, kind);
      if (typeof text !== 'string') return text;
      const isCsv = kind === 'csv';
      let result: ReturnType<typeof parseProceduresCsv>;
      if (isCsv) result = parseProceduresCsv(text);
      else {
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          return importRejected(c, [{ row: 0, field: '(file)', message: 'the body is not valid JSON' }]);
        }
        result = parseProceduresJson(value);
      }
      if (!result.ok) return importRejected(c, result.problems);
      await catalog.replaceAll(c.get('actor'), result.value, isCsv ? 'csv' : 'json');
      return c.json({ imported: result.value.length }, 200);
    },
  );

  routes.openapi(
    route({
      method: 'get',
      path: '/procedures',
      summary: 'List procedures (optionally only those matching a question)',
      request: { query: z.object({ q: z.string().max(200).optional().openapi({ example: 'khai sinh' }), group: z.string().max(200).optional() }) },
      responses: { 200: json(z.object({ procedures: z.array(ProcedureSummary) }), 'Procedures, by code or by relevance'), ...AUTH_ERRORS },
    }),
    async (c) => {
      const { q, group } = c.req.valid('query');
      let list = await catalog.list();
      if (q?.trim()) {
        const ranked = (await catalog.search(q)).hits.map((h) => h.code);
        list = ranked.flatMap((code) => list.filter((p) => p.code === code));
      }
      if (group) list = list.filter((p) => p.group === group);
      return c.json({ procedures: list.map(summary) }, 200);
    },
  );

  routes.openapi(
    route({
      method: 'get',
      path: '/procedures/{code}',
      summary: 'One procedure with everything the bot shows',
      request: { params: CodeParam },
      responses: { 200: json(ProcedureEntry, 'The procedure'), ...AUTH_ERRORS, 404: json(ErrorSchema, 'No such procedure') },
    }),
    async (c) => {
      const { code } = c.req.valid('param');
      const found = await catalog.get(code);
      if (!found) return apiError(c, 404, 'not_found', `No procedure with code ${code}.`);
      return c.json(found, 200);
    },
  );

  routes.openapi(
    route({
      method: 'put',
      path: '/procedures/{code}',
      summary: 'Create or replace a procedure',
      description: 'The body is a whole catalog entry; its code must match the path (or be left out).',
      request: { params: CodeParam, body: { content: { 'application/json': { schema: procedureSchema.partial({ code: true }) } }, required: true } },
      responses: {
        200: json(ProcedureEntry, 'Replaced'),
        201: json(ProcedureEntry, 'Created'),
        ...AUTH_ERRORS,
        422: json(ErrorSchema, 'The code in the body differs from the path'),
      },
    }),
    async (c) => {
      const { code } = c.req.valid('param');
      const body = c.req.valid('json');
      if (body.code !== undefined && body.code !== code)
        return apiError(c, 422, 'code_mismatch', `The body's code ${body.code} differs from the path's ${code}.`);
      const procedure = procedureSchema.parse({ ...body, code });
      const { created } = await catalog.upsert(c.get('actor'), procedure);
      return created ? c.json(procedure, 201) : c.json(procedure, 200);
    },
  );

  routes.openapi(
    route({
      method: 'delete',
      path: '/procedures/{code}',
      summary: 'Delete a procedure',
      request: { params: CodeParam },
      responses: { 204: { description: 'Deleted' }, ...AUTH_ERRORS, 404: json(ErrorSchema, 'No such procedure') },
    }),
    async (c) => {
      const { code } = c.req.valid('param');
      const removed = await catalog.remove(c.get('actor'), code);
      if (!removed.ok) return apiError(c, 404, 'not_found', `No procedure with code ${code}.`);
      return c.body(null, 204);
    },
  );

  routes.openapi(
    route({
      method: 'get',
      path: '/offices',
      summary: 'List offices (the first is the one the bot sends citizens to)',
      responses: { 200: json(z.object({ offices: z.array(OfficeEntry) }), 'Offices'), ...AUTH_ERRORS },
    }),
    async (c) => c.json({ offices: await catalog.listOffices() }, 200),
  );

  routes.openapi(
    route({
      method: 'get',
      path: '/offices/export',
      summary: 'Export the province file: every office with the communes and wards it serves',
      description:
        'JSON (an array of offices) or CSV (UTF-8 with a byte-order mark; areas written "code: name; code: name"; nested values as JSON). Imports back unchanged.',
      request: { query: FormatQuery },
      responses: {
        200: {
          description: 'The offices (attachment)',
          content: { 'application/json': { schema: z.array(ProvinceOfficeEntry) }, 'text/csv': { schema: z.string() } },
        },
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const { format } = c.req.valid('query');
      const list = await exportOffices(deps.db);
      c.header('content-disposition', `attachment; filename="offices.${format}"`);
      if (format === 'csv') return c.body(officesToCsv(list), 200, { 'content-type': 'text/csv; charset=utf-8' });
      return c.json(list, 200);
    },
  );

  routes.openapi(
    route({
      method: 'post',
      path: '/offices/import',
      summary: 'Import the province file: upsert offices by code and the areas they serve (all or nothing)',
      description:
        'The body as exported (application/json: an array, or {"offices": [...]}; or text/csv). Offices are matched by code; each gets the areas the file lists (areas are created as needed, and an area listed under another office moves to it). Offices the file leaves out are kept and listed under `kept`. A file with any bad record is rejected whole, listing every bad record and field (`row` is the 1-based record number; 0 means the whole file). With dryRun=true nothing is written and the answer says what would change.',
      request: { query: DryRunQuery },
      responses: {
        200: json(ImportPlan, 'Imported (or, for a dry run, what would change)'),
        ...AUTH_ERRORS,
        413: json(ErrorSchema, 'The inflated body is too large'),
        415: json(ErrorSchema, 'Not JSON or CSV'),
        422: json(ImportError, 'Rejected: every bad record and field is listed; nothing changed'),
      },
    }),
    async (c) => {
      const kind = importKind(c);
      if (!kind) return apiError(c, 415, 'unsupported_media_type', 'Send the province file as application/json or text/csv.');
      const text = await importText(c, kind);
      if (typeof text !== 'string') return text;
      let result: OfficeFileResult;
      if (kind === 'csv') result = parseOfficesCsv(text);
      else {
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          return importRejected(c, [{ row: 0, field: '(file)', message: 'the body is not valid JSON' }]);
        }
        result = parseOfficesJson(value);
      }
      if (!result.ok) return importRejected(c, result.problems);
      const { dryRun } = c.req.valid('query');
      if (dryRun === 'true' || dryRun === '1') return c.json({ dryRun: true, ...(await planOfficeImport(deps.db, result.value)) }, 200);
      return c.json({ dryRun: false, ...(await catalog.importOffices(c.get('actor'), result.value, kind)) }, 200);
    },
  );

  routes.openapi(
    route({
      method: 'get',
      path: '/offices/{id}',
      summary: 'One office',
      request: { params: IdParam },
      responses: { 200: json(OfficeEntry, 'The office'), ...AUTH_ERRORS, 404: json(ErrorSchema, 'No such office') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const office = await catalog.getOffice(id);
      if (!office) return apiError(c, 404, 'not_found', `No office with id ${id}.`);
      return c.json(office, 200);
    },
  );

  routes.openapi(
    route({
      method: 'post',
      path: '/offices',
      summary: 'Add an office',
      description: 'The code is made from the name when left out. A code another office has is refused with 409.',
      request: { body: { content: { 'application/json': { schema: officeSchema } }, required: true } },
      responses: { 201: json(OfficeEntry, 'Created'), ...AUTH_ERRORS, 409: json(ErrorSchema, 'Another office has this code') },
    }),
    async (c) => {
      const saved = await catalog.saveOffice(c.get('actor'), null, c.req.valid('json'));
      if (!saved.ok) return apiError(c, 409, 'code_taken', saved.message ?? 'Another office has this code.');
      return c.json(saved.value, 201);
    },
  );

  routes.openapi(
    route({
      method: 'put',
      path: '/offices/{id}',
      summary: 'Replace an office (code, name, address, phone, hours, same-day days, portal, settings)',
      description: 'The code stays as it is when left out. A code another office has is refused with 409.',
      request: { params: IdParam, body: { content: { 'application/json': { schema: officeSchema } }, required: true } },
      responses: {
        200: json(OfficeEntry, 'Saved'),
        ...AUTH_ERRORS,
        404: json(ErrorSchema, 'No such office'),
        409: json(ErrorSchema, 'Another office has this code'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const saved = await catalog.saveOffice(c.get('actor'), id, c.req.valid('json'));
      if (!saved.ok && saved.reason === 'code_taken') return apiError(c, 409, 'code_taken', saved.message ?? 'Another office has this code.');
      if (!saved.ok) return apiError(c, 404, 'not_found', `No office with id ${id}.`);
      return c.json(saved.value, 200);
    },
  );

  routes.openapi(
    route({
      method: 'delete',
      path: '/offices/{id}',
      summary: 'Delete an office nothing belongs to',
      description:
        'Refused with 409 while staff accounts, dossiers, certification requests or stored scans belong to the office. Its communes and wards are kept, without an office.',
      request: { params: IdParam },
      responses: {
        204: { description: 'Deleted' },
        ...AUTH_ERRORS,
        404: json(ErrorSchema, 'No such office'),
        409: json(ErrorSchema, 'Something still belongs to the office'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const refs = await officeReferences(deps.db, id);
      if (inUse(refs))
        return apiError(
          c,
          409,
          'office_in_use',
          `Office ${id} is still used: ${refs.staff} staff accounts, ${refs.dossiers} dossiers, ${refs.certificationRequests} certification requests, ${refs.documents} stored scans.`,
        );
      const removed = await catalog.removeOffice(c.get('actor'), id);
      if (!removed.ok) return apiError(c, 404, 'not_found', `No office with id ${id}.`);
      return c.body(null, 204);
    },
  );

  routes.openapi(
    readRoute({
      method: 'get',
      path: '/search-log/unanswered',
      summary: 'The questions the catalog answered worst, most asked first',
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ example: 20 }) }) },
      responses: {
        200: json(
          z.object({ questions: z.array(z.object({ query: z.string(), count: z.number().int(), lastAskedAt: z.string(), bestCode: z.string().nullable() })) }),
          'Unanswered questions with how often they were asked (digits masked)',
        ),
        ...AUTH_ERRORS,
      },
    }),
    async (c) => {
      const { limit } = c.req.valid('query');
      const rows = await catalog.unanswered(limit);
      return c.json({ questions: rows.map((r) => ({ ...r, lastAskedAt: iso(r.lastAskedAt) })) }, 200);
    },
  );

  return routes;
}
