import type { Procedure } from '../vocabulary/procedure';

/**
 * What a card or poster may say about a procedure, decided once for every channel and language:
 * a value the source states, or "ask the office" when it does not. Nothing here guesses.
 */
export type Fact = { kind: 'known'; lines: string[] } | { kind: 'unit_missing'; raw: string } | { kind: 'ask_office' };

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

const distinct = (values: string[]) => [...new Set(values.map((v) => v.trim()).filter(Boolean))];

/** The fee, per channel where channels differ, with the source's notes (exemptions, per page...). */
export const feeFact = perProcedure((p): Fact & { notes?: string[] } => {
  if (p.feeStatus !== 'sourced' && p.feeStatus !== 'office') return { kind: 'ask_office' };
  const perChannel = p.channels.filter((c) => c.fee.trim()).map((c) => ({ channel: c.channel, fee: `${c.fee}${c.feeNote.startsWith('/') ? c.feeNote : ''}` }));
  const fees = distinct(perChannel.map((c) => c.fee));
  const lines = fees.length > 1 ? distinct(perChannel.map((c) => `${c.channel}: ${c.fee}`)) : [fees[0] ?? p.fee];
  if (!lines[0]?.trim()) return { kind: 'ask_office' };
  const notes = distinct([...p.feeNotes, ...p.channels.map((c) => c.description)].filter((n) => n.length > 3 && !n.startsWith('/') && /\d|miễn|giảm/i.test(n)));
  return { kind: 'known', lines, notes: notes.map((n) => clip(n, 300)) };
});

/** The processing time, per channel where channels differ; a number without its unit is not completed. */
export const timeFact = perProcedure((p): Fact => {
  if (p.processingTimeStatus === 'sourced_unit_missing') return { kind: 'unit_missing', raw: p.processingTime };
  if (p.processingTimeStatus !== 'sourced' && p.processingTimeStatus !== 'office') return { kind: 'ask_office' };
  const perChannel = p.channels.filter((c) => c.processingTime.trim() && c.processingTime !== 'Không có thông tin');
  const times = distinct(perChannel.map((c) => c.processingTime));
  const lines = times.length > 1 ? distinct(perChannel.map((c) => `${c.channel}: ${c.processingTime}`)) : [times[0] ?? p.processingTime];
  return lines[0]?.trim() ? { kind: 'known', lines } : { kind: 'ask_office' };
});

export interface DocumentLine {
  text: string;
  quantity: string | null;
  group: string;
}

/** The papers to bring (notes left out), cleaned of list marks; quantities only where they read sanely. */
export const documentsToBring = perProcedure((p): readonly DocumentLine[] =>
  p.documents
    .filter((d) => !d.note)
    .map((d) => ({
      text: d.name.replace(/^[\s\-+*•]+/, '').trim(),
      quantity: /^0?[1-9] bản/.test(d.quantity) ? d.quantity.replace(/,\s*/g, ', ') : null,
      group: d.group.replace(/^[\s*]+|:\s*$/g, '').trim(),
    }))
    .filter((d) => d.text.length > 0),
);

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
