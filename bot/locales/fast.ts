import type { Locale, Translate } from '../../vocabulary/locales';

/** Options that mean more to i18next than "fill in this placeholder": such calls go to i18next. */
const I18NEXT_OPTIONS = new Set([
  'context',
  'ordinal',
  'defaultValue',
  'lng',
  'lngs',
  'fallbackLng',
  'ns',
  'returnObjects',
  'returnDetails',
  'joinArrays',
  'postProcess',
  'interpolation',
  'keySeparator',
  'nsSeparator',
  'replace',
]);
/** Texts using nesting ($t), unescaped ({{- x}}) or formatted ({{x, number}}) values go to i18next. */
const NEEDS_I18NEXT = /\$t\(|\{\{-|\{\{[^}]*,/;
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
/** i18next's plural suffixes: a key with such variants needs i18next to pick one for a count. */
const PLURAL = /_(zero|one|two|few|many|other)$/;

type Resources = Record<Locale, Record<string, Record<string, string>>>;

/**
 * A translator that answers the common calls (a key, perhaps with plain values for its
 * placeholders) from a precompiled table, and hands everything else to i18next. i18next's t()
 * costs tens of microseconds a call, and a procedure card makes dozens of calls, which made it
 * the largest single cost of answering a webhook. The results are the same as i18next's
 * (tests/unit/fast-translate.test.ts compares every key of every locale).
 *
 * @example
 * const translate = fastTranslator(resources, 'vi', (locale) => (key, o) => fixed[locale](key, o ?? {}));
 * translate('en')('menu.greeting', { name: ' Lan' });
 */
export function fastTranslator(resources: Resources, fallback: Locale, slow: (locale: Locale) => Translate): (locale: Locale) => Translate {
  // key -> compiled template, or null when the text needs i18next's own machinery.
  const tables = new Map<Locale, Map<string, Template | null>>();
  const plurals = new Set<string>();
  for (const [locale, areas] of Object.entries(resources) as [Locale, Record<string, Record<string, string>>][]) {
    const table = new Map<string, Template | null>();
    for (const [area, texts] of Object.entries(areas)) {
      for (const [key, text] of Object.entries(texts)) {
        table.set(`${area}.${key}`, typeof text === 'string' && !NEEDS_I18NEXT.test(text) ? compile(text) : null);
        if (PLURAL.test(key)) plurals.add(`${area}.${key.replace(PLURAL, '')}`);
      }
    }
    tables.set(locale, table);
  }
  const translators = new Map<Locale, Translate>();
  for (const [locale, own] of tables) {
    // The fallback's texts under this locale's own: one look-up per call.
    const merged = new Map([...(tables.get(fallback) ?? []), ...own]);
    const viaI18next = slow(locale);
    translators.set(locale, (key, options) => {
      const template = merged.get(key);
      if (!template || (options && !plain(options, plurals.has(key)))) return viaI18next(key, options);
      return options ? fill(template, options) : template.text;
    });
  }
  return (locale) => translators.get(locale) ?? slow(locale);
}

/** A text split at its placeholders: texts[0] names[0] texts[1] names[1] ... texts[n]. */
interface Template {
  text: string;
  texts: string[];
  names: string[];
  /** Each placeholder as written, for a value that is not given. */
  written: string[];
}

function compile(text: string): Template {
  const texts: string[] = [];
  const names: string[] = [];
  const written: string[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    texts.push(text.slice(last, match.index));
    names.push(match[1] as string);
    written.push(match[0]);
    last = match.index + match[0].length;
  }
  texts.push(text.slice(last));
  return { text, texts, names, written };
}

function fill(template: Template, options: Record<string, unknown>): string {
  let out = template.texts[0] as string;
  for (let i = 0; i < template.names.length; i++) {
    const name = template.names[i] as string;
    // i18next leaves a placeholder it has no value for as it is, and prints null as nothing.
    if (!Object.hasOwn(options, name)) out += template.written[i] as string;
    else {
      const value = options[name];
      out += value === undefined || value === null ? '' : String(value);
    }
    out += template.texts[i + 1] as string;
  }
  return out;
}

/** Only simple values, and nothing i18next reads as an instruction (a count only where no plural forms exist). */
function plain(options: Record<string, unknown>, hasPlurals: boolean): boolean {
  for (const name in options) {
    if (!Object.hasOwn(options, name)) continue;
    if (I18NEXT_OPTIONS.has(name) || (name === 'count' && hasPlurals)) return false;
    const value = options[name];
    if (value !== null && value !== undefined && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return false;
  }
  return true;
}
