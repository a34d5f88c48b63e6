/**
 * Rebuilds knowledge/data/procedures.json from the curated shared catalog
 * (`npx tsx scripts/catalog-from-shared.ts ../shared/catalog/procedures.json`). It renames fields
 * to ours and repairs what the scrape broke (see knowledge/data/README.md): curation remarks in
 * names, form file names glued to document names, table cells split into several "documents",
 * notes mixed into document lists, continuation rows read as channels. It never fills in a
 * missing value; the only text it adds is the curated steps time (knowledge/data/steps-time.json),
 * whose quote must be found verbatim in the source's steps.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import stepsTimeData from '../knowledge/data/steps-time.json';
import { type Procedure, procedureSchema, type StepsTime } from '../vocabulary/procedure';

const str = z.string().default('');
const sharedDocument = z.object({ name: z.string(), quantity: str, group: z.string().nullish() });
const sharedChannel = z.object({ channel: z.string(), processing_time: str, fee: str, fee_note: str, description: str });
const shared = z.array(
  z.object({
    code: z.string(),
    code_status: z.enum(['sourced', 'secondary_unverified']),
    name: z.string(),
    group: str,
    level: str,
    field: str,
    agency: str,
    competent_authority: str,
    applicants: str,
    fee: str,
    fee_status: z.enum(['sourced', 'not_stated_in_source', 'unsourced']),
    fee_notes: z.array(z.string()).default([]),
    processing_time: str,
    processing_time_status: z.enum(['sourced', 'sourced_unit_missing', 'not_stated_in_source', 'unsourced']),
    channels: z.array(sharedChannel).default([]),
    required_documents: z.array(sharedDocument).default([]),
    required_documents_status: z.enum(['parsed', 'raw_text_only', 'unsourced']),
    required_documents_raw: str,
    steps_raw: str,
    legal_basis: z.array(z.string()).default([]),
    source: z.object({
      type: z.string(),
      portal_url: z.string().optional(),
      repo: z.string().optional(),
      commit: z.string().optional(),
      path: z.string().optional(),
      scraped_committed: z.string().optional(),
      license: z.string().optional(),
      references: z.array(z.string()).optional(),
    }),
  }),
);
type SharedDocument = z.infer<typeof sharedDocument>;
type SharedChannel = z.infer<typeof sharedChannel>;

const stepsTimeFile = z.object({
  procedures: z.record(
    z.string(),
    z.object({ kind: z.string().optional(), vi: z.string().optional(), en: z.string().optional(), sameDay: z.boolean().optional(), quote: z.string() }),
  ),
  kinds: z.record(z.string(), z.object({ vi: z.string(), en: z.string(), sameDay: z.boolean() })),
});

/** Remarks the curators left in names ("(tên mô tả, chưa đối chiếu tên chính thức)"); the record's codeStatus already says it is unverified. */
function withoutRemarks(name: string): string {
  return name.replace(/\s*\((?:[^()]*(?:chưa đối chiếu|tên mô tả|unsourced)[^()]*)\)/gi, '').trim();
}

/**
 * A form's file name glued to the document name by the scrape: "…(Mẫu CT01 …TT-BCA).1.MuCT01… (3).doc",
 * "…Bộ Công an)Mẫu DC02 Phiếu….doc", "…QĐ-TTgGiấy đề nghị.pdf", "…nhà ở.phuluc TT05 ….docx".
 */
function withoutFileName(name: string): string {
  if (!/\.(docx?|pdf|xlsx?)\s*$/i.test(name)) return name;
  const tidy = (text: string) => text.replace(/[\s;]+$/, '').trim();
  // "….1.MuCT01banhnhkmtheoThngts53 (3).doc", ";2.Vnbnxcnh… (1).doc": a numbered file name without spaces.
  const numbered = name.replace(/\d+\.[^\s()]+(?:\s\(\d+\))?\.(docx?|pdf|xlsx?)\s*$/i, '');
  if (numbered !== name) return tidy(numbered);
  // "…Bộ Công an)Mẫu DC02 Phiếu….doc", "…chi trả).Mau so 01 ….docx": right after a closing parenthesis.
  const afterParen = name.replace(/\)[.;]?(?=[^\s,])[^()]*?\.(docx?|pdf|xlsx?)\s*$/i, ')');
  if (afterParen !== name) return tidy(afterParen);
  // "…QĐ-TTgGiấy đề nghị.pdf", "…nhà ở.phuluc TT05 ….docx": glued to the last word.
  return tidy(name.replace(/(\p{Ll})(?:\.(?=\p{L})|(?=\p{Lu}))[^()/]*?\.(docx?|pdf|xlsx?)\s*$/u, '$1'));
}

