export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'vi';

/** A stored or reported language as one we speak, falling back to Vietnamese. */
export const asLocale = (value: string): Locale => LOCALES.find((l) => l === value) ?? DEFAULT_LOCALE;

/** Looks up a citizen-facing text in the chat's language (i18next's getFixedT underneath). */
export type Translate = (key: string, options?: Record<string, unknown>) => string;
