import { z } from '@hono/zod-openapi';
import { ROLES } from '../vocabulary/actors';

/** A calendar date in Vietnam (yyyy-MM-dd); periods are whole local days. */
export const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as yyyy-MM-dd')
  .refine((v) => {
    const [y = 0, m = 0, d = 0] = v.split('-').map(Number);
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }, 'not a real calendar date')
  .openapi({ example: '2026-11-22' });

export const Paging = {
  page: z.coerce.number().int().min(1).default(1).openapi({ example: 1 }),
  pageSize: z.coerce.number().int().min(1).max(200).default(50).openapi({ example: 50 }),
};

export const RoleSchema = z.enum(ROLES).openapi({ example: 'staff' });

export const OfficeId = z.number().int().positive().openapi({ example: 1 });

export const IdParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: 'id', in: 'path' }, example: 3 }),
});

export const ActorSchema = z
  .object({
    kind: z.enum(['staff', 'token']),
    id: z.number().int(),
    name: z.string(),
    role: RoleSchema,
    officeId: z.number().int().nullable(),
  })
  .openapi('Actor');

/** ISO 8601 in UTC for JSON answers. */
export const iso = (d: Date): string => d.toISOString();
export const isoOrNull = (d: Date | null): string | null => (d === null ? null : d.toISOString());
