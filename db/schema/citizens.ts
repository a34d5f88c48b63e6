import { bigserial, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** A person known by a phone number (E.164). One citizen may talk to us from several chats. */
export const citizens = pgTable('citizens', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  phone: text('phone').notNull().unique(),
  fullName: text('full_name'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
