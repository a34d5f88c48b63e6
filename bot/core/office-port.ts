import type { AreaChoice, ChatOffice } from '../../domain/catalog/chat-office';
import type { StoredOffice } from '../../domain/catalog/store';
import type { ChatIdentity } from '../../domain/messaging/conversations';

/**
 * The office that serves a chat: where an answer sends the citizen, whose hours, phone, same-day
 * days and days off it names. Read from memory (the catalog's office directory), so a message
 * pays no round trip for it; set from the commune/ward the citizen names, an office's link or QR
 * code, or a dossier they looked up (domain/catalog/chat-office.ts).
 *
 * @example
 * const where = await ctx.services.offices.officeFor(ctx.identity);
 * if (where.kind === 'ask') return askPlace(ctx, where, `ask:w:${code}`);
 */
export interface OfficePort {
  /** The chat's office, the only office, or `ask` (several offices: ask where they live) or `none`. */
  officeFor(identity: ChatIdentity): Promise<ChatOffice>;
  /** An office by id (a dossier's), from memory. */
  byId(officeId: number): Promise<StoredOffice | null>;
  /** The citizen picked their commune/ward: their area, and their office when one serves it. Null for an unknown code. */
  chooseArea(identity: ChatIdentity, areaCode: string): Promise<AreaChoice | null>;
  /** An office's link was opened: the office it names serves the chat; null when it names none. */
  fromLink(identity: ChatIdentity, reference: string): Promise<StoredOffice | null>;
  /** A dossier of this office was looked up: it serves the chat if the chat has no office yet. */
  adopt(identity: ChatIdentity, officeId: number): Promise<void>;
}
