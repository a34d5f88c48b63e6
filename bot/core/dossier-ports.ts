import type { ChatRef, DossierCard, LookupOutcome, OwnDossier } from '../../domain/dossiers/lookup';
import type { Result } from '../../lib/result';

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
  /** The latest dossiers of the chat's citizen, when the chat proved a phone (else none). */
  mine(chat: ChatRef): Promise<OwnDossier[]>;
  /** The card of a dossier this chat has proved before (from a notice's button). */
  view(chat: ChatRef, dossierId: number): Promise<Result<DossierCard, 'not_allowed'>>;
  follow(chat: ChatRef, dossierId: number, on: boolean): Promise<Result<DossierCard, 'not_allowed'>>;
}

/** Satisfaction ratings, one per dossier, from a chat that may speak for it. */
export interface FeedbackPort {
  rate(chat: ChatRef, dossierId: number, rating: number): Promise<Result<{ receiptCode: string }, 'not_allowed' | 'already_rated'>>;
  /** Adds the optional comment to the rating this chat gave. */
  comment(chat: ChatRef, dossierId: number, text: string): Promise<Result<void, 'not_allowed'>>;
}
