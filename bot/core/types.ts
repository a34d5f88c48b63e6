/**
 * The channel-agnostic dialog contract. Adapters (Telegram, Zalo, web chat, terminal) map their
 * updates to an {@link InboundEnvelope} and render {@link Reply} values in their own terms. Nothing
 * in bot/core or bot/flows knows which channel it talks to.
 */

import type { ChannelName } from '../../vocabulary/channels';

/** What a citizen did, in channel-neutral terms. */
export type Inbound =
  /** Free text typed by the citizen. */
  | { kind: 'text'; text: string }
  /** A button press; `action` is the {@link ActionButton.action} the button carried. */
  | { kind: 'action'; action: string }
  /**
   * A phone number shared by the channel. `verified` is true only when the channel proves the
   * number belongs to the sender (Telegram: contact.user_id === from.id). Zalo's user_submit_info
   * form is never proof: its number may have been typed, so it is a claim a one-time code must prove.
   */
  | { kind: 'contact'; phone: string; verified: boolean }
  /** The conversation was opened, possibly through a deep link (`/start p_1.001193`, `?p=`). */
  | { kind: 'start'; payload?: string }
  /** Something we cannot read (a sticker, a photo, a voice note). */
  | { kind: 'unsupported'; what: string };

export interface InboundEnvelope {
  channel: ChannelName;
  /** The chat's id on its channel (Telegram chat id, Zalo user id, web session id). */
  externalId: string;
  /** The channel's id for this event, used to handle a redelivered event once. */
  updateId?: string;
  displayName?: string;
  /**
   * The sender's network address, where the channel sees one (the web chat; Telegram and Zalo
   * relay through their servers). Guesses are limited per address as well as per chat, because
   * a new web chat costs nothing.
   */
  origin?: string;
  message: Inbound;
}