/**
 * "Lưu ý" headings and "0 bản chính" quantities are notes, not papers, and so is a "Trường hợp …"
 * sentence with no quantity; "Trường hợp … phải có biên bản" with "1 bản chính" is a paper needed
 * in that case.
 */
function isNote(name: string, quantity: string, group: string): boolean {
  return (
    /l[ưu]u\s*[ýy]/i.test(group) ||
    /^\*?\s*l[ưu]u\s*[ýy]/i.test(name) ||
    /^0 bản (chính|sao)$/.test(quantity.trim()) ||
    (!quantity.trim() && /^(ví dụ|trường hợp)/i.test(name.replace(/^[-+*\s]+/, '')))
  );
}

/** "0 bản chính,1 bản sao" → "1 bản sao": the zero is the table's empty column, not a quantity. */
const quantityOf = (quantity: string) =>
  quantity
    .split(',')
    .map((q) => q.trim())
    .filter((q) => q && !/^0+ bản/.test(q))
    .join(', ');

/** A piece of a table cell the scrape cut off: "hoặc", "có chứng thực) (khoản 2 …)", ") (khoản 1 …)". */
const isFragment = (name: string) => /^(\)|hoặc\b|có chứng thực|kèm bản chính)/.test(name.trim());

/**
 * Joins cells the scrape split where a quantity sat inside the name, e.g. "Giấy phép xây dựng ("
 * (01 bản chính) + "hoặc" (01 bản sao) + "có chứng thực) (điểm c …)" → "Giấy phép xây dựng
 * (01 bản chính hoặc 01 bản sao có chứng thực) (điểm c …)", the wording of Nghị định 99/2022.
 */
function joinSplitCells(documents: readonly SharedDocument[]): SharedDocument[] {
  const out: SharedDocument[] = [];
  for (let i = 0; i < documents.length; i++) {
    const first = documents[i] as SharedDocument;
    if (!first.name.trim().endsWith('(')) {
      out.push(first);
      continue;
    }
    const parts = [first.name.trim(), first.quantity.trim()];
    while (i + 1 < documents.length && isFragment((documents[i + 1] as SharedDocument).name)) {
      const next = documents[++i] as SharedDocument;
      const last = /^\)|\)/.test(next.name.trim());
      parts.push(next.name.trim());
      if (last) break;
      parts.push(next.quantity.trim());
    }
    const name = parts
      .join(' ')
      .replace(/\(\s+/g, '(')
      .replace(/\s+\)/g, ')')
      .replace(/\s{2,}/g, ' ');
    out.push({ name, quantity: '', group: first.group ?? null });
  }
  return out;
}

function documentsOf(list: readonly SharedDocument[]) {
  return joinSplitCells(list)
    .map((d) => ({ ...d, name: withoutFileName(d.name.trim()) }))
    .filter((d) => /\p{L}{3}/u.test(d.name) && !isFragment(d.name))
    .map((d) => {
      const note = isNote(d.name, d.quantity, d.group ?? '');
      return { name: d.name, quantity: note ? '' : quantityOf(d.quantity), group: d.group ?? '', note };
    });
}

/**
 * Rows with neither time nor fee continue the row before them (the source's table cell went on
 * over a line break): their text joins that row. Rows repeating another exactly are dropped.
 */
