/**
 * The channel-agnostic dialog contract. Adapters (Telegram, Zalo, web chat, terminal) map their
 * updates to an {@link InboundEnvelope} and render {@link Reply} values in their own terms. Nothing
 * in bot/core or bot/flows knows which channel it talks to.
 */

export const CHANNELS = ['telegram', 'zalo', 'web', 'cli'] as const;
export type ChannelName = (typeof CHANNELS)[number];

export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'vi';

/** A stored or reported language as one we speak, falling back to Vietnamese. */
export const asLocale = (value: string): Locale => LOCALES.find((l) => l === value) ?? DEFAULT_LOCALE;

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

/** Action strings travel in Telegram callback_data, so they must stay within 64 bytes. */
export const MAX_ACTION_BYTES = 64;

export interface ActionButton {
  label: string;
  /** `<flow>:<rest>` or a global action such as `menu`; at most 64 bytes of UTF-8. */
  action: string;
}
export interface UrlButton {
  label: string;
  url: string;
}
export type Button = ActionButton | UrlButton;

export const isUrlButton = (b: Button): b is UrlButton => 'url' in b;

/**
 * One message to the citizen. `text` is plain text (adapters escape it); `title` is shown bold
 * where the channel can. Buttons are rows of buttons.
 */
export interface Reply {
  title?: string;
  text: string;
  buttons?: Button[][];
  /** Ask the citizen to share their phone number with the channel's own button, where it has one. */
  requestContact?: { label: string };
}

/** What a flow remembers between messages, stored per chat in conversation_state. */
export interface DialogState {
  flow: string;
  step: string;
  data: Record<string, unknown>;
}

/** The chat as the dialog sees it. */
export interface ChatIdentity {
  id: number;
  channel: ChannelName;
  externalId: string;
  locale: Locale;
  displayName: string | null;
  /** The citizen this chat is linked to by a verified phone, if any. */
  citizenId: number | null;
}
