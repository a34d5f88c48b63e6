import { and, eq, sql } from 'drizzle-orm';
import { conversationState, identities, processedUpdates } from '../../db/schema';
import { SOFT_COMMIT } from '../../db/sql';
import { compileStatement } from '../../db/statement';
import type { Database } from '../../db/types';
import type { Clock } from '../../lib/clock';
import { localIsoDate } from '../../lib/vn-time';
import type { ChannelName } from '../../vocabulary/channels';
import type { Locale } from '../../vocabulary/locales';
import { asLocale } from '../../vocabulary/locales';
import type { DialogState } from '../../vocabulary/replies';
import { countChatActivity } from './chat-usage';

/** The chat as the dialog sees it. */
export interface ChatIdentity {
  id: number;
  channel: ChannelName;
  externalId: string;
  locale: Locale;
  displayName: string | null;
  /** The citizen this chat is linked to by a verified phone, if any. */
  citizenId: number | null;
  /** The office that serves this chat (db/schema/chats.ts), null until the chat says or shows which. */
  officeId: number | null;
}

interface ArrivalRow {
  id: number | string;
  channel: string;
  external_id: string;
  locale: string;
  display_name: string | null;
  citizen_id: number | string | null;
  office_id: number | string | null;
  state: DialogState | string | null;
}

const value = (name: string) => sql.placeholder(name);

/**
 * One message's arrival as one statement: its update id recorded (none for a chat opened by
 * other means), the chat upserted, the message counted on its local day, the state read.
 */
function arrivalStatement(withUpdateId: boolean) {
  const now = sql`${value('now')}::timestamptz`;
  const processed = withUpdateId
    ? sql`processed as (
        insert into processed_updates (channel, update_id, received_at) values (${value('channel')}, ${value('updateId')}, ${now})
        on conflict do nothing returning 1)`
    : sql`processed as (select 1)`;
  return sql`
    with ${processed},
    chat as (
      insert into identities (channel, external_id, display_name, last_seen_at, created_at)
      select ${value('channel')}, ${value('externalId')}, ${value('name')}::text, ${now}, ${now} where exists (select 1 from processed)
      -- A message from a chat that had blocked us means it unblocked us.
      on conflict (channel, external_id) do update
        set last_seen_at = excluded.last_seen_at, blocked_at = null, display_name = coalesce(excluded.display_name, identities.display_name)
      returning id, channel, external_id, locale, display_name, citizen_id, office_id),
    counted as (${countChatActivity(sql`chat`, sql`${value('day')}::date`)}),
    async_commit as (select ${SOFT_COMMIT})
    select chat.*, s.state from async_commit, chat left join conversation_state s on s.identity_id = chat.id`;
}

/**
 * A state upsert that commits without waiting for the disk, for states a crash may forget (the
 * topic of a conversation: the citizen would only be asked "which procedure?" once more).
 */
const softStateStatement = () => sql`
  with async_commit as (select ${SOFT_COMMIT})
  insert into conversation_state (identity_id, state, updated_at)
  select ${value('id')}, ${value('state')}::jsonb, ${value('now')}::timestamptz from async_commit
  on conflict (identity_id) do update set state = excluded.state, updated_at = excluded.updated_at`;

/**
 * The dialog's conversation store (bot/core/ports.ts) over the database. Every inbound message is one statement (and
 * so one commit, the costly part on PostgreSQL): its id recorded, the chat upserted, the message
 * counted, the state read. A redelivered id makes the whole statement write nothing.
 *
 * That commit does not wait for the disk (synchronous_commit off, for this transaction only):
 * a database crash in the next fraction of a second may forget the update id, the last-seen time
 * and one count, none of which a citizen relies on (Telegram has had its 200 and will not resend;
 * a resent one would be answered again). It makes a message cost a round trip instead of an
 * fsync, which is most of the webhook's time on PostgreSQL. State changes commit normally.
 */
export function createConversationStore(db: Database, clock: Clock) {
  // Compiled once: this runs for every message on every channel (db/statement.ts says why).
  const arrival = { update: compileStatement<ArrivalRow>(db, arrivalStatement(true)), open: compileStatement<ArrivalRow>(db, arrivalStatement(false)) };
  const saveSoftly = compileStatement(db, softStateStatement());

  async function arrive(channel: ChannelName, externalId: string, updateId: string | undefined, displayName?: string) {
    const at = clock.now();
    const values = { channel, externalId, updateId, name: displayName || null, now: at.toISOString(), day: localIsoDate(at) };
    const [row] = await (updateId === undefined ? arrival.open : arrival.update)(values);
    if (!row) return null;
    const identity: ChatIdentity = {
      id: Number(row.id),
      channel: row.channel as ChannelName,
      externalId: row.external_id,
      locale: asLocale(row.locale),
      displayName: row.display_name,
      citizenId: row.citizen_id === null ? null : Number(row.citizen_id),
      officeId: row.office_id === null ? null : Number(row.office_id),
    };
    // postgres.js hands jsonb from a raw query back as text; PGlite parses it.
    const state = typeof row.state === 'string' ? (JSON.parse(row.state) as DialogState) : row.state;
    return { identity, state };
  }

  return {
    receive: arrive,

    async markProcessed(channel: ChannelName, updateId: string): Promise<boolean> {
      const inserted = await db
        .insert(processedUpdates)
        .values({ channel, updateId, receivedAt: clock.now() })
        .onConflictDoNothing()
        .returning({ updateId: processedUpdates.updateId });
      return inserted.length === 1;
    },

    async forget(channel: ChannelName, updateId: string): Promise<void> {
      await db.delete(processedUpdates).where(and(eq(processedUpdates.channel, channel), eq(processedUpdates.updateId, updateId)));
    },

    async open(channel: ChannelName, externalId: string, displayName?: string) {
      const opened = await arrive(channel, externalId, undefined, displayName);
      if (!opened) throw new Error('identity upsert returned no row');
      return opened;
    },

    async save(identityId: number, state: DialogState | null, locale?: Locale, options?: { soft: boolean }): Promise<void> {
      const now = clock.now();
      if (locale) await db.update(identities).set({ locale }).where(eq(identities.id, identityId));
      if (state !== null && options?.soft) {
        await saveSoftly({ id: identityId, state: JSON.stringify(state), now: now.toISOString() });
        return;
      }
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
