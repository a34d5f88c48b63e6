import type { BroadcastRenderer } from '../../domain/outreach/broadcasts';
import type { ReminderRenderer } from '../../domain/outreach/reminders';
import type { Locale, Translate } from '../../vocabulary/locales';

/**
 * How planned reminders read in a chat: the text in the chat's language and a button that
 * turns this kind off (the citizen's settings, one tap away from the message that bothered them).
 */
export function createReminderRenderer(translator: (locale: Locale) => Translate): ReminderRenderer {
  return (kind, params, locale) => {
    const t = translator(locale);
    return [{ text: t(`reminders.${kind}`, params), buttons: [[{ label: t('reminders.turnOff'), action: `settings:mute:${kind}` }]] }];
  };
}

/**
 * How an announcement reads: the official's text as written (its length was checked against
 * each channel's limit), their link button if any, and a button to stop announcements.
 */
export function createBroadcastRenderer(translator: (locale: Locale) => Translate): BroadcastRenderer {
  return ({ text, link }, locale) => {
    const t = translator(locale);
    return [{ text, buttons: [...(link ? [[{ label: link.label, url: link.url }]] : []), [{ label: t('broadcasts.stop'), action: 'stop' }]] }];
  };
}
