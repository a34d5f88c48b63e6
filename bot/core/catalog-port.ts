import type { Office, Procedure } from '../../knowledge/schema';
import type { SearchHit, SearchResult } from '../../knowledge/search';
import type { ChannelName } from './types';

/**
 * The procedure catalog as flows see it: search the index built at start, read a procedure and
 * the office, build share links, and remember questions nobody could answer.
 *
 * @example
 * const found = await ctx.services.procedures.search('lam giay khai sinh');
 * if (found.decision === 'one') return card(ctx, await ctx.services.procedures.get(found.choices[0].code));
 */
export interface ProcedureCatalog {
  search(query: string): Promise<SearchResult>;
  get(code: string): Promise<Procedure | null>;
  /** The office citizens are sent to (the first one configured), or null when none is. */
  office(): Promise<Office | null>;
  /** The link that opens this procedure's card (Telegram bot or web chat). */
  link(code: string): string;
  /** Stores a question with no good answer (digits masked) for the admins' list. */
  recordUnanswered(entry: { query: string; channel: ChannelName; best?: SearchHit | undefined }): Promise<void>;
}
