import { PROCEDURE_CODE } from '../vocabulary/procedure';

/** The deep-link prefix of the procedure flow: `/start p_1-001193`, `?p=1.001193`. */
export const PROCEDURE_LINK_PREFIX = 'p';

/**
 * A Telegram start payload allows only A-Z a-z 0-9 _ - (at most 64 characters), so the dots of a
 * code travel as dashes.
 *
 * @example procedurePayload('1.001193') // 'p_1-001193'
 */
export function procedurePayload(code: string): string {
  return `${PROCEDURE_LINK_PREFIX}_${code.replaceAll('.', '-')}`;
}

/**
 * The procedure code in the part of a deep link after `p_`, with dots or dashes; null when it
 * is not a code.
 *
 * @example codeFromLink('1-001193') // '1.001193'
 */
export function codeFromLink(rest: string): string | null {
  const code = rest.trim().replaceAll('-', '.');
  return PROCEDURE_CODE.test(code) ? code : null;
}

export interface LinkTargets {
  publicUrl: string;
  /** The bot's username; when set, links open the Telegram bot instead of the web chat. */
  telegramUsername?: string | undefined;
}

/**
 * The link that opens a procedure's card: the Telegram bot when configured, else the web chat.
 *
 * @example procedureLink('1.001193', { publicUrl: 'https://motcua.example' }) // 'https://motcua.example/?p=1.001193'
 */
export function procedureLink(code: string, targets: LinkTargets): string {
  if (targets.telegramUsername) return `https://t.me/${targets.telegramUsername}?start=${procedurePayload(code)}`;
  return `${targets.publicUrl}/?p=${encodeURIComponent(code)}`;
}
