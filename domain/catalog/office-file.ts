import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { type ImportProblem, problemDetail } from '../../knowledge/transfer';
import { spreadsheetSafe, spreadsheetText } from '../../lib/csv-table';
import { type Office, officeCodeFrom, officeSchema } from '../../vocabulary/procedure';
import { AREA_CODE, type Area } from '../messaging/notification-settings';

/**
 * The province file: every office with the communes and wards it serves. One file for the whole
 * province, kept by the provincial public service centre, imported all or nothing (CSV or JSON).
 */

const areaSchema = z.strictObject({
  code: z.string().trim().regex(AREA_CODE, 'expected an area code (lower case letters, digits, - or _, at most 32)'),
  name: z.string().trim().min(2, 'expected the commune or ward name').max(200, 'at most 200 characters'),
});

/** The most communes and wards one office serves (a province has a few hundred in all). */
const MAX_AREAS = 200;

/** One office of the file: the office (officeSchema) and the areas it serves. */
export const provinceOfficeSchema = officeSchema.extend({
  areas: z.array(areaSchema).max(MAX_AREAS, `expected at most ${MAX_AREAS} areas`).default([]),
});

/** An office as the file holds it, its code filled in (from the name when the file left it out). */
export type ProvinceOffice = Office & { code: string; areas: Area[] };

export type OfficeFileResult = { ok: true; value: ProvinceOffice[] } | { ok: false; problems: ImportProblem[] };

/** The CSV columns, in order. Areas are written "code: name; code: name"; nested values as JSON in their cell. */
export const OFFICE_CSV_COLUMNS = [
  'code',
  'name',
  'address',
  'phone',
  'openingHours',
  'areas',
  'portal',
  'handoverHours',
  'certificationFees',
  'sameDay',
  'holidays',
  'demo',
] as const;
type Column = (typeof OFFICE_CSV_COLUMNS)[number];
const REQUIRED_COLUMNS: Column[] = ['name', 'address', 'phone', 'openingHours'];
const JSON_COLUMNS = new Set<Column>(['certificationFees', 'sameDay', 'holidays']);

/** An area as its CSV cell writes it. */
const areaCell = (a: Area) => `${a.code}: ${a.name}`;

/**
 * The offices as the province file's CSV: UTF-8 with a byte-order mark (so Excel reads the
 * Vietnamese), Windows line ends, and every text a spreadsheet would run as a formula (a phone
 * "+84…") kept as text. {@link parseOfficesCsv} reads it back unchanged.
 */
export function officesToCsv(list: readonly ProvinceOffice[]): string {
  const rows = list.map((o) => {
    const cells: Record<Column, string> = {
      code: o.code,
      name: o.name,
      address: o.address,
      phone: o.phone,
      openingHours: o.openingHours,
      areas: o.areas.map(areaCell).join('; '),
      portal: o.portal ?? '',
      handoverHours: o.settings.handoverHours ?? '',
      certificationFees: o.settings.certificationFees ? JSON.stringify(o.settings.certificationFees) : '',
      sameDay: o.sameDay.length ? JSON.stringify(o.sameDay) : '',
      holidays: o.holidays.length ? JSON.stringify(o.holidays) : '',
      demo: o.demo ? 'true' : '',
    };
    return OFFICE_CSV_COLUMNS.map((c) => spreadsheetSafe(cells[c]));
  });
  return `\uFEFF${stringify([[...OFFICE_CSV_COLUMNS], ...rows], { record_delimiter: 'windows' })}`;
}

