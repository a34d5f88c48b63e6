import { bigint, bigserial, index, jsonb, pgTable, timestamp } from 'drizzle-orm/pg-core';
import type { Reply } from '../../vocabulary/replies';
import { identities } from './chats';

/** Proactive messages for web chat sessions, waiting for the page to fetch them. */
export const webInbox = pgTable(
  'web_inbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    identityId: bigint('identity_id', { mode: 'number' })
      .notNull()
      .references(() => identities.id, { onDelete: 'cascade' }),
    payload: jsonb('payload').$type<Reply[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [index('web_inbox_identity').on(t.identityId, t.id)],
);
