import { PROCEDURE_CODE } from '../vocabulary/procedure';

/** Characters a receipt code is written with; anything else ends the word around it. */
const WORD = /[A-Za-z0-9][A-Za-z0-9.\-_]*[A-Za-z0-9]/g;
const MIN_LENGTH = 6;
const MAX_LENGTH = 60;
const MIN_DIGITS = 3;

/**
 * The receipt code a citizen typed inside a sentence ("cho tôi tra hồ sơ H19.22-261122-0001 với"),
 * or null. Free text is full of other numbers, so a word counts as a code only when it looks like
 * one printed on a receipt: 6-60 characters, at least three digits and at least one Latin letter
 * (H19, the province's letters), and not a procedure code (1.001193). Phone numbers, amounts,
 * dates and year ranges have no letter and are never taken for a code. Upper case, as stored.
 *
 * @example findReceiptCode('tra ho so h19.22-261122-0001 giup em') // 'H19.22-261122-0001'
 */
export function findReceiptCode(text: string): string | null {
  for (const [word] of text.matchAll(WORD)) {
    if (word.length < MIN_LENGTH || word.length > MAX_LENGTH) continue;
    if (PROCEDURE_CODE.test(word.toUpperCase())) continue;
    if ((word.match(/\d/g)?.length ?? 0) < MIN_DIGITS || !/[A-Za-z]/.test(word)) continue;
    return word.toUpperCase();
  }
  return null;
}
