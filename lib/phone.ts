import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { fail, ok, type Result } from './result';

/**
 * Normalises a Vietnamese phone number to E.164 (+84...). Accepts the forms people and systems
 * actually write: 09x..., +849x..., 849x..., with spaces, dots or dashes.
 *
 * @example normalizeVnPhone('0912 345 678') // { ok: true, value: '+84912345678' }
 */
export function normalizeVnPhone(input: string): Result<string, 'invalid_phone'> {
  const compact = input.replace(/[\s.\-()]/g, '');
  if (!/^\+?\d{9,15}$/.test(compact)) return fail('invalid_phone');
  const withPlus = compact.startsWith('84') && compact.length >= 11 ? `+${compact}` : compact;
  const parsed = parsePhoneNumberFromString(withPlus, 'VN');
  if (parsed?.country !== 'VN' || !parsed.isValid()) return fail('invalid_phone');
  return ok(parsed.number);
}

/** +84912345678 -> +84912***678: enough to tell numbers apart in a log, not enough to call. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '***';
  return `${phone.slice(0, 6)}***${phone.slice(-3)}`;
}

/** The last four digits, which a citizen types to prove a dossier is theirs. */
export function lastFourDigits(phone: string): string {
  return phone.replace(/\D/g, '').slice(-4);
}
