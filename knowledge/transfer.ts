import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { ok } from '../lib/result';
import { type Procedure, procedureSchema } from '../vocabulary/procedure';

/**
 * What kind of problem it is, for a reader that words problems in its own language (the console):
 * a zod issue's code and bounds, or one of the import's own kinds (duplicate_code, missing_column,
 * unknown_column, json_cell, empty, unreadable, not_array).
 */
export interface ProblemDetail {
  kind: string;
  limit?: number;
  origin?: string;
  format?: string;
}

/** One problem in an import: the 1-based record number, the field, what is wrong, and its kind. */
export interface ImportProblem {
  row: number;
  field: string;
  message: string;
  detail?: ProblemDetail;
}

/** The parts of a zod issue that say what is wrong, without the input. */
export function problemDetail(issue: z.core.$ZodIssue): ProblemDetail {
  const detail: ProblemDetail = { kind: issue.code };
  if (issue.code === 'too_small') detail.limit = Number(issue.minimum);
  if (issue.code === 'too_big') detail.limit = Number(issue.maximum);
  if ('origin' in issue && typeof issue.origin === 'string') detail.origin = issue.origin;
  if (issue.code === 'invalid_format') detail.format = issue.format;
  return detail;
}

export type ImportResult = { ok: true; value: Procedure[] } | { ok: false; reason: 'invalid_import'; problems: ImportProblem[] };

/**
 * The CSV columns, in order. Lists of words (keywords, legal basis) are written "a; b"; nested
 * values (documents, channels, fee notes, steps time, source) as JSON in their cell.
 */
export const CSV_COLUMNS = [
  'code',
  'codeStatus',
  'name',
  'shortName',
  'nameEn',
  'keywords',
  'common',
  'group',
  'level',
  'field',
  'agency',
  'applicants',
  'fee',
  'feeStatus',
  'feeNotes',
  'processingTime',
  'processingTimeStatus',
  'stepsTime',
  'onlineUrl',
  'legalBasis',
  'documentsStatus',
  'documents',
  'documentsRaw',
  'channels',
  'source',
] as const satisfies readonly (keyof Procedure)[];

const LIST_SEPARATOR = '; ';
const JSON_COLUMNS = new Set(['feeNotes', 'stepsTime', 'documents', 'channels', 'source']);
const LIST_COLUMNS = new Set(['keywords', 'legalBasis']);

/**
 * The catalog as CSV (UTF-8 with a header row), readable by spreadsheet software.
 *
 * @example proceduresToCsv(catalog).split('\n')[0] // 'code,codeStatus,name,...'
 */
export function proceduresToCsv(list: readonly Procedure[]): string {
  const rows = list.map((p) =>
    CSV_COLUMNS.map((column) => {
      const value = p[column];
      if (JSON_COLUMNS.has(column)) return value === undefined ? '' : JSON.stringify(value);
      if (Array.isArray(value)) return value.join(LIST_SEPARATOR);
      if (value === null || value === undefined) return '';
      return String(value);
    }),
  );
  return stringify([[...CSV_COLUMNS], ...rows]);
}

/** Collects zod issues as problems of one record. */
function problemsOf(row: number, error: z.ZodError): ImportProblem[] {
  return error.issues.map((issue) => ({ row, field: issue.path.join('.') || '(record)', message: issue.message, detail: problemDetail(issue) }));
}

/** Validates every record and the uniqueness of codes; all problems are reported, not the first. */
function validate(records: readonly unknown[], problems: ImportProblem[]): ImportResult {
  const parsed: Procedure[] = [];
  const seen = new Map<string, number>();
  for (const [index, record] of records.entries()) {
    const row = index + 1;
    const result = procedureSchema.safeParse(record);
    if (!result.success) {
      problems.push(...problemsOf(row, result.error));
      continue;
    }
    const first = seen.get(result.data.code);
    if (first !== undefined)
      problems.push({
        row,
        field: 'code',
        message: `duplicate code ${result.data.code} (also in record ${first})`,
        detail: { kind: 'duplicate_code', limit: first },
      });
    else seen.set(result.data.code, row);
    parsed.push(result.data);
  }
  if (records.length === 0) problems.push({ row: 0, field: '(file)', message: 'the import holds no procedures', detail: { kind: 'empty' } });
  if (problems.length) return { ok: false, reason: 'invalid_import', problems };
  return ok(parsed);
}

/**
 * Parses a JSON import: an array of catalog entries (as exported). Every bad record and field
 * is listed; nothing is returned unless all are good.
 *
 * @example parseProceduresJson(JSON.parse(body))
 */
export function parseProceduresJson(value: unknown): ImportResult {
  if (!Array.isArray(value))
    return {
      ok: false,
      reason: 'invalid_import',
      problems: [{ row: 0, field: '(file)', message: 'expected a JSON array of procedures', detail: { kind: 'not_array' } }],
    };
  return validate(value, []);
}

const cellsSchema = z.array(z.record(z.string(), z.string()));

/**
 * Parses a CSV import with the columns of {@link CSV_COLUMNS} (header row required, any order).
 * Cells that hold JSON must be valid JSON; every problem is listed with its record and column.
 */
export function parseProceduresCsv(text: string): ImportResult {
  let cells: Record<string, string>[];
  try {
    cells = cellsSchema.parse(parse(text, { columns: true, bom: true, skip_empty_lines: true, trim: false }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      reason: 'invalid_import',
      problems: [{ row: 0, field: '(file)', message: `not readable as CSV: ${message}`, detail: { kind: 'unreadable' } }],
    };
  }
  const problems: ImportProblem[] = [];
  const header = Object.keys(cells[0] ?? {});
  for (const column of ['code', 'name', 'group', 'feeStatus', 'processingTimeStatus', 'documentsStatus', 'source']) {
    if (cells.length && !header.includes(column)) problems.push({ row: 0, field: column, message: 'missing column', detail: { kind: 'missing_column' } });
  }
  if (problems.length) return { ok: false, reason: 'invalid_import', problems };

  const records = cells.map((row, index) => {
    const record: Record<string, unknown> = {};
    for (const [column, raw] of Object.entries(row)) {
      if (!(CSV_COLUMNS as readonly string[]).includes(column)) {
        problems.push({ row: index + 1, field: column, message: 'unknown column', detail: { kind: 'unknown_column' } });
        continue;
      }
      if (raw.trim() === '') {
        if (column === 'onlineUrl') record[column] = null;
        continue;
      }
      if (JSON_COLUMNS.has(column)) {
        try {
          record[column] = JSON.parse(raw);
        } catch {
          problems.push({ row: index + 1, field: column, message: 'expected JSON in this cell', detail: { kind: 'json_cell' } });
        }
      } else if (LIST_COLUMNS.has(column)) {
        record[column] = raw
          .split(';')
          .map((s) => s.trim())
          .filter(Boolean);
      } else if (column === 'common') {
        record[column] = raw.trim().toLowerCase() === 'true';
      } else {
        record[column] = raw;
      }
    }
    return record;
  });
  return validate(records, problems);
}
