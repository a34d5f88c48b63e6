import { createInstance } from 'i18next';
import type { Translate } from '../core/flow';
import type { Locale } from '../core/types';
import enCommon from './en/common.json';
import enHelp from './en/help.json';
import enMenu from './en/menu.json';
import enSettings from './en/settings.json';
import viCommon from './vi/common.json';
import viHelp from './vi/help.json';
import viMenu from './vi/menu.json';
import viSettings from './vi/settings.json';

/**
 * Citizen-facing texts, one JSON file per area and language, bundled (no file reads at run time,
 * so the Worker gets them too). Keys are `<area>.<key>`, e.g. `menu.greeting`.
 */
export const resources = {
  vi: { common: viCommon, menu: viMenu, help: viHelp, settings: viSettings },
  en: { common: enCommon, menu: enMenu, help: enHelp, settings: enSettings },
} satisfies Record<Locale, Record<string, Record<string, string>>>;

/** Initialises i18next once; `translator(locale)` is then cheap per message. */
export function createTranslator(): (locale: Locale) => Translate {
  const i18n = createInstance();
  void i18n.init({
    resources: { vi: { translation: resources.vi }, en: { translation: resources.en } },
    lng: 'vi',
    fallbackLng: 'vi',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const fixed = { vi: i18n.getFixedT('vi'), en: i18n.getFixedT('en') };
  return (locale) => (key, options) => fixed[locale](key, options ?? {}) as string;
}
