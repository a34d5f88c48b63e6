import type { Inbound, InboundEnvelope } from '../../core/types';
import { callbackQuerySchema, messageSchema, type TelegramMessage, updateSchema } from './schema';

/** An update the dialog should see, with what the adapter needs to answer it. */
export interface NormalizedUpdate {
  envelope: InboundEnvelope;
  /** Where replies go (the private chat's id). */
  chatId: number;
  /** Set for a button press; Telegram shows a spinner until it is answered. */
  callbackQueryId?: string;
  /** The Telegram client's language, used only when the stored one is unknown (the apology). */
  languageCode?: string;
}

/** Updates the assistant does not act on (groups, edits, channel posts), with the reason for the log. */
export interface IgnoredUpdate {
  ignored: string;
  callbackQueryId?: string;
}

/** Message fields that carry content we cannot read; the first one present names it. */
const UNSUPPORTED = ['photo', 'sticker', 'voice', 'video', 'video_note', 'audio', 'document', 'animation', 'location', 'venue', 'poll', 'dice'] as const;

/** `/cmd`, `/cmd@SomeBot`, with optional arguments. */
const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s+([\s\S]*))?$/;
/** A deep-link payload as the dialog accepts it (Telegram allows A-Z a-z 0-9 _ - and at most 64). */
const START_PAYLOAD = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Maps a Telegram Update to the dialog's channel-neutral envelope. Only private chats are
 * served: a one-stop office answers people, and contact sharing works only in private chats.
 *
 * @example
 * normalizeUpdate({ update_id: 7, message: { message_id: 1, chat: { id: 42, type: 'private' }, text: '/start p_1.001193' } })
 * // { envelope: { channel: 'telegram', externalId: '42', updateId: '7', message: { kind: 'start', payload: 'p_1.001193' } }, chatId: 42 }
 */
export function normalizeUpdate(update: unknown): NormalizedUpdate | IgnoredUpdate {
  const parsed = updateSchema.safeParse(update);
  if (!parsed.success) return { ignored: 'not an update' };
  const updateId = String(parsed.data.update_id);

  if (parsed.data.callback_query !== undefined) {
    const query = callbackQuerySchema.safeParse(parsed.data.callback_query);
    if (!query.success) return { ignored: 'unreadable callback query' };
    const { id, from, data, message } = query.data;
    // A private chat's id is the user's id, so a button on an inline message still finds its chat.
    const chat = message?.chat ?? { id: from.id, type: 'private' };
    if (chat.type !== 'private') return { ignored: `callback in a ${chat.type} chat`, callbackQueryId: id };
    if (!data) return { ignored: 'callback without data', callbackQueryId: id };
    return {
      envelope: { channel: 'telegram', externalId: String(chat.id), updateId, ...displayName(from.first_name), message: { kind: 'action', action: data } },
      chatId: chat.id,
      callbackQueryId: id,
      ...languageOf(from.language_code),
    };
  }

  if (parsed.data.message !== undefined) {
    const message = messageSchema.safeParse(parsed.data.message);
    if (!message.success) return { ignored: 'unreadable message' };
    const { chat, from } = message.data;
    if (chat.type !== 'private') return { ignored: `message in a ${chat.type} chat` };
    return {
      envelope: { channel: 'telegram', externalId: String(chat.id), updateId, ...displayName(from?.first_name), message: toInbound(message.data) },
      chatId: chat.id,
      ...languageOf(from?.language_code),
    };
  }

  return { ignored: 'update type not handled' };
}

export const isIgnored = (result: NormalizedUpdate | IgnoredUpdate): result is IgnoredUpdate => 'ignored' in result;

function toInbound(message: TelegramMessage): Inbound {
  if (message.contact) {
    const { phone_number: phone, user_id: owner } = message.contact;
    // Only the sender's own contact proves the number; any card from the address book can be shared.
    const verified = owner !== undefined && owner === message.from?.id;
    // Telegram gives the sender's own number in international digits without the plus.
    return { kind: 'contact', phone: verified && /^\d+$/.test(phone) ? `+${phone}` : phone, verified };
  }
  if (message.text !== undefined) return textInbound(message.text);
  const what = UNSUPPORTED.find((key) => key in message) ?? 'other';
  return { kind: 'unsupported', what };
}

function textInbound(text: string): Inbound {
  const command = COMMAND.exec(text.trim());
  if (!command) return { kind: 'text', text };
  const [, name = '', rest] = command;
  const args = rest?.trim() ?? '';
  if (name.toLowerCase() === 'start') return START_PAYLOAD.test(args) ? { kind: 'start', payload: args } : { kind: 'start' };
  return { kind: 'text', text: args ? `/${name} ${args}` : `/${name}` };
}

const displayName = (name: string | undefined) => (name?.trim() ? { displayName: name.trim().slice(0, 64) } : {});
const languageOf = (code: string | undefined) => (code ? { languageCode: code } : {});
