import type { Procedure, StepsTime } from '../vocabulary/procedure';
import { isDollarAmount } from './money';

/**
 * What a card or poster may say about a procedure, decided once for every channel and language
 * from the source's own fields: a value it states, with the qualifiers it attaches, or "ask the
 * office" when it states none. Nothing here guesses; the rules are explicit and tested against
 * every procedure of the shipped catalog (tests/unit/card-facts.test.ts).
 */

/**
 * Works a fact out once per procedure. A Procedure is an immutable snapshot (the catalog swaps
 * whole objects when it reloads), and cards read the same facts on every question; callers must
 * not mutate what they get.
 */
export function perProcedure<T>(compute: (p: Procedure) => T): (p: Procedure) => T {
  const memo = new WeakMap<Procedure, T>();
  return (p) => {
    if (memo.has(p)) return memo.get(p) as T;
    const value = compute(p);
    memo.set(p, value);
    return value;
  };
}

/** What the source says a fee line costs: an amount ("50,000 Việt Nam Đồng"), free, paid to the post, or nothing. */
export type FeeAmount = { kind: 'amount'; text: string; per: string } | { kind: 'free' } | { kind: 'postal_service' } | { kind: 'not_stated' };

/** One fee, for the channels (Trực tiếp, Trực tuyến, Dịch vụ bưu chính) it applies to. */
export interface FeeLine {
  channels: string[];
  amount: FeeAmount;
}

/**
 * How the source qualifies a fee it writes as "Miễn phí":
 * - `province_sets`: a note says the provincial People's Council (HĐND tỉnh) sets the fee;
 * - `fee_law`: a note says the fee follows the law on fees and charges (Luật phí và lệ phí);
 * - `unclear`: a note says some people are exempt, so others pay;
 * - `none`: nothing qualifies it.
 * A stated amount with an HĐND note is `province_sets` too: the amount is only a reference.
 */
export type FeeQualifier = 'none' | 'province_sets' | 'fee_law' | 'unclear';

export type FeeFact =
  | { kind: 'ask_office' }
  | {
      kind: 'known';
      /** Fees paid in Vietnam, grouped by channel where channels differ. */
      lines: FeeLine[];
      qualifier: FeeQualifier;
      /** Fees that apply only at a Vietnamese mission abroad (consular, in USD): never the counter fee. */
      abroad: string[];
      /** True when a note sets a temporary reduction (a percentage with its dates). */
      reduced: boolean;
      /** The source's notes on the fee, in full: exemptions, reductions with their dates, per-page rules. */
      notes: string[];
    };

const PROVINCE = /(Hội đồng nhân dân|HĐND)\s*(cấp\s*)?tỉnh/i;
const FEE_LAW = /Luật phí và lệ phí/i;
const ABROAD = /cơ quan đại diện/i;
const REDUCTION = /\d+\s*%.*(đến hết|kể từ|từ ngày)|(đến hết|kể từ|từ ngày).*\d+\s*%/is;
/** A note that says somebody pays (an amount, or an exemption for some people), leaving aside the optional copy fee. */
const SOMEONE_PAYS = /miễn lệ phí (cho|đối với)|mức thu|\bthu \d|\d[.,]\d{3}\s*(đồng|đ\b)/i;
const COPY_FEE = /^phí cấp bản sao/i;

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
const keyOf = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** Distinct notes, dropping any that another note already contains (the scrape repeats and cuts them). */
function distinctNotes(notes: readonly string[]): string[] {
  const clean = notes.map((n) => squash(n).replace(/^\((.*)\)$/s, '$1')).filter((n) => /\p{L}{3}/u.test(n) && !n.startsWith('/'));
  const keys = clean.map(keyOf);
  return clean.filter((_, i) => !keys.some((other, j) => (j < i && other === keys[i]) || (other !== keys[i] && other.includes(keys[i] as string))));
}

function amountOf(fee: string, feeNote: string): FeeAmount {
  const text = squash(fee);
  if (!text || /không có thông tin/i.test(text)) return { kind: 'not_stated' };
  if (/^miễn phí$/i.test(text)) return /trả phí cho đơn vị cung cấp dịch vụ/i.test(feeNote) ? { kind: 'postal_service' } : { kind: 'free' };
  return { kind: 'amount', text, per: feeNote.startsWith('/') ? squash(feeNote) : '' };
}

/** The fee, per channel where channels differ, with the source's qualifiers and notes. */
export const feeFact = perProcedure((p): FeeFact => {
  if (p.feeStatus !== 'sourced' && p.feeStatus !== 'office') return { kind: 'ask_office' };
  const home = p.channels.filter((c) => c.fee.trim() && !isDollarAmount(c.fee) && !ABROAD.test(c.description));
  const abroad = p.channels
    .filter((c) => c.fee.trim() && (isDollarAmount(c.fee) || ABROAD.test(c.description)))
    .map((c) => squash(`${c.fee}${c.feeNote.startsWith('/') ? c.feeNote : ''}`));
  const lines: FeeLine[] = [];
  for (const c of home) {
    const amount = amountOf(c.fee, c.feeNote);
    const same = lines.find((l) => JSON.stringify(l.amount) === JSON.stringify(amount));
    if (same) {
      if (!same.channels.includes(c.channel)) same.channels.push(c.channel);
    } else lines.push({ channels: [c.channel], amount });
  }
  if (lines.length === 0 && p.fee.trim() && !isDollarAmount(p.fee)) lines.push({ channels: [], amount: amountOf(p.fee, '') });
  if (lines.length === 0 || lines.every((l) => l.amount.kind === 'not_stated')) return { kind: 'ask_office' };

  const noteSources = [...p.feeNotes, ...home.map((c) => c.feeNote), ...home.map((c) => c.description).filter((d) => /phí|đồng\b|miễn|giảm/i.test(d))];
  const notes = distinctNotes(noteSources);
  const all = notes.join('\n');
  const free = lines.every((l) => l.amount.kind === 'free' || l.amount.kind === 'postal_service');
  let qualifier: FeeQualifier = 'none';
  if (PROVINCE.test(all)) qualifier = 'province_sets';
  else if (free && FEE_LAW.test(all)) qualifier = 'fee_law';
  else if (free && notes.some((n) => !COPY_FEE.test(n) && SOMEONE_PAYS.test(n))) qualifier = 'unclear';
  return { kind: 'known', lines, qualifier, abroad: [...new Set(abroad)], reduced: REDUCTION.test(all), notes };
});

