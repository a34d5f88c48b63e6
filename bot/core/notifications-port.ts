import type { ChatIdentity } from './types';

/** The reminder switches shown in settings, in the order shown. */
export const REMINDER_SWITCHES = ['appointment', 'result_ready', 'supplement', 'certification', 'permit_expiry'] as const;
export type ReminderSwitch = (typeof REMINDER_SWITCHES)[number];

/** Announcement topics a citizen may subscribe to (labels in locales: `settings.topic_<name>`). */
export const TOPICS = ['general', 'civil_status', 'land', 'business', 'social', 'disaster'] as const;

/** A chat's notification settings as the settings flow shows them. */
export interface NotificationView {
  /** Reminder switches turned off. */
  muted: string[];
  area: { code: string; name: string } | null;
  topics: string[];
  /** The citizen said /stop. */
  stopped: boolean;
}

export interface NotificationChange {
  mute?: { kind: ReminderSwitch; off: boolean };
  topic?: { name: string; subscribed: boolean };
  /** An area code, or null to clear the area. */
  area?: string | null;
  stopped?: boolean;
}

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
  /** Communes/wards whose name contains what the citizen typed (accents optional). */
  findAreas(typed: string): Promise<{ code: string; name: string }[]>;
}
