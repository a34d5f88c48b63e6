import { z } from 'zod';

export const DOSSIER_STATUSES = ['received', 'processing', 'needs_supplement', 'ready', 'returned', 'rejected', 'withdrawn'] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

export const DOSSIER_CHANNELS = ['online', 'counter'] as const;
export type DossierChannel = (typeof DOSSIER_CHANNELS)[number];

/** Statuses in which the office still owes the citizen a result (open, can be overdue). */
export const OPEN_STATUSES: readonly DossierStatus[] = ['received', 'processing', 'needs_supplement'];

/**
 * What a status event carries besides its note: for needs_supplement what is missing, for ready
 * where to collect (or postal delivery), for rejected the reason.
 */
export const statusDetailsSchema = z
  .object({
    missing: z.array(z.string().trim().min(1).max(300)).max(30).optional(),
    collectAt: z.string().trim().min(1).max(300).optional(),
    postal: z.boolean().optional(),
    reason: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();
export type StatusDetails = z.infer<typeof statusDetailsSchema>;
