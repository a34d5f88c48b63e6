import { type Button, isUrlButton, type Reply } from '../../../vocabulary/replies';
import type { ZaloButton, ZaloMessage } from './client';
import { ACTION_PAYLOAD_PREFIX, BUTTON_TITLE_LIMIT, CS_TEXT_LIMIT, INFO_CARD_SUBTITLE_LIMIT, INFO_CARD_TITLE_LIMIT, MAX_BUTTONS_PER_MESSAGE } from './protocol';

export interface RenderOptions {
  /** Image for the request_user_info card (optional; Zalo's examples always carry one). */
  infoCardImageUrl?: string;
}

/** Text for the extra message that carries buttons beyond the per-message limit. */
const MORE_BUTTONS_TEXT = '…';

/**
 * Our replies as Zalo customer-service messages, in order: text split to 2000 characters, buttons
 * (our actions as `oa.query.hide` with `#<action>` payloads, links as `oa.open.url`) on the last
 * part, extra buttons in follow-up messages, and a phone request as a request_user_info card.
 *
 * @example
 * renderReplies([{ text: 'Xin chào', buttons: [[{ label: 'Hỏi thủ tục', action: 'ask' }]] }])
 * // [{ text: 'Xin chào', attachment: { type: 'template', payload: { buttons: [{ title: 'Hỏi thủ tục', type: 'oa.query.hide', payload: '#ask' }] } } }]
 */
export function renderReplies(replies: Reply[], options: RenderOptions = {}): ZaloMessage[] {
  return replies.flatMap((reply) => renderReply(reply, options));
}

function renderReply(reply: Reply, options: RenderOptions): ZaloMessage[] {
  const body = reply.title ? `${reply.title}\n${reply.text}` : reply.text;
  const buttons = (reply.buttons ?? []).flat().map(toZaloButton);
  const messages: ZaloMessage[] = [];
  const cardCarriesText = reply.requestContact !== undefined && buttons.length === 0 && body.length <= INFO_CARD_SUBTITLE_LIMIT;

  if (!cardCarriesText) {
    const parts = splitText(body, CS_TEXT_LIMIT);
    const groups = chunk(buttons, MAX_BUTTONS_PER_MESSAGE);
    parts.forEach((text, i) => {
      const group = i === parts.length - 1 ? groups.shift() : undefined;
      messages.push(withButtons(text, group));
    });
    for (const group of groups) messages.push(withButtons(MORE_BUTTONS_TEXT, group));
  }
  if (reply.requestContact) {
    const element = {
      title: cut(reply.requestContact.label, INFO_CARD_TITLE_LIMIT),
      subtitle: cut(cardCarriesText ? body : reply.requestContact.label, INFO_CARD_SUBTITLE_LIMIT),
      ...(options.infoCardImageUrl ? { image_url: options.infoCardImageUrl } : {}),
    };
    messages.push({ attachment: { type: 'template', payload: { template_type: 'request_user_info', elements: [element] } } });
  }
  return messages;
}

function withButtons(text: string, buttons: ZaloButton[] | undefined): ZaloMessage {
  return buttons && buttons.length > 0 ? { text, attachment: { type: 'template', payload: { buttons } } } : { text };
}

function toZaloButton(button: Button): ZaloButton {
  const title = cut(button.label, BUTTON_TITLE_LIMIT);
  return isUrlButton(button)
    ? { title, type: 'oa.open.url', payload: { url: button.url } }
    : { title, type: 'oa.query.hide', payload: `${ACTION_PAYLOAD_PREFIX}${button.action}` };
}

/** Splits at a paragraph, line or word boundary where one falls in the second half of the limit. */
export function splitText(text: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    const at = [window.lastIndexOf('\n\n'), window.lastIndexOf('\n'), window.lastIndexOf(' ')].find((i) => i >= limit / 2) ?? limit;
    parts.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  parts.push(rest);
  return parts;
}

const cut = (text: string, limit: number) => (text.length <= limit ? text : `${text.slice(0, limit - 1)}…`);

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
