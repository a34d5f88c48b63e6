import { describe, expect, it } from 'vitest';
import { createI18next, createTranslator, resources } from '../../bot/locales';
import { fastTranslator } from '../../bot/locales/fast';
import type { Locale } from '../../vocabulary/locales';

/** i18next itself, set up as bot/locales does, to compare with. */
function reference() {
  const i18n = createI18next();
  return (locale: Locale) => (key: string, options?: Record<string, unknown>) => String(i18n.getFixedT(locale)(key, options ?? {}));
}

const translate = createTranslator();
const expected = reference();
const keys = (locale: Locale) => Object.entries(resources[locale]).flatMap(([area, texts]) => Object.keys(texts).map((k) => `${area}.${k}`));
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1] ?? '');

describe('fast translator', () => {
  it.each(['vi', 'en'] as const)('gives what i18next gives for every %s key, with and without values', (locale) => {
    const all = new Set([...keys('vi'), ...keys('en')]);
    for (const key of all) {
      expect(translate(locale)(key), key).toBe(expected(locale)(key));
      const names = placeholders(expected(locale)(key));
      if (names.length === 0) continue;
      const words = Object.fromEntries(names.map((n) => [n, `«${n}»`]));
      const numbers = Object.fromEntries(names.map((n, i) => [n, i + 7]));
      const some = Object.fromEntries(names.slice(1).map((n) => [n, 'x']));
      const empty = Object.fromEntries(names.map((n, i) => [n, [null, undefined, true, ''][i % 4]]));
      const counted = { ...words, count: 2 };
      expect(translate(locale)(key, empty), key).toBe(expected(locale)(key, empty));
      expect(translate(locale)(key, counted), key).toBe(expected(locale)(key, counted));
      expect(translate(locale)(key, words), key).toBe(expected(locale)(key, words));
      expect(translate(locale)(key, numbers), key).toBe(expected(locale)(key, numbers));
      expect(translate(locale)(key, some), key).toBe(expected(locale)(key, some));
    }
  });

  it('falls back to Vietnamese for a key missing in English, and to the key itself when missing everywhere', () => {
    const t = fastTranslator({ vi: { a: { only: 'chỉ tiếng Việt' } }, en: { a: {} } }, 'vi', (locale) => (key) => `slow:${locale}:${key}`);
    expect(t('en')('a.only')).toBe('chỉ tiếng Việt');
    expect(t('en')('a.missing')).toBe('slow:en:a.missing');
    expect(translate('en')('nowhere.key')).toBe('nowhere.key');
  });

  it('hands plurals, nesting and formatting to i18next', () => {
    const slow = (locale: Locale) => (key: string) => `slow:${locale}:${key}`;
    const t = fastTranslator({ vi: { a: { nest: 'x $t(a.b)', fmt: '{{n, number}}', plain: '{{n}} cái' } }, en: { a: {} } }, 'vi', slow);
    expect(t('vi')('a.nest')).toBe('slow:vi:a.nest');
    expect(t('vi')('a.fmt', { n: 1 })).toBe('slow:vi:a.fmt');
    expect(t('vi')('a.plain', { n: 2 })).toBe('2 cái');
    const withPlurals = fastTranslator(
      { vi: { a: { item_one: '{{count}} item', item_other: '{{count}} items', item: '{{count}}' } }, en: { a: {} } },
      'vi',
      slow,
    );
    expect(withPlurals('vi')('a.item', { count: 2 })).toBe('slow:vi:a.item');
    expect(withPlurals('vi')('a.item', { n: { nested: true } })).toBe('slow:vi:a.item');
  });
});
