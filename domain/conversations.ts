import { and, eq, sql } from 'drizzle-orm';
import type { ConversationStore } from '../bot/core/ports';
import { type ChannelName, type ChatIdentity, DEFAULT_LOCALE, LOCALES, type Locale } from '../bot/core/types';
import { conversationState, identities, processedUpdates } from '../db/schema';
import type { Database } from '../db/types';
import type { Clock } from '../lib/clock';
import { recordChatActivity } from './chat-usage';

const asLocale = (value: string): Locale => ((LOCALES as readonly string[]).includes(value) ? (value as Locale) : DEFAULT_LOCALE);

/** The dialog's ConversationStore over the database. */
export function createConversationStore(db: Database, clock: Clock): ConversationStore {
  return {
    async markProcessed(channel, updateId) {
      const inserted = await db
        .insert(processedUpdates)
        .values({ channel, updateId, receivedAt: clock.now() })
        .onConflictDoNothing()
        .returning({ updateId: processedUpdates.updateId });
      return inserted.length === 1;
    },

    async open(channel, externalId, displayName) {
      const now = clock.now();
      const [row] = await db
        .insert(identities)
        .values({ channel, externalId, displayName: displayName ?? null, lastSeenAt: now, createdAt: now })
        .onConflictDoUpdate({
          target: [identities.channel, identities.externalId],
          // A message from a chat that had blocked us means it unblocked us.
          set: { lastSeenAt: now, blockedAt: null, ...(displayName ? { displayName } : {}) },
        })
        .returning();
      if (!row) throw new Error('identity upsert returned no row');
      // Every inbound message passes here once: count it for the usage statistics.
      await recordChatActivity(db, row.id, now);
      const [stored] = await db.select({ state: conversationState.state }).from(conversationState).where(eq(conversationState.identityId, row.id));
      const identity: ChatIdentity = {
        id: row.id,
        channel: row.channel as ChannelName,
        externalId: row.externalId,
        locale: asLocale(row.locale),
        displayName: row.displayName,
        citizenId: row.citizenId,
      };
      return { identity, state: stored?.state ?? null };
    },

    async save(identityId, state, locale) {
      const now = clock.now();
      if (locale) await db.update(identities).set({ locale }).where(eq(identities.id, identityId));
      if (state === null) {
        await db.delete(conversationState).where(eq(conversationState.identityId, identityId));
        return;
      }
      await db
        .insert(conversationState)
        .values({ identityId, state, updatedAt: now })
        .onConflictDoUpdate({ target: conversationState.identityId, set: { state, updatedAt: now } });
    },
  };
}

/** Finds a chat by its channel id (for adapters that must act on a chat, e.g. mark it blocked). */
export async function findIdentity(db: Database, channel: ChannelName, externalId: string) {
  const [row] = await db
    .select()
    .from(identities)
    .where(and(eq(identities.channel, channel), eq(identities.externalId, externalId)));
  return row ?? null;
}

/** Marks a chat as having blocked the bot: nothing proactive is sent to it until it writes again. */
export async function markBlocked(db: Database, identityId: number, at: Date): Promise<void> {
  await db.update(identities).set({ blockedAt: at }).where(sql`${identities.id} = ${identityId} and ${identities.blockedAt} is null`);
}
