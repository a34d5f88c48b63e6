import { z } from 'zod';
import { normalizeVnPhone } from '../../lib/phone';
import { DOSSIER_CHANNELS, DOSSIER_STATUSES, statusDetailsSchema } from '../../vocabulary/dossiers';

/** Receipt codes are compared without spaces and in upper case: citizens type them by hand. */
export const normalizeReceiptCode = (code: string): string => code.replace(/\s+/g, '').toUpperCase();

export const receiptCodeSchema = z
  .string()
  .transform(normalizeReceiptCode)
  .pipe(z.string().regex(/^[A-Z0-9][A-Z0-9.\-_]{2,59}$/, 'expected the receipt code as printed (3-60 letters, digits, . - _)'));

export const phoneSchema = z.string().transform((value, ctx) => {
  const parsed = normalizeVnPhone(value);
  if (parsed.ok) return parsed.value;
  ctx.addIssue({ code: 'custom', message: 'expected a Vietnamese phone number (09x…, +849x…, 849x…)' });
  return z.NEVER;
});

const instant = z.iso
  .datetime({ offset: true, error: 'expected an ISO 8601 date-time with offset, e.g. 2026-11-22T08:30:00+07:00' })
  .transform((v) => new Date(v));

/** A dossier as the one-stop software sends it (the receipt code comes from the URL or the CSV row). */
export const dossierFieldsSchema = z
  .object({
    procedureCode: z.string().trim().min(1, 'expected the procedure code').max(40),
    procedureName: z.string().trim().min(1).max(500).optional(),
    field: z.string().trim().min(1).max(200).optional(),
    officeId: z.number().int().positive().optional(),
    applicantName: z.string().trim().min(1, 'expected the applicant’s name').max(200),
    applicantPhone: phoneSchema,
    channel: z.enum(DOSSIER_CHANNELS, { error: 'expected online or counter' }),
    receivedAt: instant,
    dueAt: instant,
  })
  .strict()
  // zod runs the refinement even when a date failed to parse: compare only real dates.
  .refine((d) => !(d.dueAt instanceof Date && d.receivedAt instanceof Date) || d.dueAt.getTime() >= d.receivedAt.getTime(), {
    path: ['dueAt'],
    message: 'must not be before receivedAt',
  });
export type DossierFields = z.infer<typeof dossierFieldsSchema>;

/** A status change: the note is what the citizen reads; `force` is for admins only. */
export const statusEventSchema = z
  .object({
    status: z.enum(DOSSIER_STATUSES, { error: `expected one of ${DOSSIER_STATUSES.join(', ')}` }),
    note: z.string().trim().min(1).max(1000).optional(),
    details: statusDetailsSchema.default({}),
    at: instant.optional(),
    force: z
      .object({ reason: z.string().trim().min(5, 'explain why the move is forced').max(1000) })
      .strict()
      .optional(),
  })
  .strict();
export type StatusEventInput = z.infer<typeof statusEventSchema>;
