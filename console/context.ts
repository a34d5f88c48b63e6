import type { Context } from 'hono';
import type { Database } from '../db/types';
import type { Catalog } from '../domain/catalog/store';
import type { OtpDeps } from '../domain/certification/otp';
import type { DossierService } from '../domain/dossiers/store';
import type { BroadcastRenderer } from '../domain/outreach/broadcasts';
import type { BlobStore } from '../lib/blob-store';
import type { Clock } from '../lib/clock';
import type { Logger } from '../lib/logger';
import type { Actor } from '../vocabulary/actors';
import type { Locale, Translate } from '../vocabulary/locales';
import type { FeeTable } from '../vocabulary/settings';

/** A signed-in console visitor. */
export interface SignedIn {
  actor: Actor;
  /** The session cookie's value: only to end or keep this session, never rendered. */
  token: string;
  /** Every form carries it in `_csrf`; derived from the session, so it needs no storage. */
  csrf: string;
  mustChangePassword: boolean;
}

/** What every console request carries (set by ./session.ts). */
export interface ConsoleVariables {
  locale: Locale;
  t: Translate;
  staff: SignedIn | undefined;
}

export type ConsoleEnv = { Variables: ConsoleVariables };
export type ConsoleContext = Context<ConsoleEnv>;

/** What the console's pages are built from; the same domain objects the API is given. */
export interface ConsoleBase {
  db: Database;
  clock: Clock;
  logger: Logger;
  translator: (locale: Locale) => Translate;
  secureCookies: boolean;
}

/** The signed-in visitor of a page behind `requireRole` (which guarantees one). */
export function signedIn(c: ConsoleContext): SignedIn {
  const staff = c.get('staff');
  if (!staff) throw new Error('a console page behind requireRole ran without a session');
  return staff;
}

/** What the certification pages share with the API's routes (runtime/certification.ts builds it). */
export interface CertificationSettings {
  otp: OtpDeps;
  feeTable: FeeTable;
  /** The citizen's texts (bot/locales), for the notices a staff action queues. */
  citizenTexts: (locale: Locale) => Translate;
  blobs: BlobStore;
  uploadMaxBytes: number;
}

export interface ConsoleDeps extends ConsoleBase {
  certification: CertificationSettings;
  dossiers: DossierService;
  /** The procedures and offices (office names in lists and forms). */
  catalog: Catalog;
  /** How an announcement looks in a chat (bot/notices): the previews and test sends use the real one. */
  renderBroadcast: BroadcastRenderer;
}
