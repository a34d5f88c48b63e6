import type { ChatIdentity } from '../../domain/messaging/conversations';
import type { AreaSearch, NotificationChange, NotificationView } from '../../domain/messaging/notification-settings';

/**
 * What citizens control about proactive messages: reminder switches, their commune/ward and
 * announcement topics, and /stop. Settings belong to the citizen once the chat is linked by a
 * verified phone, so they follow them on every channel.
 *
 * @example
 * await ctx.services.notifications.change(ctx.identity, { mute: { kind: 'appointment', off: true } });
 */
export interface NotificationSettingsPort {
  view(identity: ChatIdentity): Promise<NotificationView>;
  /** Applies the change; an unknown area code changes nothing and resolves null. */
  change(identity: ChatIdentity, change: NotificationChange): Promise<NotificationView | null>;
  /**
   * The communes/wards the citizen meant by what they typed (accents, "P.1", number words and
   * typos forgiven): `matched` when they match it, else the closest few by spelling.
   */
  findAreas(typed: string): Promise<AreaSearch>;
}
