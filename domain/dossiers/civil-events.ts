import { foldVietnamese } from '../../knowledge/normalize';
import table from './civil-events.json';

/** Life events whose result deserves a personal word: congratulations or condolences. */
export type CivilEvent = 'birth' | 'marriage' | 'death';

const EVENTS: CivilEvent[] = ['birth', 'marriage', 'death'];

/**
 * Which life event a procedure registers, from civil-events.json: by national code first, then
 * by the folded name for local codes ("Đăng ký khai sinh ..."). Re-registrations and copies
 * ("đăng ký lại", "bản sao", "trích lục") are not new events, so they get no congratulations.
 *
 * @example civilEventOf('1.001193', null) // 'birth'
 * @example civilEventOf('X.1', 'Thủ tục đăng ký kết hôn lưu động') // 'marriage'
 */
export function civilEventOf(procedureCode: string, procedureName: string | null): CivilEvent | null {
  const byCode = EVENTS.find((event) => table[event].codes.includes(procedureCode));
  if (byCode) return byCode;
  if (!procedureName) return null;
  const name = foldVietnamese(procedureName);
  if (table.notNames.some((excluded) => name.includes(excluded))) return null;
  return EVENTS.find((event) => table[event].names.some((pattern) => name.includes(pattern))) ?? null;
}
