import { i18nextOver } from '../lib/i18next';
import { LOCALES, type Locale, type Translate } from '../vocabulary/locales';
import enAccounts from './locales/en/accounts.json';
import enBroadcasts from './locales/en/broadcasts.json';
import enCatalog from './locales/en/catalog.json';
import enCertification from './locales/en/certification.json';
import enCitizens from './locales/en/citizens.json';
import enCommon from './locales/en/common.json';
import enDossiers from './locales/en/dossiers.json';
import enHome from './locales/en/home.json';
import enSignIn from './locales/en/sign-in.json';
import enStats from './locales/en/stats.json';
import enTelephone from './locales/en/telephone.json';
import viAccounts from './locales/vi/accounts.json';
import viBroadcasts from './locales/vi/broadcasts.json';
import viCatalog from './locales/vi/catalog.json';
import viCertification from './locales/vi/certification.json';
import viCitizens from './locales/vi/citizens.json';
import viCommon from './locales/vi/common.json';
import viDossiers from './locales/vi/dossiers.json';
import viHome from './locales/vi/home.json';
import viSignIn from './locales/vi/sign-in.json';
import viStats from './locales/vi/stats.json';
import viTelephone from './locales/vi/telephone.json';

/**
 * The console's texts, one JSON file per page area and language, bundled like the chat's (no file
 * reads at run time). Keys are `<area>.<key>`, e.g. `common.signOut`. Vietnamese first and the
 * fallback; JSX escapes what it renders, so i18next does not.
 */
type Texts = { [key: string]: string | Texts };

export const resources = {
  vi: {
    accounts: viAccounts,
    catalog: viCatalog,
    certification: viCertification,
    citizens: viCitizens,
    common: viCommon,
    broadcasts: viBroadcasts,
    dossiers: viDossiers,
    home: viHome,
    signIn: viSignIn,
    stats: viStats,
    telephone: viTelephone,
  },
  en: {
    accounts: enAccounts,
    catalog: enCatalog,
    certification: enCertification,
    citizens: enCitizens,
    common: enCommon,
    broadcasts: enBroadcasts,
    dossiers: enDossiers,
    home: enHome,
    signIn: enSignIn,
    stats: enStats,
    telephone: enTelephone,
  },
} satisfies Record<Locale, Record<string, Texts>>;

export function createConsoleTranslator(): (locale: Locale) => Translate {
  const i18n = i18nextOver(resources);
  const fixed = Object.fromEntries(LOCALES.map((l) => [l, i18n.getFixedT(l)])) as Record<Locale, ReturnType<typeof i18n.getFixedT>>;
  return (locale) => (key, options) => fixed[locale](key, options ?? {}) as string;
}