/** One processing time, for the channels it applies to ("5 Ngày làm việc"). */
export interface TimeLine {
  channels: string[];
  time: string;
  /** The source's description of the case this time is for, where one channel has several times. */
  case?: string;
}

/**
 * The processing time: the source's times per channel where they differ, and the time its steps
 * state where the curated data has one. No lines means the source states no usable time: a number
 * without its unit ("1") is never completed.
 */
export interface TimeFact {
  lines: TimeLine[];
  /** True when the time depends on the case (one channel lists several times). */
  byCase: boolean;
  steps?: StepsTime;
}

const STATED_TIME = /^\d+(?:[.,]\d+)?\s+\p{L}/u;

export const timeFact = perProcedure((p): TimeFact => {
  const steps = p.stepsTime ? { steps: p.stepsTime } : {};
  if (p.processingTimeStatus !== 'sourced' && p.processingTimeStatus !== 'office') return { lines: [], byCase: false, ...steps };
  const rows = p.channels.filter((c) => STATED_TIME.test(squash(c.processingTime)));
  const byCase = rows.some((c, i) => rows.some((o, j) => j !== i && o.channel === c.channel && squash(o.processingTime) !== squash(c.processingTime)));
  const lines: TimeLine[] = [];
  for (const c of rows) {
    const time = squash(c.processingTime);
    const same = lines.find((l) => l.time === time);
    if (same) {
      if (!same.channels.includes(c.channel)) same.channels.push(c.channel);
    } else lines.push({ channels: [c.channel], time, ...(byCase && c.description ? { case: squash(c.description) } : {}) });
  }
  if (lines.length === 0 && STATED_TIME.test(p.processingTime.trim())) lines.push({ channels: [], time: squash(p.processingTime) });
  return { lines, byCase, ...steps };
});

/** A time in working days or days, or hours; null for anything else. */
function days(time: string): number | null {
  const match = /^(\d+(?:[.,]\d+)?)\s+(ngày làm việc|ngày|giờ làm việc|giờ)(?!\p{L})/iu.exec(time.trim());
  if (!match) return null;
  const n = Number((match[1] ?? '').replace(',', '.'));
  return /giờ/i.test(match[2] ?? '') ? n / 8 : n;
}

/**
 * True when a complete dossier can get its result the same day, so an office's same-day day
 * ("Ngày không hẹn") means something for it: the steps say so, or the time at the counter (else
 * every stated time) is at most one working day.
 */
export const resultWithinADay = perProcedure((p): boolean => {
  const fact = timeFact(p);
  if (fact.steps?.sameDay) return true;
  const counter = fact.lines.filter((l) => l.channels.includes('Trực tiếp'));
  const lines = counter.length ? counter : fact.lines;
  return lines.length > 0 && lines.every((l) => (days(l.time) ?? Number.POSITIVE_INFINITY) <= 1);
});

export interface DocumentLine {
  text: string;
  quantity: string | null;
  group: string;
  /** A note from the source ("Lưu ý", "Trường hợp …") rather than a paper to bring. */
  note: boolean;
}

const cleanDocument = (d: Procedure['documents'][number]): DocumentLine => ({
  text: squash(d.name.replace(/^[\s\-+*•]+/, '')),
  quantity: !d.note && /^0?[1-9] bản/.test(d.quantity) ? d.quantity.replace(/,\s*/g, ', ') : null,
  group: d.group.replace(/^[\s*]+|:\s*$/g, '').trim(),
  note: d.note,
});

/** The source's document list in its own order, notes included and marked, cleaned of list marks. */
export const paperLines = perProcedure((p): readonly DocumentLine[] => p.documents.map(cleanDocument).filter((d) => d.text.length > 0));

/** The papers to bring (notes left out), in the source's order. */
export const documentsToBring = perProcedure((p): readonly DocumentLine[] => paperLines(p).filter((d) => !d.note));

/** The forms and declarations to fill in (Tờ khai, Đơn, Phiếu, Giấy đề nghị, Mẫu …), as the source names them. */
export const formsToFill = perProcedure((p): readonly string[] => [
  ...new Set(
    documentsToBring(p)
      .map((d) => d.text)
      .filter((text) => /^(tờ khai|đơn\b|mẫu|phiếu|giấy đề nghị|văn bản đề nghị|bản khai|biểu mẫu)/i.test(text)),
  ),
]);

/** Who may apply (the source's applicants) and the source's lines on applying through someone else. */
export const whoMayApply = perProcedure((p): { applicants: string; authorisation: string[] } => {
  const lines = [...paperLines(p).map((d) => d.text), ...p.channels.map((c) => c.description)].filter((text) => /ủy quyền|uỷ quyền/i.test(text));
  return { applicants: squash(p.applicants), authorisation: distinctNotes(lines).slice(0, 2) };
});

/** True when the source lists an online channel for the procedure. */
export const acceptsOnline = (p: Procedure) => p.channels.some((c) => /trực tuyến/i.test(c.channel));

/** Cuts text at a word boundary and marks the cut. */
export function clip(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