function channelsOf(list: readonly SharedChannel[]) {
  const out: { channel: string; processingTime: string; fee: string; feeNote: string; description: string }[] = [];
  const hasText = (text: string) => (/\p{L}{2}/u.test(text) ? text.trim() : '');
  for (const c of list) {
    const description = hasText(c.description);
    const previous = out.at(-1);
    if (!c.processing_time.trim() && !c.fee.trim() && previous) {
      if (description && !previous.description.includes(description))
        previous.description = [previous.description.replace(/^-$/, ''), description].filter(Boolean).join(' ');
      continue;
    }
    const row = {
      channel: c.channel.trim(),
      processingTime: c.processing_time.trim(),
      fee: c.fee.trim(),
      feeNote: hasText(c.fee_note) || c.fee_note.trim(),
      description,
    };
    if (out.some((o) => JSON.stringify(o) === JSON.stringify(row))) continue;
    out.push(row);
  }
  return out;
}

/** Fee notes without the copies the scrape made in parentheses. */
function feeNotesOf(notes: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const note of notes) {
    const clean = note
      .trim()
      .replace(/^\((.*)\)$/s, '$1')
      .trim();
    const key = clean.replace(/\s+/g, '').replace(/\.$/, '');
    if (!clean || seen.has(key)) continue;
    seen.add(key);
    out.push(clean);
  }
  return out;
}

function stepsTimeOf(code: string, steps: string): StepsTime | undefined {
  const file = stepsTimeFile.parse(stepsTimeData);
  const entry = file.procedures[code];
  if (!entry) return undefined;
  if (!steps.includes(entry.quote)) throw new Error(`${code}: the steps-time quote is not in the source's steps`);
  const kind = entry.kind ? file.kinds[entry.kind] : undefined;
  const vi = entry.vi ?? kind?.vi;
  const en = entry.en ?? kind?.en;
  if (!vi || !en) throw new Error(`${code}: steps time without its wording`);
  return { vi, en, quote: entry.quote, sameDay: entry.sameDay ?? kind?.sameDay ?? false };
}

/**
 * The handling agency and the competent authority, once each: the scrape often gives the same
 * text in both ("Công an cấp Xã; Công an cấp Xã" on 28 cards).
 */
function agencyOf(agency: string, authority: string): string {
  const named = [agency, authority].map((a) => a.trim()).filter((a) => a && a !== 'Không có thông tin');
  return [...new Set(named)].join('; ');
}

function convert(rows: z.infer<typeof shared>): Procedure[] {
  return rows.map((r) =>
    procedureSchema.parse({
      code: r.code,
      codeStatus: r.code_status,
      name: withoutRemarks(r.name),
      group: r.group,
      level: r.level,
      field: r.field,
      agency: agencyOf(r.agency, r.competent_authority),
      applicants: r.applicants === 'Không có thông tin' || r.applicants === 'unsourced' ? '' : r.applicants.trim(),
      fee: r.fee,
      feeStatus: r.fee_status,
      feeNotes: feeNotesOf(r.fee_notes),
      processingTime: r.processing_time,
      processingTimeStatus: r.processing_time_status,
      stepsTime: stepsTimeOf(r.code, r.steps_raw),
      channels: channelsOf(r.channels),
      documents: documentsOf(r.required_documents),
      documentsStatus: r.required_documents_status,
      documentsRaw: r.required_documents_status === 'raw_text_only' ? r.required_documents_raw : '',
      legalBasis: r.legal_basis,
      onlineUrl: r.source.portal_url ?? null,
      source: {
        type: r.source.type,
        portalUrl: r.source.portal_url,
        repo: r.source.repo,
        commit: r.source.commit,
        path: r.source.path,
        scrapedAt: r.source.scraped_committed,
        license: r.source.license,
        references: r.source.references,
      },
    }),
  );
}

const input = process.argv[2];
if (!input) throw new Error('usage: tsx scripts/catalog-from-shared.ts <shared procedures.json>');
const out = convert(shared.parse(JSON.parse(readFileSync(input, 'utf8'))));
writeFileSync(new URL('../knowledge/data/procedures.json', import.meta.url), `${JSON.stringify(out, null, 1)}\n`);
process.stdout.write(`wrote ${out.length} procedures\n`);
