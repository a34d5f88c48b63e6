import { createInstance } from 'i18next';

/**
 * An i18next instance over bundled texts, initialised synchronously: Vietnamese first and the
 * fallback, no HTML escaping (chat replies are not HTML; the console's JSX escapes what it renders).
 *
 * @example i18nextOver({ vi: viTexts, en: enTexts }).getFixedT('en')('menu.title')
 */
export function i18nextOver(texts: Record<'vi' | 'en', object>) {
  const i18n = createInstance();
  void i18n.init({
    resources: { vi: { translation: texts.vi }, en: { translation: texts.en } },
    lng: 'vi',
    fallbackLng: 'vi',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18n;
}
