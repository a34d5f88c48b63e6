import { and, eq } from 'drizzle-orm';
import { identities, webInbox } from '../../../db/schema';
import type { Database } from '../../../db/types';
import type { ChatSender } from '../../../domain/messaging/senders';
import type { Clock } from '../../../lib/clock';

/**
 * The web chat has no push channel: "sending" puts the replies in the session's inbox, which
 * the page fetches.
 */
export function createWebSender(db: Database, clock: Clock): ChatSender {
  return {
    kind: 'chat',
    channel: 'web',
    ratePerSecond: 1000,
    perChatIntervalMs: 0,
    async send(externalId, { replies }) {
      const [identity] = await db
        .select({ id: identities.id })
        .from(identities)
        .where(and(eq(identities.channel, 'web'), eq(identities.externalId, externalId)));
      if (!identity) return { status: 'invalid', error: 'web chat session not found' };
      await db.insert(webInbox).values({ identityId: identity.id, payload: replies, createdAt: clock.now() });
      return { status: 'sent' };
    },
  };
}
