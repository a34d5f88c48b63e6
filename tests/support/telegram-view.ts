/**
 * What a citizen sees of a recorded sendMessage payload: the HTML turned back into plain text, the
 * bold title apart, and the keyboard as rows of buttons. Tests compare this with the dialog's
 * replies and with other channels.
 */
export interface SeenTelegramMessage {
  title?: string;
  text: string;
  buttons: { label: string; action?: string; url?: string }[][];
  /** The label of the reply keyboard's contact button, when one is shown. */
  asksForContact?: string;
  removesKeyboard: boolean;
}

const unescapeHtml = (html: string) => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The plain text of a recorded message, title included (as the citizen reads it). */
export function seenText(payload: Record<string, unknown>): string {
  const { title, text } = seenMessage(payload);
  return title ? `${title}\n${text}` : text;
}

export function seenMessage(payload: Record<string, unknown>): SeenTelegramMessage {
  const html = typeof payload.text === 'string' ? payload.text : '';
  const titled = /^<b>([^<]*)<\/b>(?:\n([\s\S]*))?$/.exec(html);
  const markup = isRecord(payload.reply_markup) ? payload.reply_markup : {};
  const seen: SeenTelegramMessage = {
    ...(titled ? { title: unescapeHtml(titled[1] ?? '') } : {}),
    text: unescapeHtml(titled ? (titled[2] ?? '') : html),
    buttons: rows(markup.inline_keyboard).map((row) =>
      row.map((b) => ({
        label: String(b.text),
        ...(typeof b.callback_data === 'string' ? { action: b.callback_data } : {}),
        ...(typeof b.url === 'string' ? { url: b.url } : {}),
      })),
    ),
    removesKeyboard: markup.remove_keyboard === true,
  };
  const contactButton = rows(markup.keyboard)
    .flat()
    .find((b) => b.request_contact === true);
  if (contactButton) seen.asksForContact = String(contactButton.text);
  return seen;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rows(value: unknown): Record<string, unknown>[][] {
  if (!Array.isArray(value)) return [];
  return value.map((row: unknown) => (Array.isArray(row) ? row.filter(isRecord) : []));
}
