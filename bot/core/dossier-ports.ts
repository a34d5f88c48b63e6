import type { DossierView } from '../../domain/dossiers/render';
import type { Result } from '../../lib/result';

/** The chat asking: its id and, when it proved a phone, its citizen. */
export interface ChatRef {
  identityId: number;
  citizenId: number | null;
  /** The network address the message came from, where the channel sees it (the web chat). */
  origin?: string;
}

/** A dossier as the chat card shows it. */
export interface DossierCard extends DossierView {
  overdue: boolean;
  /** Whether this chat hears of changes (it chose to, or it is linked to the applicant). */
  following: boolean;
}

export type LookupOutcome =
  | { ok: true; card: DossierCard }
  /** Ask for the last 4 digits of the applicant's phone (also said for a code that does not exist). */
  | { ok: false; reason: 'needs_phone' }
  /** Wrong code or wrong digits: the same answer for both. */
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'rate_limited'; retryAfterMinutes: number }
  /** Too many wrong digits from the sender's network address today. */
  | { ok: false; reason: 'too_many_guesses'; retryAfterHours: number };

/**
 * Dossier look-up for citizens. Lookups are counted per chat (10 an hour) in the database, and
 * digit checks per dossier and per address whoever asks (see domain/dossiers/lookup.ts); a chat
 * that proved a dossier may view and follow it later without proving it again.
 *
 * @example
 * const first = await ctx.services.dossiers.lookup(chat, 'H19.22-261122-0001');
 * if (!first.ok && first.reason === 'needs_phone') ask for the digits, then lookup(chat, code, '5678')
 */
export interface DossierPort {
  lookup(chat: ChatRef, receiptCode: string, lastFour?: string): Promise<LookupOutcome>;
  /** The card of a dossier this chat has proved before (from a notice's button). */
  view(chat: ChatRef, dossierId: number): Promise<Result<DossierCard, 'not_allowed'>>;
  follow(chat: ChatRef, dossierId: number, on: boolean): Promise<Result<DossierCard, 'not_allowed'>>;
}

/** The longest satisfaction comment kept; a citizen writing more is asked to shorten it. */
export const MAX_FEEDBACK_COMMENT = 1000;

/** Satisfaction ratings, one per dossier, from a chat that may speak for it. */
export interface FeedbackPort {
  rate(chat: ChatRef, dossierId: number, rating: number): Promise<Result<{ receiptCode: string }, 'not_allowed' | 'already_rated'>>;
  /** Adds the optional comment to the rating this chat gave. */
  comment(chat: ChatRef, dossierId: number, text: string): Promise<Result<void, 'not_allowed'>>;
}
