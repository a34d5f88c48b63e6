import type { InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'grammy/types';
import { type Button, isUrlButton, MAX_ACTION_BYTES, type Reply } from '../../../vocabulary/replies';

/** Telegram's limit for one message's text. */
export const MAX_MESSAGE_LENGTH = 4096;

/** One sendMessage call: the text (HTML) and the options beside the chat id. */
export interface OutgoingTelegramMessage {
  text: string;
  parse_mode: 'HTML';
  reply_markup?: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove;
}

export interface RenderOptions {
  /** The citizen just shared a contact: take the contact keyboard away with the first plain message. */
  removeKeyboard?: boolean;
  /** Characters per message; the tests lower it, nothing else should. */
  maxLength?: number;
}

/** Escapes text for Telegram's HTML parse mode (only < > & are special outside tags). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : '&gt;'));
}

/**
 * Renders the dialog's replies as sendMessage calls, in order. Each reply's title is bold; its
 * text is escaped and split into messages of at most 4096 characters (counted before Telegram
 * parses the HTML, which can only make them shorter) at paragraph, line or word boundaries, and
 * never inside a tag. The buttons ride on the last message of the reply.
 *
 * @example
 * renderReplies([{ title: 'Help', text: 'Type "menu" <any time>', buttons: [[{ label: 'Menu', action: 'menu' }]] }])
 * // [{ text: '<b>Help</b>\nType "menu" &lt;any time&gt;', parse_mode: 'HTML',
 * //    reply_markup: { inline_keyboard: [[{ text: 'Menu', callback_data: 'menu' }]] } }]
 */
export function renderReplies(replies: Reply[], options: RenderOptions = {}): OutgoingTelegramMessage[] {
  const max = options.maxLength ?? MAX_MESSAGE_LENGTH;
  const messages = replies.flatMap((reply) => renderReply(reply, max));
  const asksAgain = replies.some((r) => r.requestContact);
  if (options.removeKeyboard && !asksAgain) {
    const plain = messages.find((m) => m.reply_markup === undefined);
    if (plain) plain.reply_markup = { remove_keyboard: true };
  }
  return messages;
}

function renderReply(reply: Reply, max: number): OutgoingTelegramMessage[] {
  const title = reply.title ? `<b>${escapeHtml(reply.title)}</b>` : '';
  // A title too long to share a message with text is not a title any more: it is sent as text.
  const titleFits = title.length + 1 < max / 2;
  const head = titleFits ? title : '';
  const body = titleFits || !reply.title ? reply.text : `${reply.title}\n${reply.text}`;
  const pieces = splitText(body, max, head ? max - head.length - 1 : max);
  const texts = pieces.map((piece, i) => (i === 0 && head ? (piece ? `${head}\n${piece}` : head) : piece)).filter((t) => t.length > 0);
  const messages: OutgoingTelegramMessage[] = texts.map((text) => ({ text, parse_mode: 'HTML' }));
  const last = messages.at(-1);
  if (!last) return [];
  const keyboard = reply.buttons?.length ? inlineKeyboard(reply.buttons) : undefined;
  if (keyboard) last.reply_markup = keyboard;
  if (reply.requestContact) {
    const contactKeyboard: ReplyKeyboardMarkup = {
      keyboard: [[{ text: reply.requestContact.label, request_contact: true }]],
      one_time_keyboard: true,
      resize_keyboard: true,
    };
    // One message carries one keyboard: with inline buttons too, the contact button comes on its own.
    if (keyboard) messages.push({ text: escapeHtml(reply.requestContact.label), parse_mode: 'HTML', reply_markup: contactKeyboard });
    else last.reply_markup = contactKeyboard;
  }
  return messages;
}

function inlineKeyboard(rows: Button[][]): InlineKeyboardMarkup {
  return {
    inline_keyboard: rows
      .filter((row) => row.length > 0)
      .map((row) =>
        row.map((button): InlineKeyboardButton => {
          if (isUrlButton(button)) return { text: button.label, url: button.url };
          if (new TextEncoder().encode(button.action).length > MAX_ACTION_BYTES) {
            throw new Error(`callback data longer than ${MAX_ACTION_BYTES} bytes: ${button.action}`);
          }
          return { text: button.label, callback_data: button.action };
        }),
      ),
  };
}

/** Escaped length of one character. */
const cost = (ch: string) => (ch === '&' ? 5 : ch === '<' || ch === '>' ? 4 : 1);

/**
 * Splits plain text into escaped pieces of at most `max` characters (`firstMax` for the first).
 * Splitting happens before escaping, so an entity such as `&amp;` is never cut in two.
 */
function splitText(text: string, max: number, firstMax: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  let budget = firstMax;
  while (rest.length > 0) {
    // The longest prefix whose escaped form fits.
    let fit = 0;
    let used = 0;
    while (fit < rest.length) {
      const c = cost(rest.charAt(fit));
      if (used + c > budget) break;
      used += c;
      fit++;
    }
    if (fit === rest.length) {
      pieces.push(escapeHtml(rest));
      break;
    }
    const cut = breakPoint(rest, fit);
    pieces.push(escapeHtml(rest.slice(0, cut).trimEnd()));
    rest = rest.slice(cut).replace(/^\s+/, '');
    budget = max;
  }
  return pieces;
}

/**
 * Where to end a piece that may be at most `fit` characters long: the last paragraph break,
 * else line break, else space in the second half of the window; otherwise a hard cut that does
 * not split a surrogate pair or separate a letter from its combining accent.
 */
function breakPoint(text: string, fit: number): number {
  const window = text.slice(0, fit + 1);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator);
    if (at > fit / 2 && at <= fit) return at;
  }
  let cut = fit;
  while (cut > 1 && (/\p{M}/u.test(text.charAt(cut)) || isLowSurrogate(text.charCodeAt(cut)))) cut--;
  return cut;
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
