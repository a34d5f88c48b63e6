import type { Database } from '../../db/types';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import { isTransient } from '../../lib/transient';
import type { ChannelName } from '../../vocabulary/channels';
import type { Reply } from '../../vocabulary/replies';
import { type createConversationStore, findIdentity, markBlocked } from './conversations';
import { enqueue, PRIORITY } from './outbox';

export interface ChannelEventDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  store: Pick<ReturnType<typeof createConversationStore>, 'markProcessed' | 'open' | 'forget'>;
}

/**
 * What a channel's events do to the data, for adapters that answer through the outbox (Zalo): the
 * adapter verifies, parses and runs the dialog, then makes one of these calls. When the database
 * fails half way, the event's id is forgotten again, so the channel's redelivery is handled
 * instead of being dropped as a duplicate.
 *
 * @example
 * const events = createChannelEvents({ db, clock, logger, store });
 * await events.queueReplies('zalo', userId, eventId, replies);
 */
export function createChannelEvents(deps: ChannelEventDeps) {
  async function orForget(channel: ChannelName, updateId: string | undefined, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (isTransient(error) && updateId !== undefined)
        await deps.store
          .forget(channel, updateId)
          .catch((forgetError: unknown) => deps.logger.error('event id not forgotten; its redelivery will be dropped', { channel, error: forgetError }));
      throw error;
    }
  }

  return {
    /** The chat unfollowed or blocked the channel: recorded once, and no notice goes to it any more. */
    async chatLeft(channel: ChannelName, updateId: string, externalId: string): Promise<void> {
      if (!(await deps.store.markProcessed(channel, updateId))) return;
      await orForget(channel, updateId, async () => {
        const identity = await findIdentity(deps.db, channel, externalId);
        if (identity) await markBlocked(deps.db, identity.id, deps.clock.now());
      });
    },

    /**
     * Queues the dialog's replies for the delivery loop (priority `reply`), once per event. The
     * chat is found or created: when the dialog failed before it stored the chat, its apology
     * still goes out.
     */
    async queueReplies(channel: ChannelName, externalId: string, updateId: string | undefined, replies: Reply[]): Promise<void> {
      await orForget(channel, updateId, async () => {
        const identity = (await findIdentity(deps.db, channel, externalId)) ?? (await deps.store.open(channel, externalId)).identity;
        if (replies.length === 0) return;
        const dedupeKey = updateId === undefined ? undefined : `${channel}:reply:${updateId}`;
        await enqueue(
          deps.db,
          [{ identityId: identity.id, channel, kind: 'reply', replies, priority: PRIORITY.reply, ...(dedupeKey ? { dedupeKey } : {}) }],
          deps.clock.now(),
        );
      });
    },
  };
}

export type ChannelEvents = ReturnType<typeof createChannelEvents>;
