import { and, eq, sql } from 'drizzle-orm';
import type { ConversationStore } from '../bot/core/ports';
import { asLocale, type ChannelName, type ChatIdentity, type DialogState } from '../bot/core/types';
import { conversationState, identities, processedUpdates } from '../db/schema';
import { SOFT_COMMIT, ts } from '../db/sql';
import { type Database, rowsOf } from '../db/types';
import type { Clock } from '../lib/clock';
import { countChatActivity } from './chat-usage';

/**
 * The dialog's ConversationStore over the database. Every inbound message is one statement (and
 * so one commit, the costly part on PostgreSQL): its id recorded, the chat upserted, the message
 * counted, the state read. A redelivered id makes the whole statement write nothing.
 *
 * That commit does not wait for the disk (synchronous_commit off, for this transaction only):
 * a database crash in the next fraction of a second may forget the update id, the last-seen time
 * and one count, none of which a citizen relies on (Telegram has had its 200 and will not resend;
 * a resent one would be answered again). It makes a message cost a round trip instead of an
 * fsync, which is most of the webhook's time on PostgreSQL. State changes commit normally.
 */
export function createConversationStore(db: Database, clock: Clock): ConversationStore {
  async function arrive(channel: ChannelName, externalId: string, updateId: string | undefined, displayName: string | undefined) {
    const now = ts(clock.now());
    const name = displayName || null;
    const result = await db.execute(sql`
      with ${
        updateId === undefined
          ? sql`processed as (select 1)`
          : sql`processed as (
        insert into processed_updates (channel, update_id, received_at) values (${channel}, ${updateId}, ${now})
        on conflict do nothing returning 1)`
      },
      chat as (
        insert into identities (channel, external_id, display_name, last_seen_at, created_at)
        select ${channel}, ${externalId}, ${name}::text, ${now}, ${now} where exists (select 1 from processed)
        -- A message from a chat that had blocked us means it unblocked us.
        on conflict (channel, external_id) do update
          set last_seen_at = excluded.last_seen_at, blocked_at = null, display_name = coalesce(excluded.display_name, identities.display_name)
        returning id, channel, external_id, locale, display_name, citizen_id),
      counted as (${countChatActivity(sql`chat`, clock.now())}),
      async_commit as (select ${SOFT_COMMIT})
      select chat.*, s.state from async_commit, chat left join conversation_state s on s.identity_id = chat.id`);
    const [row] = rowsOf<{
      id: number | string;
      channel: string;
      external_id: string;
      locale: string;
      display_name: string | null;
      citizen_id: number | string | null;
      state: DialogState | string | null;
    }>(result);
    if (!row) return null;
    const identity: ChatIdentity = {
      id: Number(row.id),
      channel: row.channel as ChannelName,
      externalId: row.external_id,
      locale: asLocale(row.locale),
      displayName: row.display_name,
      citizenId: row.citizen_id === null ? null : Number(row.citizen_id),
    };
    // postgres.js hands jsonb from a raw query back as text; PGlite parses it.
    const state = typeof row.state === 'string' ? (JSON.parse(row.state) as DialogState) : row.state;
    return { identity, state };
  }

  return {
    receive: arrive,

    async markProcessed(channel, updateId) {
      const inserted = await db
        .insert(processedUpdates)
        .values({ channel, updateId, receivedAt: clock.now() })
        .onConflictDoNothing()
        .returning({ updateId: processedUpdates.updateId });
      return inserted.length === 1;
    },

    async open(channel, externalId, displayName) {
      const opened = await arrive(channel, externalId, undefined, displayName);
      if (!opened) throw new Error('identity upsert returned no row');
      return opened;
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