/** Validates every record, then the codes and areas across records; every problem is listed. */
function validate(records: readonly unknown[], problems: ImportProblem[]): OfficeFileResult {
  const valid: ProvinceOffice[] = [];
  const codes = new Map<string, number>();
  const areaRows = new Map<string, number>();
  for (const [index, record] of records.entries()) {
    const row = index + 1;
    const parsed = provinceOfficeSchema.safeParse(record);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push({ row, field: issue.path.join('.') || '(record)', message: issue.message, detail: problemDetail(issue) });
      continue;
    }
    const office = { ...parsed.data, code: parsed.data.code ?? officeCodeFrom(parsed.data.name) };
    const first = codes.get(office.code);
    if (first !== undefined)
      problems.push({
        row,
        field: 'code',
        message: `duplicate code ${office.code} (also in record ${first})`,
        detail: { kind: 'duplicate_code', limit: first },
      });
    else codes.set(office.code, row);
    for (const area of office.areas) {
      const other = areaRows.get(area.code);
      if (other !== undefined)
        problems.push({
          row,
          field: 'areas',
          message: `area ${area.code} is also served by record ${other}: a commune or ward has one office`,
          detail: { kind: 'duplicate_area', limit: other },
        });
      else areaRows.set(area.code, row);
    }
    valid.push(office);
  }
  if (records.length === 0) problems.push({ row: 0, field: '(file)', message: 'the file holds no offices', detail: { kind: 'empty' } });
  return problems.length ? { ok: false, problems } : { ok: true, value: valid };
}

/**
 * Reads a JSON province file: an array of offices (as exported), or `{ "offices": [...] }` with
 * a note beside it (the sample province says there that it is synthetic).
 *
 * @example parseOfficesJson(JSON.parse(body))
 */
export function parseOfficesJson(value: unknown): OfficeFileResult {
  const list = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null && 'offices' in value && Array.isArray(value.offices)
      ? value.offices
      : null;
  if (!list) return { ok: false, problems: [{ row: 0, field: '(file)', message: 'expected a JSON array of offices', detail: { kind: 'not_array' } }] };
  return validate(list, []);
}

/** "ben-nghe: Phường Bến Nghé; da-kao: Phường Đa Kao" as areas, or null when an entry has no code. */
function readAreas(cell: string): { code: string; name: string }[] | null {
  const entries = cell
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
  const areas = entries.map((entry) => {
    const colon = entry.indexOf(':');
    return colon > 0 ? { code: entry.slice(0, colon).trim(), name: entry.slice(colon + 1).trim() } : null;
  });
  return areas.every((a) => a !== null) ? areas : null;
}

const cellsSchema = z.array(z.record(z.string(), z.string()));

/**
 * Reads a CSV province file with the columns of {@link OFFICE_CSV_COLUMNS} (header row required,
 * any order, comma separated); `row` is the record's number after the header.
 */
export function parseOfficesCsv(text: string): OfficeFileResult {
  let cells: Record<string, string>[];
  try {
    cells = cellsSchema.parse(parse(text, { columns: true, bom: true, skip_empty_lines: true, trim: true }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [{ row: 0, field: '(file)', message: `not readable as CSV: ${message}`, detail: { kind: 'unreadable' } }] };
  }
  const header = Object.keys(cells[0] ?? {});
  const problems: ImportProblem[] = [];
  for (const column of header)
    if (!(OFFICE_CSV_COLUMNS as readonly string[]).includes(column))
      problems.push({ row: 0, field: column, message: 'unknown column', detail: { kind: 'unknown_column' } });
  for (const column of REQUIRED_COLUMNS)
    if (cells.length && !header.includes(column)) problems.push({ row: 0, field: column, message: 'missing column', detail: { kind: 'missing_column' } });
  if (problems.length) return { ok: false, problems };

  const records = cells.map((row, index) => {
    const value = (column: Column) => spreadsheetText(row[column] ?? '');
    const record: Record<string, unknown> = {
      name: value('name'),
      address: value('address'),
      phone: value('phone'),
      openingHours: value('openingHours'),
      portal: value('portal') || null,
      demo: value('demo').toLowerCase() === 'true',
    };
    if (value('code')) record.code = value('code');
    const settings: Record<string, unknown> = {};
    if (value('handoverHours')) settings.handoverHours = value('handoverHours');
    for (const column of JSON_COLUMNS) {
      if (!value(column)) continue;
      try {
        const parsed: unknown = JSON.parse(value(column));
        if (column === 'certificationFees') settings.certificationFees = parsed;
        else record[column] = parsed;
      } catch {
        problems.push({ row: index + 1, field: column, message: 'expected JSON in this cell', detail: { kind: 'json_cell' } });
      }
    }
    record.settings = settings;
    const areas = readAreas(value('areas'));
    if (areas) record.areas = areas;
    else problems.push({ row: index + 1, field: 'areas', message: 'expected "code: name" entries separated by ;', detail: { kind: 'area_cell' } });
    return record;
  });
  return validate(records, problems);
}
