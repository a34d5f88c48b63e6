import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { identities } from './chats';
import { citizens } from './citizens';
import { outbox } from './outbox';

/** A paper scanned at the counter on the citizen's first visit; its file is in the blob store. */
export const storedDocuments = pgTable(
  'stored_documents',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    citizenId: bigint('citizen_id', { mode: 'number' })
      .notNull()
      .references(() => citizens.id),
    officeId: bigint('office_id', { mode: 'number' }).notNull(),
    title: text('title').notNull(),
    /** cccd, khai_sinh, tot_nghiep, so_do, ... (see domain/certification/documents.ts). */
    kind: text('kind').notNull(),
    pages: integer('pages').notNull(),
    blobKey: text('blob_key').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('stored_documents_citizen').on(t.citizenId), check('stored_documents_pages', sql`${t.pages} > 0`)],
);

/**
 * One one-time code sent to a phone. The code itself is never stored: only
 * HMAC(server secret, id | phone | code). `identity_id` is the chat that asked, `requested_by` the
 * staff member who asked on a caller's behalf.
 */
export const otpChallenges = pgTable(
  'otp_challenges',
  {
    /** Random, so a challenge id reveals nothing and cannot be guessed. */
    id: text('id').primaryKey(),
    phone: text('phone').notNull(),
    identityId: bigint('identity_id', { mode: 'number' }).references(() => identities.id, { onDelete: 'set null' }),
    requestedBy: text('requested_by'),
    codeHmac: text('code_hmac').notNull(),
    /** The outbox row that carries the code (null when the phone is not registered: nothing is sent). */
    outboxId: bigint('outbox_id', { mode: 'number' }).references(() => outbox.id, { onDelete: 'set null' }),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    /** Set when a newer code for the same phone replaced this one. */
    voidedAt: timestamp('voided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('otp_challenges_phone').on(t.phone, t.createdAt), index('otp_challenges_identity').on(t.identityId, t.createdAt)],
);

export const CERTIFICATION_STATUSES = ['submitted', 'confirmed', 'rejected', 'ready', 'delivered', 'cancelled'] as const;
export type CertificationStatus = (typeof CERTIFICATION_STATUSES)[number];
export const VERIFICATION_METHODS = ['chat_otp', 'telephone_otp', 'channel_contact'] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

/** What was asked for, as it was when asked (a document renamed later does not change it). */
export interface CertificationItem {
  documentId: number;
  title: string;
  kind: string;
  pages: number;
  copies: number;
  /** Fee for all copies of this document, VND. */
  fee: number;
}

export type CertificationDelivery = { method: 'pickup' } | { method: 'post'; address: string };

/** A request for certified copies of stored documents by a citizen whose phone was proved. */
export const certificationRequests = pgTable(
  'certification_requests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    citizenId: bigint('citizen_id', { mode: 'number' })
      .notNull()
      .references(() => citizens.id),
    officeId: bigint('office_id', { mode: 'number' }).notNull(),
    /** The chat it was made from; null for a telephone request. */
    identityId: bigint('identity_id', { mode: 'number' }).references(() => identities.id, { onDelete: 'set null' }),
    status: text('status').$type<CertificationStatus>().notNull().default('submitted'),
    items: jsonb('items').$type<CertificationItem[]>().notNull(),
    delivery: jsonb('delivery').$type<CertificationDelivery>().notNull(),
    /** The fee from the fee table when asked (VND). */
    quotedFee: integer('quoted_fee').notNull(),
    /** The fee staff confirmed (VND); differs from the quote only with a reason. */
    fee: integer('fee'),
    feeReason: text('fee_reason'),
    verificationMethod: text('verification_method').$type<VerificationMethod>().notNull(),
    verifiedAt: timestamp('verified_at', { withTimezone: true }).notNull(),
    /** The staff member (actor ref) who took a telephone request. */
    verifiedBy: text('verified_by'),
    otpChallengeId: text('otp_challenge_id').references(() => otpChallenges.id),
    rejectReason: text('reject_reason'),
    pickupPlace: text('pickup_place'),
    deliveredVia: text('delivered_via').$type<'counter' | 'post'>(),
    trackingNumber: text('tracking_number'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('certification_requests_queue').on(t.status, t.officeId, t.createdAt.desc()),
    index('certification_requests_citizen').on(t.citizenId, t.createdAt.desc()),
  ],
);
