import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, integer, jsonb, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import type { PhoneMessage, TemplateData } from '../../vocabulary/messages';
import type { Reply } from '../../vocabulary/replies';
import { identities } from './chats';

export const OUTBOX_STATUSES = ['pending', 'sent', 'dead', 'cancelled', 'undeliverable'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Replies for a chat, or a phone message (OTP, notification) for sms / zns. */
export type OutboxPayload = { replies: Reply[] } | { phone: PhoneMessage };

/**
 * Every proactive message: written in the same transaction as the change that causes it, sent
 * by the delivery loop. A row is "in flight" while it is pending with a lease in the future.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The chat it goes to; null for a message addressed to a phone number (SMS, ZNS). */
    identityId: bigint('identity_id', { mode: 'number' }).references(() => identities.id, { onDelete: 'cascade' }),
    /** The chat's channel, or sms / zns for phone-addressed rows. */
    channel: text('channel').notNull(),
    /** E.164 phone for phone-addressed rows. */
    phone: text('phone'),
    /** What caused it (status_change, reminder, broadcast, otp, ...), for reports. */
    kind: text('kind').notNull(),
    /** What it is about (`broadcast:3`, `dossier:42`), to follow or cancel a group of rows. */
    subject: text('subject'),
    /** Higher goes first: an OTP must not wait behind a broadcast. */
    priority: smallint('priority').notNull().default(0),
    payload: jsonb('payload').$type<OutboxPayload>().notNull(),
    /** Structured data for channels that send approved templates only (ZNS). */
    template: jsonb('template').$type<TemplateData>(),
    /** Unique when set: the same change never queues the same message twice. */
    dedupeKey: text('dedupe_key').unique(),
    notBefore: timestamp('not_before', { withTimezone: true }).notNull(),
    status: text('status').$type<OutboxStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    leaseOwner: text('lease_owner'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    index('outbox_due').on(t.priority.desc(), t.notBefore, t.id).where(sql`${t.status} = 'pending'`),
    index('outbox_identity').on(t.identityId),
    index('outbox_subject').on(t.subject, t.status),
    check('outbox_recipient', sql`${t.identityId} is not null or ${t.phone} is not null`),
  ],
);

/**
 * The next free send slot of each channel, shared by every delivery loop: a worker reserves a
 * block of slots with one UPDATE, so all workers together keep to the channel's overall rate.
 */
export const channelPacing = pgTable('channel_pacing', {
  channel: text('channel').primaryKey(),
  nextSlotAt: timestamp('next_slot_at', { withTimezone: true, precision: 6 }).notNull(),
});
