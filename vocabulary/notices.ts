/** The reminder switches shown in settings, in the order shown. */
export const REMINDER_SWITCHES = ['appointment', 'result_ready', 'supplement', 'certification', 'permit_expiry'] as const;
export type ReminderSwitch = (typeof REMINDER_SWITCHES)[number];

/** Announcement topics a citizen may subscribe to (labels in locales: `settings.topic_<name>`). */
export const TOPICS = ['general', 'civil_status', 'land', 'business', 'social', 'disaster'] as const;
