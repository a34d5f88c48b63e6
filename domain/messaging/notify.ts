import { and, inArray, isNull } from 'drizzle-orm';
import { identities } from '../../db/schema';
import type { Executor } from '../../db/types';
import { outsideQuietHours } from '../../lib/vn-time';
import type { ChannelName } from '../../vocabulary/channels';
import { asLocale, type Locale } from '../../vocabulary/locales';
import type { TemplateData } from '../../vocabulary/messages';
import type { Reply } from '../../vocabulary/replies';
import { notificationFilter, type RecipientFilter } from './notification-settings';
import { enqueue, PRIORITY } from './outbox';

/** A proactive message to some chats, rendered per chat in that chat's language. */
export interface Notice {
  /** status_change, reminder_appointment, certification, broadcast, ... (reports, opt-outs, ZNS template). */
  kind: string;
  render: (locale: Locale) => Reply[];
  /** The structured form for template-only channels (ZNS). */
  template?: TemplateData;
  /** Unique per change: `dossier:42:ready`. The chat id is appended per recipient. */
  dedupeKey: string;
  /** When it may go at the earliest (defaults to now); quiet hours push it to 07:00. */
  notBefore?: Date;
  /** Answers to the citizen's own request (OTP, their certification) ignore quiet hours. */
  urgent?: boolean;
  /** What it is about (`dossier:42`), so its pending rows can be followed or cancelled together. */
  subject?: string;
}

/**
 * Queues a notice to the given chats, in the caller's transaction: skips chats that blocked the
 * bot, applies the recipient filter (the citizen's settings by default), defers to 07:00 during
 * quiet hours, and keys each row so the same change never notifies a chat twice. Returns how
 * many rows were queued.
 */
export async function notifyChats(
  executor: Executor,
  identityIds: number[],
  notice: Notice,
  options: { now: Date; filter?: RecipientFilter },
): Promise<number> {
  if (identityIds.length === 0) return 0;
  const allowed = await (options.filter ?? notificationFilter)(executor, identityIds, notice.kind);
  if (allowed.length === 0) return 0;
  const chats = await executor
    .select({ id: identities.id, channel: identities.channel, locale: identities.locale })
    .from(identities)
    .where(and(inArray(identities.id, allowed), isNull(identities.blockedAt)));
  const due = notice.notBefore ?? options.now;
  const notBefore = notice.urgent ? due : outsideQuietHours(due);
  return enqueue(
    executor,
    chats.map((chat) => ({
      identityId: chat.id,
      channel: chat.channel as ChannelName,
      kind: notice.kind,
      replies: notice.render(asLocale(chat.locale)),
      dedupeKey: `${notice.dedupeKey}:${chat.id}`,
      notBefore,
      priority: notice.urgent ? PRIORITY.reply : PRIORITY.notification,
      ...(notice.subject ? { subject: notice.subject } : {}),
      ...(notice.template ? { template: notice.template } : {}),
    })),
    options.now,
  );
}
