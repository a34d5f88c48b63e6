import { type Procedure, SHORT_NAME_MAX } from '../vocabulary/procedure';
import { feeFact } from './facts';

/** One thing in a catalog that a citizen should not see as it is. */
export interface CatalogProblem {
  code: string;
  field: string;
  message: string;
}

/** Remarks curators leave for each other, never for citizens. */
const REMARK = /chưa đối chiếu|nguồn chỉ ghi|tên mô tả|\bunsourced\b|không ghi đơn vị/i;
const FILE_NAME = /\.(docx?|pdf|xlsx?)\b/i;
const FRAGMENT = /^\s*(\)|hoặc\b|có chứng thực\b)/i;
/** A sentence saying a fee applies or somebody sets it; the optional copy fee ("Phí cấp bản sao …") aside. */
const FEE_APPLIES = /(HĐND|Hội đồng nhân dân)|mức thu|\bthu \d|\d[.,]\d{3}\s*(đồng|đ\b)|(lệ phí|phí)[^.]*\b(theo|do)\b[^.]*(quy định|quyết định)/i;

const sentences = (text: string) => text.split(/(?<=\.)\s+/).filter((s) => !/^[-(\s]*phí cấp bản sao/i.test(s));

/** The texts of a procedure a card can show a citizen, with the field each comes from. */
function visibleTexts(p: Procedure): [string, string][] {
  const texts: [string, string][] = [
    ['name', p.name],
    ['shortName', p.shortName ?? ''],
    ['nameEn', p.nameEn ?? ''],
    ['applicants', p.applicants],
    ['agency', p.agency],
    ...p.feeNotes.map((n, i): [string, string] => [`feeNotes.${i}`, n]),
    ...p.documents.map((d, i): [string, string] => [`documents.${i}.name`, d.name]),
    ...p.channels.flatMap((c, i): [string, string][] => [
      [`channels.${i}.feeNote`, c.feeNote],
      [`channels.${i}.description`, c.description],
    ]),
  ];
  if (p.feeStatus === 'sourced' || p.feeStatus === 'office') texts.push(['fee', p.fee]);
  if (p.processingTimeStatus === 'sourced' || p.processingTimeStatus === 'office') texts.push(['processingTime', p.processingTime]);
  if (p.stepsTime) texts.push(['stepsTime.vi', p.stepsTime.vi], ['stepsTime.en', p.stepsTime.en]);
  return texts.filter(([, text]) => text.trim());
}

/**
 * What is wrong with a catalog for citizens: curation remarks or file names in any text a card
 * shows, cut-off table fragments and "0 bản" quantities listed as papers, an agency named twice,
 * repeated or empty channel rows, a "Miễn phí" that a note contradicts without the card saying
 * so, and titles too long for a phone with no short name. The shipped catalog has none
 * (tests/unit/catalog-check.test.ts); an admin's import can be checked the same way.
 *
 * @example checkCatalog(loadDefaultCatalog()) // []
 */
export function checkCatalog(list: readonly Procedure[]): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  for (const p of list) {
    const add = (field: string, message: string) => problems.push({ code: p.code, field, message });
    for (const [field, text] of visibleTexts(p)) {
      if (REMARK.test(text)) add(field, `curation remark: ${REMARK.exec(text)?.[0]}`);
      if (FILE_NAME.test(text)) add(field, `file name: ${FILE_NAME.exec(text)?.[0]}`);
    }
    p.documents.forEach((d, i) => {
      if (FRAGMENT.test(d.name)) add(`documents.${i}.name`, 'a fragment of a table cell, not a paper');
      if (!d.note && /^0 bản/.test(d.quantity.trim())) add(`documents.${i}.quantity`, '"0 bản" marks a note, not a paper');
    });
    const agencies = p.agency
      .split(';')
      .map((a) => a.trim())
      .filter(Boolean);
    if (new Set(agencies).size < agencies.length) add('agency', 'the same agency named twice');
    const rows = p.channels.map((c) => JSON.stringify(c));
    p.channels.forEach((c, i) => {
      if (rows.indexOf(rows[i] as string) !== i) add(`channels.${i}`, 'duplicated channel row');
      if (!c.processingTime.trim() && !c.fee.trim()) add(`channels.${i}`, 'channel row without time or fee (a continuation of the row before)');
    });
    const fee = feeFact(p);
    if (fee.kind === 'known' && fee.qualifier === 'none' && fee.lines.some((l) => l.amount.kind === 'free')) {
      const notes = [...p.feeNotes, ...p.channels.filter((c) => /^miễn phí$/i.test(c.fee.trim())).map((c) => c.feeNote)];
      const says = notes.flatMap(sentences).find((s) => FEE_APPLIES.test(s));
      if (says) add('fee', `"Miễn phí" shown without the qualifier of its note: ${says.slice(0, 120)}`);
    }
    if (p.name.length > SHORT_NAME_MAX && !p.shortName) add('shortName', `the name has ${p.name.length} characters and no short name`);
    if ((p.nameEn ?? '').length > SHORT_NAME_MAX) add('nameEn', `the English name is longer than ${SHORT_NAME_MAX} characters`);
  }
  return problems;
}
