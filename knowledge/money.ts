import type { Locale } from '../vocabulary/locales';

/**
 * An amount as the source writes it: "50,000 Việt Nam Đồng", "50.000 đồng", "400.000đ",
 * "100.000 VNĐ/bản", "10 USD". The digits may use either separator for thousands.
 */
const AMOUNT = /^(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(Việt Nam Đồng|VNĐ|VND|đồng|Đồng|đ|USD)(\s*\/\s*[^\s].*)?$/u;

const group = (digits: string, separator: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);

/**
 * One way to print money: Vietnamese "50.000 đồng" (dots between thousands), English
 * "50,000 VND"; US dollars stay dollars ("10 USD"). A per-unit tail is kept ("2.000 đồng/trang").
 * Text of any other shape comes back unchanged.
 *
 * @example formatMoney('50,000 Việt Nam Đồng', 'vi') // '50.000 đồng'
 * @example formatMoney('100.000 VNĐ/bản', 'en') // '100,000 VND/bản'
 */
export function formatMoney(text: string, locale: Locale): string {
  const match = AMOUNT.exec(text.trim());
  if (!match) return text;
  const [, amount = '', unit = '', per = ''] = match;
  const digits = amount.replace(/[.,]/g, '');
  const dollars = unit === 'USD';
  const number = group(digits, locale === 'en' ? ',' : '.');
  const name = dollars ? 'USD' : locale === 'en' ? 'VND' : 'đồng';
  return `${number} ${name}${per.replace(/^\s*\/\s*/, '/')}`;
}

/** True when the text is an amount in US dollars (fees paid at a Vietnamese mission abroad). */
export const isDollarAmount = (text: string) => /\bUSD\b/.test(text);
