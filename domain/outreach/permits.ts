import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { permits } from '../../db/schema';
import type { Database, Executor } from '../../db/types';
import { type CsvProblem, readCsvTable, rowIssueProblems, rowWidthProblems } from '../../lib/csv-table';
import type { Actor } from '../../vocabulary/actors';
import { phoneSchema } from '../dossiers/input';
import { NOTICE_KINDS } from '../messaging/notification-settings';
import { cancelPending } from '../messaging/outbox';
import { recordAudit } from '../people/audit';
import { cancelReminders, planPermitReminders } from './reminders';

/** A calendar date as offices write it: `yyyy-MM-dd` or `dd/MM/yyyy`; read as `yyyy-MM-dd`. */
const calendarDate = (what: string) =>
  z.string().transform((value, ctx) => {
    const text = value.trim();
    const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    const vn = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
    const [year, month, day] = iso ? [iso[1], iso[2], iso[3]].map(Number) : vn ? [vn[3], vn[2], vn[1]].map(Number) : [];
    const probe = year && month && day ? new Date(Date.UTC(year, month - 1, day)) : null;
    if (!probe || probe.getUTCDate() !== day || probe.getUTCMonth() + 1 !== month) {
      ctx.addIssue({ code: 'custom', message: `expected the ${what} as yyyy-MM-dd or dd/MM/yyyy` });
      return z.NEVER;
    }
    return probe.toISOString().slice(0, 10);
  });

/** A permit as `POST /api/v1/permits` and each CSV row give it. */
export const permitInputSchema = z
  .object({
    holderName: z.string().trim().min(1, 'expected the holder’s name').max(200),
    phone: phoneSchema,
    kind: z.string().trim().min(1, 'expected the kind of permit').max(120),
    number: z.string().trim().min(1, 'expected the permit number').max(60),
    issuedOn: calendarDate('issue date'),
    expiresOn: calendarDate('expiry date'),
    office: z.string().trim().min(1, 'expected the issuing office').max(200),
  })
  .strict()
  .refine((p) => p.expiresOn >= p.issuedOn, { path: ['expiresOn'], message: 'must not be before issuedOn' });
export type PermitInput = z.infer<typeof permitInputSchema>;

export type PermitOutcome = 'created' | 'renewed' | 'updated' | 'unchanged';
type PermitRow = typeof permits.$inferSelect;

const FIELDS = ['holderName', 'phone', 'issuedOn', 'expiresOn', 'office'] as const;

/**
 * Records one permit (by kind + number) in the caller's transaction and plans its expiry
 * reminders. The same permit again changes nothing. A later expiry is a renewal: the old
 * reminders are cancelled and new ones planned. Other changes are corrections, re-planned when
 * the expiry or the phone changed. Audited.
 */
export async function upsertPermit(executor: Executor, input: PermitInput, actor: Actor, now: Date): Promise<{ outcome: PermitOutcome; permit: PermitRow }> {
  const [existing] = await executor
    .select()
    .from(permits)
    .where(and(eq(permits.kind, input.kind), eq(permits.number, input.number)))
    .for('update');
  const subject = (id: number) => `permit:${id}`;
  if (!existing) {
    const [created] = await executor
      .insert(permits)
      .values({ ...input, createdAt: now, updatedAt: now })
      .returning();
    if (!created) throw new Error('permit insert returned no row');
    await recordAudit(executor, { actor, action: 'permit.create', subject: subject(created.id), after: input, at: now });
    await plan(executor, created, now);
    return { outcome: 'created', permit: created };
  }
  const before: Record<string, string> = {};
  const after: Record<string, string> = {};
  for (const field of FIELDS) {
    if (existing[field] === input[field]) continue;
    before[field] = existing[field];
    after[field] = input[field];
  }
  if (Object.keys(after).length === 0) return { outcome: 'unchanged', permit: existing };
  const [updated] = await executor
    .update(permits)
    .set({ ...after, updatedAt: now })
    .where(eq(permits.id, existing.id))
    .returning();
  if (!updated) throw new Error('permit vanished during its update');
  const outcome: PermitOutcome = input.expiresOn > existing.expiresOn ? 'renewed' : 'updated';
  await recordAudit(executor, {
    actor,
    action: outcome === 'renewed' ? 'permit.renew' : 'permit.update',
    subject: subject(updated.id),
    before,
    after,
    at: now,
  });
  if ('expiresOn' in after || 'phone' in after) {
    await cancelReminders(executor, subject(updated.id), now);
    await cancelPending(executor, subject(updated.id), outcome === 'renewed' ? 'the permit was renewed' : 'the permit was corrected', [
      NOTICE_KINDS.permitExpiry,
    ]);
    await plan(executor, updated, now);
  }
  return { outcome, permit: updated };
}

function plan(executor: Executor, permit: PermitRow, now: Date) {
  return planPermitReminders(
    executor,
    {
      permitId: permit.id,
      kind: permit.kind,
      number: permit.number,
      holderName: permit.holderName,
      office: permit.office,
      phone: permit.phone,
      expiresOn: permit.expiresOn,
    },
    now,
  );
}

