/**
 * What the assistant says, in channel-neutral terms: every channel adapter renders these, the
 * outbox stores them, and the dialog remembers its place in a DialogState.
 */

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
