import { z } from 'zod';
import { feeTableSchema } from './settings';

/**
 * The procedure catalog's shapes. The shipped catalog (knowledge/data/procedures.json), the
 * database rows, the admin API bodies and the CSV/JSON imports are all parsed with these schemas.
 */

/** National procedure codes look like 1.001193; a province may add a suffix (1.001193.H19). */
export const PROCEDURE_CODE = /^\d{1,2}\.\d{6}(\.[A-Z0-9]{1,8})?$/;
export const procedureCode = z.string().trim().regex(PROCEDURE_CODE, 'expected a procedure code such as 1.001193');

/**
 * Where a value came from. `office` marks a value an admin of the office entered; the others
 * describe the shipped data (see shared catalog README): `sourced_unit_missing` means the source
 * gave a number without its unit, which we never guess.
 */
export const FEE_STATUSES = ['sourced', 'not_stated_in_source', 'unsourced', 'office'] as const;
export const TIME_STATUSES = ['sourced', 'sourced_unit_missing', 'not_stated_in_source', 'unsourced', 'office'] as const;
export const DOCUMENTS_STATUSES = ['parsed', 'raw_text_only', 'unsourced', 'office'] as const;
export const CODE_STATUSES = ['sourced', 'secondary_unverified', 'office'] as const;

/** The longest title a card shows; longer official names need a shortName (knowledge/catalog-check.ts). */
export const SHORT_NAME_MAX = 80;

const text = (max: number) => z.string().trim().max(max, `expected at most ${max} characters`);

export const documentSchema = z.strictObject({
  name: text(10000).min(1, 'expected the document name'),
  quantity: text(100).default(''),
  /** The heading the document sits under in the source ("* Giấy tờ phải nộp:"), if any. */
  group: text(2000).default(''),
  /** A note ("Lưu ý", "Trường hợp ...") rather than a paper to bring. */
  note: z.boolean().default(false),
});

export const channelSchema = z.strictObject({
  /** Trực tiếp / Trực tuyến / Dịch vụ bưu chính, as the source writes it. */
  channel: text(100).min(1, 'expected the channel name'),
  processingTime: text(500).default(''),
  fee: text(500).default(''),
  feeNote: text(2000).default(''),
  description: text(10000).default(''),
});

/**
 * A processing time read from the source's steps where its time field has no unit (curated in
 * knowledge/data/steps-time.json; scripts/catalog-from-shared.ts checks the quote is the source's).
 */
export const stepsTimeSchema = z.strictObject({
  vi: text(300).min(3),
  en: text(300).min(3),
  /** The sentence of the source's steps the time is read from, verbatim. */
  quote: text(2000).min(10),
  /** True when the steps say a complete dossier gets its result the same working day. */
  sameDay: z.boolean().default(false),
});
export type StepsTime = z.infer<typeof stepsTimeSchema>;

export const sourceSchema = z.strictObject({
  type: text(500).min(1, 'expected where the record came from'),
  portalUrl: z.url({ error: 'expected an https:// address' }).optional(),
  repo: text(200).optional(),
  commit: text(64).optional(),
  path: text(500).optional(),
  scrapedAt: text(40).optional(),
  license: text(500).optional(),
  references: z.array(text(1000)).max(20).optional(),
});

/**
 * One procedure of the catalog.
 *
 * @example
 * const parsed = procedureSchema.safeParse(JSON.parse(body));
 * if (parsed.success) await catalog.upsert(actor, parsed.data);
 */
