import { sql } from 'drizzle-orm';
import { bigint, bigserial, check, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { offices } from './catalog';
import { identities } from './chats';
import { citizens } from './citizens';

/**
 * What a citizen wants to hear about: per-kind reminder switches, their commune/ward and
 * announcement topics, and /stop. A row belongs to a citizen (and so to every chat linked to them
 * by a verified phone) or, for a chat not linked yet, to that chat alone.
 */
export const notificationSettings = pgTable(
  'notification_settings',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    citizenId: bigint('citizen_id', { mode: 'number' })
      .unique()
      .references(() => citizens.id, { onDelete: 'cascade' }),
    identityId: bigint('identity_id', { mode: 'number' })
      .unique()
      .references(() => identities.id, { onDelete: 'cascade' }),
    /** Reminder kinds switched off (appointment, result_ready, ...). */
    mutedKinds: text('muted_kinds').array().notNull().default(sql`'{}'::text[]`),
    /** The commune or ward (an `areas.code`) whose announcements they receive. */
    area: text('area'),
    /** Announcement topics they subscribed to. */
    topics: text('topics').array().notNull().default(sql`'{}'::text[]`),
    /** Set by /stop: nothing proactive except answers to their own requests. */
    stoppedAt: timestamp('stopped_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [check('notification_settings_owner', sql`(${t.citizenId} is null) <> (${t.identityId} is null)`)],
);

/** The communes and wards an office serves, which citizens pick as their area. */
export const areas = pgTable('areas', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  /** The name without diacritics, lower case, for matching what citizens type. */
  folded: text('folded').notNull(),
  /** The office that serves this commune or ward (null until an admin assigns one). */
  officeId: bigint('office_id', { mode: 'number' }).references(() => offices.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/**
 * The chats an announcement reaches now, one row each with what an audience filters on: not
 * blocked, not stopped, and following an area or a topic, with the effective settings (the
 * citizen's when the chat is linked to one, else the chat's own). Kept by the database itself:
 * triggers on identities and notification_settings refresh a chat's row from the view
 * chat_audience_source whenever one of those changes (migration 0015), so every write path keeps
 * it, bulk SQL included. It exists so that counting a province's million chats reads one narrow
 * table instead of joining every chat to its settings (docs/BENCHMARKS.md, issue 18).
 */
export const chatAudience = pgTable(
  'chat_audience',
  {
    identityId: bigint('identity_id', { mode: 'number' })
      .primaryKey()
      .references(() => identities.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    locale: text('locale').notNull(),
    officeId: bigint('office_id', { mode: 'number' }),
    area: text('area'),
    topics: text('topics').array().notNull(),
  },
  (t) => [index('chat_audience_area').on(t.area), index('chat_audience_office').on(t.officeId)],
);
