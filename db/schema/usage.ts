import { bigint, date, index, integer, pgTable, primaryKey } from 'drizzle-orm/pg-core';
import { identities } from './chats';

/** Messages per chat per local day (Asia/Ho_Chi_Minh), for the usage statistics. */
export const chatActivity = pgTable(
  'chat_activity',
  {
    day: date('day', { mode: 'string' }).notNull(),
    identityId: bigint('identity_id', { mode: 'number' })
      .notNull()
      .references(() => identities.id, { onDelete: 'cascade' }),
    messages: integer('messages').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.day, t.identityId] }), index('chat_activity_identity').on(t.identityId)],
);
