import { bigint, bigserial, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { DialogState } from '../../vocabulary/replies';
import { offices } from './catalog';
import { citizens } from './citizens';

/** One chat on one channel (a Telegram chat, a Zalo follower, a web chat session). */
export const identities = pgTable(
  'identities',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    channel: text('channel').notNull(),
    externalId: text('external_id').notNull(),
    locale: text('locale').notNull().default('vi'),
    displayName: text('display_name'),
    /** Set when the chat proved a phone number (OTP or the channel's verified contact). */
    citizenId: bigint('citizen_id', { mode: 'number' }).references(() => citizens.id),
    phoneVerifiedAt: timestamp('phone_verified_at', { withTimezone: true }),
    /**
     * The office that serves this chat: from the commune or ward they named, an office's QR code or
     * link, or the dossier they looked up. Null until one of those happens. Kept on the chat so the
     * message's arrival statement reads it with no extra round trip.
     */
    officeId: bigint('office_id', { mode: 'number' }).references(() => offices.id, { onDelete: 'set null' }),
    /** The chat blocked the bot (Telegram 403, Zalo unfollow): nothing proactive is sent. */
    blockedAt: timestamp('blocked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('identities_channel_external_id').on(t.channel, t.externalId),
    index('identities_citizen_id').on(t.citizenId),
    index('identities_office_id').on(t.officeId),
  ],
);

/** The dialog state of a chat between two messages (no state lives in memory). */
export const conversationState = pgTable('conversation_state', {
  identityId: bigint('identity_id', { mode: 'number' })
    .primaryKey()
    .references(() => identities.id, { onDelete: 'cascade' }),
  state: jsonb('state').$type<DialogState>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** Event ids already handled, so a redelivered webhook is answered once. */
export const processedUpdates = pgTable(
  'processed_updates',
  {
    channel: text('channel').notNull(),
    updateId: text('update_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.updateId] }), index('processed_updates_received_at').on(t.receivedAt)],
);
