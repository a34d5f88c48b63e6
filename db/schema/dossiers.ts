import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, check, index, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { DossierChannel, DossierStatus, StatusDetails } from '../../vocabulary/dossiers';
import { foldedText } from '../folded-text';
import { identities } from './chats';

/**
 * A dossier (hồ sơ) received by a one-stop office, keyed by the receipt code the one-stop
 * software prints on the receipt. `status` and `resolved_at` mirror the timeline, so lookups and
 * statistics read one row.
 */
export const dossiers = pgTable(
  'dossiers',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    receiptCode: text('receipt_code').notNull(),
    procedureCode: text('procedure_code').notNull(),
    /** The name as printed on the receipt; the catalog's name is preferred when it knows the code. */
    procedureName: text('procedure_name'),
    /** Lĩnh vực (Hộ tịch, Chứng thực, ...), the grouping of the province's statistics. */
    field: text('field'),
    officeId: bigint('office_id', { mode: 'number' }).notNull(),
    applicantName: text('applicant_name').notNull(),
    /** The name folded (no accents, lower case) for the console's search by name; kept by the database. */
    applicantNameFolded: text('applicant_name_folded')
      .notNull()
      .generatedAlwaysAs(() => foldedText(sql`"applicant_name"`)),
    /** E.164. */
    applicantPhone: text('applicant_phone').notNull(),
    channel: text('channel').$type<DossierChannel>().notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    /** Ngày hẹn trả kết quả. */
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    status: text('status').$type<DossierStatus>().notNull(),
    /** When the result first became ready (or was returned without a ready step): early / on time / late. */
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('dossiers_receipt_code').on(t.receiptCode),
    index('dossiers_applicant_phone').on(t.applicantPhone),
    // Search by any word (or the start of one) of the applicant's name, accents and case aside;
    // full-text search is core PostgreSQL, so PGlite has it without an extension.
    index('dossiers_applicant_name_words').using('gin', sql`to_tsvector('simple', ${t.applicantNameFolded})`),
    // The statistics read these without touching the table (index-only scans): the trailing
    // columns are the ones the counts group and compare by.
    index('dossiers_office_received').on(t.officeId, t.receivedAt, t.field, t.channel),
    index('dossiers_office_resolved').on(t.officeId, t.resolvedAt, t.field, t.dueAt),
    index('dossiers_received').on(t.receivedAt, t.field, t.channel),
    index('dossiers_resolved').on(t.resolvedAt, t.field, t.dueAt),
    index('dossiers_open').on(t.officeId, t.receivedAt, t.field, t.dueAt).where(sql`${t.status} in ('received', 'processing', 'needs_supplement')`),
  ],
);

/** The timeline of a dossier: one row per status change, with the note shown to the citizen. */
export const dossierEvents = pgTable(
  'dossier_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dossierId: bigint('dossier_id', { mode: 'number' })
      .notNull()
      .references(() => dossiers.id, { onDelete: 'cascade' }),
    status: text('status').$type<DossierStatus>().notNull(),
    note: text('note'),
    details: jsonb('details').$type<StatusDetails>().notNull().default({}),
    /** An admin moved it outside the transition table, with this reason. */
    forcedReason: text('forced_reason'),
    /** `staff:12`, `token:3`. */
    actor: text('actor').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('dossier_events_dossier').on(t.dossierId, t.id)],
);

/**
 * A chat that proved a dossier is theirs (receipt code + last digits of the phone). `following`
 * null means "the default": chats linked to the applicant by a verified phone hear of changes,
 * others do not until they press "Theo dõi"; true / false is the chat's explicit choice.
 */
export const dossierSubscriptions = pgTable(
  'dossier_subscriptions',
  {
    identityId: bigint('identity_id', { mode: 'number' })
      .notNull()
      .references(() => identities.id, { onDelete: 'cascade' }),
    dossierId: bigint('dossier_id', { mode: 'number' })
      .notNull()
      .references(() => dossiers.id, { onDelete: 'cascade' }),
    provenAt: timestamp('proven_at', { withTimezone: true }).notNull(),
    following: boolean('following'),
  },
  (t) => [primaryKey({ columns: [t.identityId, t.dossierId] }), index('dossier_subscriptions_dossier').on(t.dossierId)],
);

/** One satisfaction rating per dossier (1-5), with the office and field it counts for. */
export const feedback = pgTable(
  'feedback',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dossierId: bigint('dossier_id', { mode: 'number' })
      .notNull()
      .references(() => dossiers.id, { onDelete: 'cascade' }),
    identityId: bigint('identity_id', { mode: 'number' }).references(() => identities.id, { onDelete: 'set null' }),
    officeId: bigint('office_id', { mode: 'number' }).notNull(),
    field: text('field'),
    rating: smallint('rating').notNull(),
    comment: text('comment'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('feedback_dossier').on(t.dossierId),
    index('feedback_office_created').on(t.officeId, t.createdAt),
    check('feedback_rating_range', sql`${t.rating} between 1 and 5`),
  ],
);