export const procedureSchema = z.strictObject({
  code: procedureCode,
  codeStatus: z.enum(CODE_STATUSES).default('office'),
  name: text(2000).min(3, 'expected the procedure name'),
  /** The short name citizens use ("Đăng ký khai sinh"), shown as the card's title; ours, not official. */
  shortName: text(SHORT_NAME_MAX).min(3).optional(),
  /** Our own short English rendering of the name (not an official translation). */
  nameEn: text(300).optional(),
  /** Everyday words citizens use for it ("sổ đỏ", "làm giấy khai sinh cho con"). */
  keywords: z.array(text(120).min(1)).max(60).default([]),
  /** A hint for ranking: the procedures citizens ask for most. */
  common: z.boolean().default(false),
  group: text(200).min(1, 'expected the group (Hộ tịch, Chứng thực, ...)'),
  level: text(200).default(''),
  field: text(300).default(''),
  agency: text(5000).default(''),
  /** Who may apply, as the source writes it ("Công dân Việt Nam, Người Việt Nam định cư ở nước ngoài"). */
  applicants: text(2000).default(''),
  fee: text(1000).default(''),
  feeStatus: z.enum(FEE_STATUSES),
  feeNotes: z.array(text(2000)).max(30).default([]),
  processingTime: text(500).default(''),
  processingTimeStatus: z.enum(TIME_STATUSES),
  /** A time the source states only in its steps (trình tự thực hiện), with the sentence it comes from. */
  stepsTime: stepsTimeSchema.optional(),
  channels: z.array(channelSchema).max(30).default([]),
  documents: z.array(documentSchema).max(300).default([]),
  documentsStatus: z.enum(DOCUMENTS_STATUSES),
  documentsRaw: text(100000).default(''),
  legalBasis: z.array(text(200)).max(100).default([]),
  /** The procedure's page on the national public-service portal (dichvucong.gov.vn). */
  onlineUrl: z.url({ error: 'expected an https:// address' }).nullable().default(null),
  source: sourceSchema,
});

export type Procedure = z.infer<typeof procedureSchema>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time HH:mm');

/**
 * A same-day day of an office ("Ngày không hẹn" on Mondays for Tư pháp, Địa chính...): on that
 * weekday a complete dossier of one of `groups` handed in before `cutoff` is processed the same day.
 */
export const sameDayRuleSchema = z.strictObject({
  /** 0 = Sunday ... 6 = Saturday. */
  weekday: z.number().int().min(0).max(6),
  label: text(100).min(1, 'expected the name of the day, e.g. Ngày không hẹn'),
  /** Catalog groups (Procedure.group) the day applies to. */
  groups: z.array(text(200).min(1)).min(1, 'expected at least one group').max(50),
  cutoff: hhmm.default('16:00'),
});
export type SameDayRule = z.infer<typeof sameDayRuleSchema>;

/** The office's own days off (public holidays, Tết, a local closing), so the chat can name the next ones. */
export const holidaySchema = z.strictObject({
  date: z.iso.date({ error: 'expected a date YYYY-MM-DD' }),
  name: text(100).min(1, 'expected the name of the day off'),
});
export type Holiday = z.infer<typeof holidaySchema>;

/** The most days off an office keeps: a year's public holidays and Tết with room to spare. */
export const MAX_HOLIDAYS = 60;

/** Where an office differs from the province's defaults. */
export const officeSettingsSchema = z.strictObject({
  /** When the handover inbox (a person answering in the chat) is staffed, as the office writes it. */
  handoverHours: text(200).optional(),
  /** The office's own copy-certification fee table, when it differs from the deployment's. */
  certificationFees: feeTableSchema.optional(),
});
export type OfficeSettings = z.infer<typeof officeSettingsSchema>;

/** An office's code: lower case letters, digits and hyphens, used in links, QR posters and files. */
export const OFFICE_CODE = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** An office code made from its name: "UBND phường Bến Nghé" -> "ubnd-phuong-ben-nghe". */
export function officeCodeFrom(name: string): string {
  const slug = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 64)
    .replace(/^-+|-+$/g, '');
  return slug || 'office';
}

export const officeSchema = z.strictObject({
  /** Given by the admin or the import file; made from the name when left out. */
  code: z.string().regex(OFFICE_CODE, 'expected an office code (lower case letters, digits and -)').optional(),
  name: text(300).min(3, 'expected the office name'),
  address: text(500).min(3, 'expected the address'),
  phone: text(40).min(3, 'expected a phone number'),
  openingHours: text(500).min(3, 'expected the opening hours'),
  sameDay: z.array(sameDayRuleSchema).max(7).default([]),
  holidays: z
    .array(holidaySchema)
    .max(MAX_HOLIDAYS, `expected at most ${MAX_HOLIDAYS} days off`)
    .default([])
    .refine((days) => new Set(days.map((d) => d.date)).size === days.length, 'expected each date once'),
  portal: z.url({ error: 'expected an https:// address' }).nullable().default(null),
  settings: officeSettingsSchema.default({}),
  /** True for the seeded example office until an admin fills in the real one. */
  demo: z.boolean().default(false),
});
export type Office = z.infer<typeof officeSchema>;
