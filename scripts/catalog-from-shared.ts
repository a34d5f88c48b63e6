/**
 * Rebuilds knowledge/data/procedures.json from the curated shared catalog
 * (`npx tsx scripts/catalog-from-shared.ts ../shared/catalog/procedures.json`). It renames fields
 * to ours and flags the notes mixed into document lists; it never fills in a missing value.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { type Procedure, procedureSchema } from '../vocabulary/procedure';

const str = z.string().default('');
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
    fee: str,
    fee_status: z.enum(['sourced', 'not_stated_in_source', 'unsourced']),
    fee_notes: z.array(z.string()).default([]),
    processing_time: str,
    processing_time_status: z.enum(['sourced', 'sourced_unit_missing', 'not_stated_in_source', 'unsourced']),
    channels: z.array(z.object({ channel: z.string(), processing_time: str, fee: str, fee_note: str, description: str })).default([]),
    required_documents: z.array(z.object({ name: z.string(), quantity: str, group: z.string().nullish() })).default([]),
    required_documents_status: z.enum(['parsed', 'raw_text_only', 'unsourced']),
    required_documents_raw: str,
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

/** "Lưu ý" headings, "0 bản" quantities and "Trường hợp ..." sentences are notes, not papers. */
function isNote(name: string, quantity: string, group: string): boolean {
  return (
    /l[ưu]u\s*[ýy]/i.test(group) ||
    /^\*?\s*l[ưu]u\s*[ýy]/i.test(name) ||
    /^0 bản chính$/.test(quantity) ||
    /^(ví dụ|trường hợp)/i.test(name.replace(/^[-+*\s]+/, ''))
  );
}

const input = process.argv[2];
if (!input) throw new Error('usage: tsx scripts/catalog-from-shared.ts <shared procedures.json>');
const rows = shared.parse(JSON.parse(readFileSync(input, 'utf8')));
const out: Procedure[] = rows.map((r) =>
  procedureSchema.parse({
    code: r.code,
    codeStatus: r.code_status,
    name: r.name,
    group: r.group,
    level: r.level,
    field: r.field,
    agency: [r.agency, r.competent_authority].filter((a) => a && a !== 'Không có thông tin').join('; '),
    fee: r.fee,
    feeStatus: r.fee_status,
    feeNotes: r.fee_notes,
    processingTime: r.processing_time,
    processingTimeStatus: r.processing_time_status,
    channels: r.channels.map((c) => ({ channel: c.channel, processingTime: c.processing_time, fee: c.fee, feeNote: c.fee_note, description: c.description })),
    documents: r.required_documents.map((d) => ({
      name: d.name.trim(),
      quantity: d.quantity,
      group: d.group ?? '',
      note: isNote(d.name, d.quantity, d.group ?? ''),
    })),
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
writeFileSync(new URL('../knowledge/data/procedures.json', import.meta.url), `${JSON.stringify(out, null, 1)}\n`);
process.stdout.write(`wrote ${out.length} procedures\n`);
