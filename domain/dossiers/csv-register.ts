import type { z } from 'zod';
import { foldVietnamese } from '../../knowledge/normalize';
import { type CsvProblem, readCsvTable, rowIssueProblems, rowWidthProblems } from '../../lib/csv-table';
import { localTime } from '../../lib/vn-time';
import { type DossierFields, dossierFieldsSchema, receiptCodeSchema } from './input';

/** The register's columns, in the order the template lists them. */
export const REGISTER_COLUMNS = [
  'receipt_code',
  'procedure_code',
  'procedure_name',
  'field',
  'office_id',
  'applicant_name',
  'applicant_phone',
  'channel',
  'received_at',
  'due_at',
] as const;
type Column = (typeof REGISTER_COLUMNS)[number];
/** The columns every row must fill; the others may stay empty. */
export const REQUIRED_COLUMNS: readonly Column[] = ['receipt_code', 'procedure_code', 'applicant_name', 'applicant_phone', 'channel', 'received_at', 'due_at'];

const FIELD_TO_COLUMN: Record<string, Column> = {
  procedureCode: 'procedure_code',
  procedureName: 'procedure_name',
  field: 'field',
  officeId: 'office_id',
  applicantName: 'applicant_name',
  applicantPhone: 'applicant_phone',
  channel: 'channel',
  receivedAt: 'received_at',
  dueAt: 'due_at',
};

/** One problem in the file: `line` is the line in the file (the header is line 1). */
export type RegisterError = CsvProblem;

export interface RegisterRow {
  line: number;
  receiptCode: string;
  fields: DossierFields;
}

const CHANNEL_WORDS: Record<string, 'online' | 'counter'> = {
  online: 'online',
  'truc tuyen': 'online',
  counter: 'counter',
  'truc tiep': 'counter',
  'tai quay': 'counter',
};

/**
 * A date as registers write it: ISO 8601 with an offset, or Vietnamese `dd/MM/yyyy[ HH:mm]`
 * in local time. Returns the ISO form the dossier schema reads, or the input unchanged (the
 * schema then names the problem).
 */
function toIsoInstant(value: string): string {
  const local = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(value.trim());
  if (!local) return value.trim();
  const [, d, m, y, hh, mm] = local;
  const day = Number(d);
  const month = Number(m);
  const at = localTime(Number(y), month, day, Number(hh ?? 0), Number(mm ?? 0));
  const check = new Date(at.getTime() + 7 * 3600 * 1000);
  // 31/02 would roll over into March: refuse it rather than guess.
  if (check.getUTCDate() !== day || check.getUTCMonth() + 1 !== month || Number(hh ?? 0) > 23) return value.trim();
  return at.toISOString();
}

/**
 * Reads a day's register (CSV with a header row, UTF-8, comma or semicolon separated) into
 * dossier payloads. Every bad row and field is reported; the caller imports nothing unless the
 * whole file is clean.
 */
export function parseRegister(text: string): { ok: true; rows: RegisterRow[] } | { ok: false; errors: RegisterError[] } {
  const table = readCsvTable(text, 'dossier');
  if (!table.ok) return table;
  const names = table.header.map((h) => h.trim().toLowerCase());
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  const unknown = names.filter((n) => !(REGISTER_COLUMNS as readonly string[]).includes(n));
  if (missing.length || unknown.length) {
    return {
      ok: false,
      errors: [
        ...missing.map((c) => ({ line: 1, column: c, message: 'missing column' })),
        ...unknown.map((c) => ({ line: 1, column: c, message: `unknown column; expected ${REGISTER_COLUMNS.join(', ')}` })),
      ],
    };
  }
  if (table.rows.length === 0) return { ok: false, errors: [{ line: 2, column: '', message: 'The file has a header but no dossiers.' }] };

  const errors: RegisterError[] = [];
  const rows: RegisterRow[] = [];
  const seen = new Map<string, number>();
  for (const row of table.rows) {
    const { line, cells } = row;
    const cell = (c: Column) => cells[names.indexOf(c)]?.trim() ?? '';
    errors.push(...rowWidthProblems(row, names.length));
    const code = receiptCodeSchema.safeParse(cell('receipt_code'));
    if (!code.success) errors.push({ line, column: 'receipt_code', message: code.error.issues[0]?.message ?? 'invalid' });
    else if (seen.has(code.data)) errors.push({ line, column: 'receipt_code', message: `repeats line ${seen.get(code.data)}` });
    else seen.set(code.data, line);
    const office = cell('office_id');
    const officeId = office === '' ? undefined : /^\d+$/.test(office) ? Number(office) : Number.NaN;
    const channel = CHANNEL_WORDS[foldVietnamese(cell('channel'))] ?? cell('channel');
    const optional = (c: Column) => (cell(c) === '' ? undefined : cell(c));
    const parsed = dossierFieldsSchema.safeParse({
      procedureCode: cell('procedure_code'),
      procedureName: optional('procedure_name'),
      field: optional('field'),
      officeId,
      applicantName: cell('applicant_name'),
      applicantPhone: cell('applicant_phone'),
      channel,
      receivedAt: toIsoInstant(cell('received_at')),
      dueAt: toIsoInstant(cell('due_at')),
    });
    if (!parsed.success) {
      errors.push(
        ...rowIssueProblems(line, parsed.error.issues, FIELD_TO_COLUMN, (issue, field) =>
          field === 'receivedAt' || field === 'dueAt' ? dateMessage(issue) : issue.message,
        ),
      );
    } else if (code.success) {
      rows.push({ line, receiptCode: code.data, fields: parsed.data });
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, rows };
}

const dateMessage = (issue: z.core.$ZodIssue) =>
  issue.code === 'custom' ? issue.message : 'expected dd/MM/yyyy HH:mm (Vietnam time) or an ISO 8601 date-time with offset';
