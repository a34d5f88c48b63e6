import { bigserial, boolean, index, jsonb, pgTable, real, text, timestamp } from 'drizzle-orm/pg-core';
import type { Holiday, OfficeSettings, Procedure, SameDayRule } from '../../vocabulary/procedure';

/**
 * The procedure catalog the bot answers from: seeded from knowledge/data on first start, then
 * kept by admins. `data` is the whole entry (vocabulary/procedure.ts); code, name and group are
 * copied out for listing and sorting.
 */
export const procedures = pgTable(
  'procedures',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    groupName: text('group_name').notNull(),
    data: jsonb('data').$type<Procedure>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('procedures_group').on(t.groupName)],
);

/** One-stop offices: where to go, when, the weekdays when complete dossiers are done the same day, and the days off. */
export const offices = pgTable('offices', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  /** A short stable name (lower case letters, digits, -) for links, QR posters and import files. */
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  address: text('address').notNull(),
  phone: text('phone').notNull(),
  openingHours: text('opening_hours').notNull(),
  sameDay: jsonb('same_day').$type<SameDayRule[]>().notNull().default([]),
  /** The office's days off (vocabulary/procedure.ts holidaySchema), named by the chat. */
  holidays: jsonb('holidays').$type<Holiday[]>().notNull().default([]),
  /** The office's own online portal (the province's public-service portal), when it has one. */
  portal: text('portal'),
  /** Where the office differs from the province's defaults: its fee table, handover hours. */
  settings: jsonb('settings').$type<OfficeSettings>().notNull().default({}),
  /** The seeded example office, until an admin replaces it. */
  demo: boolean('demo').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/**
 * Citizens' questions the catalog could not answer (digits masked), so admins see what is
 * missing. `folded` groups the same question typed with or without accents.
 */
export const searchLog = pgTable(
  'search_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    query: text('query').notNull(),
    folded: text('folded').notNull(),
    channel: text('channel').notNull(),
    /** The best candidate and its score, even though it was not good enough. */
    topCode: text('top_code'),
    topScore: real('top_score'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('search_log_folded').on(t.folded), index('search_log_at').on(t.at)],
);