/** The CSV's columns; Vietnamese headers are accepted too. */
const COLUMNS = {
  holder_name: ['holder_name', 'holder', 'ho ten', 'ten chu giay phep', 'chu giay phep'],
  phone: ['phone', 'so dien thoai', 'dien thoai'],
  kind: ['kind', 'loai', 'loai giay phep'],
  number: ['number', 'so', 'so giay phep'],
  issued: ['issued', 'issued_on', 'ngay cap'],
  expires: ['expires', 'expires_on', 'ngay het han'],
  office: ['office', 'co quan cap', 'noi cap'],
} as const;
type Column = keyof typeof COLUMNS;
const FIELD_COLUMN: Record<keyof PermitInput, Column> = {
  holderName: 'holder_name',
  phone: 'phone',
  kind: 'kind',
  number: 'number',
  issuedOn: 'issued',
  expiresOn: 'expires',
  office: 'office',
};

/** One problem in the file; `line` counts the header as line 1. */
export type PermitCsvError = CsvProblem;

/** At most this many rows per file (the request body is limited to 1 MB anyway). */
export const MAX_PERMIT_ROWS = 20_000;

const fold = (header: string) =>
  header
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, ' ')
    .trim();

/**
 * Reads a permit register (CSV, header row, comma or semicolon separated, UTF-8). Every bad
 * row and field is reported; nothing is returned for import unless the whole file is clean.
 */
export function parsePermitCsv(text: string): { ok: true; rows: { line: number; input: PermitInput }[] } | { ok: false; errors: PermitCsvError[] } {
  const table = readCsvTable(text, 'permit');
  if (!table.ok) return table;
  const { header } = table;
  const position = new Map<Column, number>();
  const errors: PermitCsvError[] = [];
  header.forEach((name, index) => {
    const column = (Object.keys(COLUMNS) as Column[]).find((c) => (COLUMNS[c] as readonly string[]).includes(fold(name)));
    if (column) position.set(column, index);
    else errors.push({ line: 1, column: name, message: `unknown column; expected ${Object.keys(COLUMNS).join(', ')}` });
  });
  for (const column of Object.keys(COLUMNS) as Column[]) {
    if (!position.has(column)) errors.push({ line: 1, column, message: 'missing column' });
  }
  if (errors.length) return { ok: false, errors };
  if (table.rows.length === 0) return { ok: false, errors: [{ line: 2, column: '', message: 'The file has a header but no permits.' }] };
  if (table.rows.length > MAX_PERMIT_ROWS) return { ok: false, errors: [{ line: 0, column: '', message: `At most ${MAX_PERMIT_ROWS} permits per file.` }] };

  const rows: { line: number; input: PermitInput }[] = [];
  const seen = new Map<string, number>();
  for (const row of table.rows) {
    const { line, cells } = row;
    const cell = (c: Column) => cells[position.get(c) ?? -1] ?? '';
    errors.push(...rowWidthProblems(row, header.length));
    const parsed = permitInputSchema.safeParse({
      holderName: cell('holder_name'),
      phone: cell('phone'),
      kind: cell('kind'),
      number: cell('number'),
      issuedOn: cell('issued'),
      expiresOn: cell('expires'),
      office: cell('office'),
    });
    if (!parsed.success) {
      errors.push(...rowIssueProblems(line, parsed.error.issues, FIELD_COLUMN));
      continue;
    }
    const key = `${parsed.data.kind}\u0000${parsed.data.number}`;
    const first = seen.get(key);
    if (first !== undefined) errors.push({ line, column: 'number', message: `the same kind and number as line ${first}` });
    else seen.set(key, line);
    rows.push({ line, input: parsed.data });
  }
  return errors.length ? { ok: false, errors } : { ok: true, rows };
}

export type PermitImportSummary = Record<PermitOutcome, number>;

/**
 * Imports a permit register all or nothing, in one transaction: a clean file is recorded row by
 * row ({@link upsertPermit}); a file with any bad row changes nothing and returns every problem.
 * Importing the same file again changes nothing.
 */
export async function importPermits(
  db: Database,
  text: string,
  actor: Actor,
  now: Date,
): Promise<{ ok: true; summary: PermitImportSummary } | { ok: false; errors: PermitCsvError[] }> {
  const parsed = parsePermitCsv(text);
  if (!parsed.ok) return parsed;
  const summary: PermitImportSummary = { created: 0, renewed: 0, updated: 0, unchanged: 0 };
  await db.transaction(async (tx) => {
    for (const row of parsed.rows) summary[(await upsertPermit(tx, row.input, actor, now)).outcome]++;
    if (summary.created + summary.renewed + summary.updated > 0) {
      await recordAudit(tx, { actor, action: 'permit.import', subject: 'permits', after: summary, at: now });
    }
  });
  return { ok: true, summary };
}
