import { clip, type FeeAmount, type FeeLine, feeFact, type TimeLine, timeFact } from '../../knowledge/facts';
import { formatMoney } from '../../knowledge/money';
import type { Locale, Translate } from '../../vocabulary/locales';
import type { Procedure } from '../../vocabulary/procedure';

/**
 * The facts of knowledge/facts.ts in words, for the chat cards (ask-card.ts) and the printed
 * posters (api/routes/posters.ts): one money format, durations and channel names in the reader's
 * language, and the source's qualifiers kept.
 */

const CHANNEL_KEYS: Record<string, string> = { 'Trực tiếp': 'ask.channelDirect', 'Trực tuyến': 'ask.channelOnline', 'Dịch vụ bưu chính': 'ask.channelPost' };

const channelNames = (t: Translate, channels: readonly string[]) => channels.map((c) => (CHANNEL_KEYS[c] ? t(CHANNEL_KEYS[c]) : c)).join(', ');

/**
 * "5 Ngày làm việc" → "5 ngày làm việc" / "5 working days"; other shapes unchanged.
 *
 * @example durationText('20 Ngày', 'en') // '20 days'
 */
export function durationText(time: string, locale: Locale): string {
  const match = /^(\d+(?:[.,]\d+)?)\s+(Ngày làm việc|Ngày|Giờ làm việc|Giờ)$/iu.exec(time.trim());
  if (!match) return time;
  const [, n = '', unit = ''] = match;
  const lower = unit.toLowerCase();
  if (locale !== 'en') return `${n} ${lower}`;
  const one = n === '1';
  const word = lower.startsWith('giờ') ? (one ? 'hour' : 'hours') : one ? 'day' : 'days';
  return `${n} ${lower.includes('làm việc') ? 'working ' : ''}${word}`;
}

function amountText(t: Translate, locale: Locale, amount: FeeAmount): string {
  if (amount.kind === 'free') return t('ask.free');
  if (amount.kind === 'postal_service') return t('ask.feePostal');
  if (amount.kind === 'not_stated') return t('ask.askOffice');
  return `${formatMoney(amount.text, locale)}${amount.per}`;
}

const lineText = (t: Translate, locale: Locale, line: FeeLine, many: boolean) =>
  many && line.channels.length ? `${channelNames(t, line.channels)}: ${amountText(t, locale, line.amount)}` : amountText(t, locale, line.amount);

/** The fee in one line: what a citizen pays at the counter or online, with the source's qualifier. */
export function feeSummary(t: Translate, locale: Locale, p: Procedure, hint = true): string {
  const fee = feeFact(p);
  if (fee.kind === 'ask_office') return t('ask.askOffice');
  const free = fee.lines.every((l) => l.amount.kind !== 'amount');
  if (free && fee.qualifier === 'province_sets') return t('ask.feeProvince');
  if (free && fee.qualifier === 'fee_law') return t('ask.feeLaw');
  if (free && fee.qualifier === 'unclear') return t('ask.feeUnclear');
  const many = fee.lines.length > 1;
  const parts = [fee.lines.map((l) => lineText(t, locale, l, many)).join('; ')];
  if (fee.qualifier === 'province_sets') parts.push(`(${t('ask.feeProvinceRef')})`);
  if (fee.reduced && hint) parts.push(`(${t('ask.feeReducedHint')})`);
  return parts.join(' ');
}

/** The fee in full: per channel, the qualifier, fees that apply only abroad, and the source's notes. */
export function feeDetails(t: Translate, locale: Locale, p: Procedure): string[] {
  const fee = feeFact(p);
  if (fee.kind === 'ask_office') return [t('ask.askOffice')];
  const out = [feeSummary(t, locale, p, false)];
  const free = fee.lines.every((l) => l.amount.kind !== 'amount');
  if (free && fee.qualifier !== 'none' && fee.lines.length > 1) out.push(...fee.lines.map((l) => `• ${lineText(t, locale, l, true)}`));
  for (const abroad of fee.abroad) out.push(t('ask.feeAbroad', { fee: formatMoney(abroad, locale) }));
  if (fee.notes.length) out.push([t('ask.feeNotesTitle'), ...fee.notes.slice(0, 4).map((n) => `– ${clip(n.replace(/^[-–\s]+/, ''), 600)}`)].join('\n'));
  return out;
}

const timeLineText = (t: Translate, locale: Locale, line: TimeLine, many: boolean) =>
  many && line.channels.length ? `${channelNames(t, line.channels)}: ${durationText(line.time, locale)}` : durationText(line.time, locale);

/** The time in one line: the steps-stated time, else the source's times, else "ask the office". */
export function timeSummary(t: Translate, locale: Locale, p: Procedure): string {
  const time = timeFact(p);
  if (time.steps) return t('ask.stepsTime', { time: locale === 'en' ? time.steps.en : time.steps.vi });
  if (time.lines.length === 0) return t('ask.askOffice');
  if (time.byCase) return `${time.lines.map((l) => durationText(l.time, locale)).join('; ')} (${t('ask.timeByCase')})`;
  return time.lines.map((l) => timeLineText(t, locale, l, time.lines.length > 1)).join('; ');
}

/** The time in full: each channel's time (with the case it is for), and the steps' sentence it is read from. */
export function timeDetails(t: Translate, locale: Locale, p: Procedure): string[] {
  const time = timeFact(p);
  const out: string[] = [];
  if (time.lines.length)
    out.push(
      time.lines
        .map((l) => `• ${timeLineText(t, locale, l, time.lines.length > 1)}${l.case ? `\n  ${clip(l.case.replace(/^[-\s]+/, ''), 300)}` : ''}`)
        .join('\n'),
    );
  if (time.steps) {
    out.push(`• ${t('ask.stepsTime', { time: locale === 'en' ? time.steps.en : time.steps.vi })}`);
    out.push(t('ask.stepsQuote', { quote: time.steps.quote }));
  }
  if (out.length === 0) out.push(t('ask.askOffice'));
  return out;
}
