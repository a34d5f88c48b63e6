import { sql } from 'drizzle-orm';
import { bigint, bigserial, date, index, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

export const REMINDER_STATUSES = ['pending', 'fired', 'cancelled', 'expired'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

/**
 * A reminder planned for later (the day before an appointment, 30 days before a permit expires).
 * The scheduler pass turns a due row into outbox rows for the chats that match at that moment, so
 * a chat that links its phone after the planning still hears it, and an opt-out made meanwhile
 * is honoured. Moving a due date moves the pending row; a returned dossier cancels it.
 */
export const reminders = pgTable(
  'reminders',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** appointment, permit_expiry, ... (the citizen's switch of the same name applies). */
    kind: text('kind').notNull(),
    /** What it is about: `dossier:42`, `permit:7`. */
    subject: text('subject').notNull(),
    /** Names this reminder for this date: planning it again changes nothing. */
    dedupeKey: text('dedupe_key').notNull(),
    fireAt: timestamp('fire_at', { withTimezone: true }).notNull(),
    /** After this moment the reminder is pointless (the appointment or expiry passed). */
    staleAt: timestamp('stale_at', { withTimezone: true }).notNull(),
    /** The citizen's phone: chats linked to it by a verified phone receive the reminder. */
    phone: text('phone'),
    /** Chats that asked to follow the subject, besides the phone's chats. */
    identityIds: bigint('identity_ids', { mode: 'number' }).array().notNull().default(sql`'{}'::bigint[]`),
    /** Values for the message text (receipt code, date, permit number, ...). */
    params: jsonb('params').$type<Record<string, string>>().notNull(),
    status: text('status').$type<ReminderStatus>().notNull().default('pending'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    settledAt: timestamp('settled_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('reminders_dedupe_key').on(t.dedupeKey),
    index('reminders_due').on(t.fireAt).where(sql`${t.status} = 'pending'`),
    index('reminders_subject').on(t.subject),
  ],
);

/** A licence or permit (giấy phép) whose holder is reminded before it expires. */
export const permits = pgTable(
  'permits',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    holderName: text('holder_name').notNull(),
    /** E.164. */
    phone: text('phone').notNull(),
    /** Giấy phép kinh doanh, giấy phép xây dựng, ... as the office writes it. */
    kind: text('kind').notNull(),
    number: text('number').notNull(),
    issuedOn: date('issued_on', { mode: 'string' }).notNull(),
    expiresOn: date('expires_on', { mode: 'string' }).notNull(),
    office: text('office').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('permits_kind_number').on(t.kind, t.number), index('permits_phone').on(t.phone)],
);
