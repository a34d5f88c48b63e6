import type { Database } from '../../../db/types';
import type { ChatSender } from '../../../domain/messaging/senders';
import { putInWebInbox } from '../../../domain/messaging/web-inbox';
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
      if (!(await putInWebInbox(db, externalId, replies, clock.now()))) return { status: 'invalid', error: 'web chat session not found' };
      return { status: 'sent' };
    },
  };
}
