import { i18nextOver } from '../../lib/i18next';
import type { Locale, Translate } from '../../vocabulary/locales';
import enAsk from './en/ask.json';
import enBroadcasts from './en/broadcasts.json';
import enCertify from './en/certify.json';
import enCommon from './en/common.json';
import enDossier from './en/dossier.json';
import enFeedback from './en/feedback.json';
import enHelp from './en/help.json';
import enMenu from './en/menu.json';
import enPlace from './en/place.json';
import enReminders from './en/reminders.json';
import enSettings from './en/settings.json';
import enStafflink from './en/stafflink.json';
import enTalk from './en/talk.json';
import { fastTranslator } from './fast';
import viAsk from './vi/ask.json';
import viBroadcasts from './vi/broadcasts.json';
import viCertify from './vi/certify.json';
import viCommon from './vi/common.json';
import viDossier from './vi/dossier.json';
import viFeedback from './vi/feedback.json';
import viHelp from './vi/help.json';
import viMenu from './vi/menu.json';
import viPlace from './vi/place.json';
import viReminders from './vi/reminders.json';
import viSettings from './vi/settings.json';
import viStafflink from './vi/stafflink.json';
import viTalk from './vi/talk.json';

/**
 * Citizen-facing texts, one JSON file per area and language, bundled (no file reads at run time,
 * so any bundle of the app carries them). Keys are `<area>.<key>`, e.g. `menu.greeting`.
 */
export const resources = {
  vi: {
    ask: viAsk,
    common: viCommon,
    dossier: viDossier,
    feedback: viFeedback,
    menu: viMenu,
    help: viHelp,
    settings: viSettings,
    reminders: viReminders,
    broadcasts: viBroadcasts,
    certify: viCertify,
    talk: viTalk,
    place: viPlace,
    stafflink: viStafflink,
  },
  en: {
    ask: enAsk,
    common: enCommon,
    dossier: enDossier,
    feedback: enFeedback,
    menu: enMenu,
    help: enHelp,
    settings: enSettings,
    reminders: enReminders,
    broadcasts: enBroadcasts,
    certify: enCertify,
    talk: enTalk,
    place: enPlace,
    stafflink: enStafflink,
  },
} satisfies Record<Locale, Record<string, Record<string, string>>>;

/**
 * An i18next instance over every area's texts, initialised synchronously: Vietnamese first and
 * the fallback, no HTML escaping (replies are not HTML).
 *
 * @example createI18next().getFixedT('en')('menu.title')
 */
export function createI18next() {
  return i18nextOver(resources);
}

/** Initialises i18next once; `translator(locale)` is then cheap per message. */
export function createTranslator(): (locale: Locale) => Translate {
  const i18n = createI18next();
  const fixed = { vi: i18n.getFixedT('vi'), en: i18n.getFixedT('en') };
  // Plain lookups skip i18next's per-call machinery (see ./fast.ts); the rest go through it.
  return fastTranslator(resources, 'vi', (locale) => (key, options) => fixed[locale](key, options ?? {}) as string);
}
