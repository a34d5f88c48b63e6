import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, jsonb, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import type { Reply } from '../../bot/core/types';
import { identities } from './chats';

export const OUTBOX_STATUSES = ['pending', 'sent', 'dead', 'cancelled', 'undeliverable'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * Every proactive message: written in the same transaction as the change that causes it, sent
 * by the delivery worker. A row is "in flight" while it is pending with a lease in the future.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    identityId: bigint('identity_id', { mode: 'number' })
      .notNull()
      .references(() => identities.id, { onDelete: 'cascade' }),
    /** What caused it (status_change, reminder, broadcast, otp, ...), for reports. */
    kind: text('kind').notNull(),
    /** Higher goes first: an OTP must not wait behind a broadcast. */
    priority: smallint('priority').notNull().default(0),
    payload: jsonb('payload').$type<Reply[]>().notNull(),
    /** Unique when set: the same change never queues the same message twice. */
    dedupeKey: text('dedupe_key').unique(),
    notBefore: timestamp('not_before', { withTimezone: true }).notNull().defaultNow(),
    status: text('status').$type<OutboxStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    leaseOwner: text('lease_owner'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('outbox_due').on(t.priority.desc(), t.notBefore, t.id).where(sql`${t.status} = 'pending'`), index('outbox_identity').on(t.identityId)],
);
