import { OFFICE_CODE, PROCEDURE_CODE } from '../vocabulary/procedure';

/** The deep-link prefix of the procedure flow: `/start p_1-001193`, `?p=1.001193`. */
export const PROCEDURE_LINK_PREFIX = 'p';
/** The deep-link prefix of an office's own link or QR code: `/start o_phuong-ben-nghe`. */
export const OFFICE_LINK_PREFIX = 'o';

/** Telegram's start payload: at most 64 of A-Z a-z 0-9 _ -. The web chat's `?start=` takes the same. */
const PAYLOAD_MAX = 64;

/** An office as a link names it. */
export interface LinkOffice {
  id: number;
  code: string;
}

/**
 * The office in a payload with `room` characters left: its code when it fits, else `O` and its
 * id (codes are lower case, so the two never meet).
 *
 * @example officeReference({ id: 7, code: 'phuong-ben-nghe' }, 40) // 'phuong-ben-nghe'
 */
function officeReference(office: LinkOffice, room: number): string {
  return office.code.length <= room ? office.code : `O${office.id}`;
}

/**
 * The office a link names (the part after `o_`, or after the procedure code), or null.
 *
 * @example officeFromLink('phuong-ben-nghe') // { code: 'phuong-ben-nghe' }
 * @example officeFromLink('O7') // { id: 7 }
 */
export function officeFromLink(reference: string): { code: string } | { id: number } | null {
  const text = reference.trim();
  if (/^O[1-9]\d{0,15}$/.test(text)) return { id: Number(text.slice(1)) };
  return OFFICE_CODE.test(text) ? { code: text } : null;
}

/**
 * A Telegram start payload allows only A-Z a-z 0-9 _ - (at most 64 characters), so the dots of a
 * code travel as dashes; an office follows the code after `_`.
 *
 * @example procedurePayload('1.001193') // 'p_1-001193'
 * @example procedurePayload('1.001193', { id: 7, code: 'phuong-ben-nghe' }) // 'p_1-001193_phuong-ben-nghe'
 */
export function procedurePayload(code: string, office?: LinkOffice): string {
  const base = `${PROCEDURE_LINK_PREFIX}_${code.replaceAll('.', '-')}`;
  return office ? `${base}_${officeReference(office, PAYLOAD_MAX - base.length - 1)}` : base;
}

/** The start payload of an office's own link: `o_<code>`. */
export function officePayload(office: LinkOffice): string {
  return `${OFFICE_LINK_PREFIX}_${officeReference(office, PAYLOAD_MAX - 2)}`;
}

/**
 * The procedure code in the part of a deep link after `p_`, with dots or dashes, and the office
 * that follows it, if any; code null when it is not a code.
 *
 * @example procedureFromLink('1-001193') // { code: '1.001193', office: null }
 * @example procedureFromLink('1-001193_phuong-ben-nghe') // { code: '1.001193', office: 'phuong-ben-nghe' }
 */
export function procedureFromLink(rest: string): { code: string | null; office: string | null } {
  const [codePart = '', office] = rest.trim().split('_', 2);
  const code = codePart.replaceAll('-', '.');
  return { code: PROCEDURE_CODE.test(code) ? code : null, office: office ?? null };
}

export interface LinkTargets {
  publicUrl: string;
  /** The bot's username; when set, links open the Telegram bot instead of the web chat. */
  telegramUsername?: string | undefined;
}

/** A link that opens the chat with a start payload: the Telegram bot when configured, else the web chat. */
function startLink(payload: string, targets: LinkTargets): string {
  if (targets.telegramUsername) return `https://t.me/${targets.telegramUsername}?start=${payload}`;
  return `${targets.publicUrl}/?start=${payload}`;
}

/**
 * The link that opens a procedure's card (Telegram bot when configured, else the web chat); with
 * an office, the chat opening it is served by that office (a poster at that office's counter).
 *
 * @example procedureLink('1.001193', { publicUrl: 'https://motcua.example' }) // 'https://motcua.example/?p=1.001193'
 */
export function procedureLink(code: string, targets: LinkTargets, office?: LinkOffice): string {
  if (!office && !targets.telegramUsername) return `${targets.publicUrl}/?p=${encodeURIComponent(code)}`;
  return startLink(procedurePayload(code, office), targets);
}

/**
 * The link of an office's own QR code: the chat opening it is served by that office.
 *
 * @example officeLink({ id: 7, code: 'phuong-ben-nghe' }, { publicUrl: 'https://motcua.example' }) // 'https://motcua.example/?start=o_phuong-ben-nghe'
 */
export function officeLink(office: LinkOffice, targets: LinkTargets): string {
  return startLink(officePayload(office), targets);
}
