import { DOCUMENT_KINDS, type DocumentKind } from '../../domain/certification/documents';
import { type ScanType, sniffScanType } from '../../lib/file-type';
import type { Translate } from '../../vocabulary/locales';
import type { FieldError } from '../components';

/** What the clerk typed into the upload form, to show it again beside the errors. */
export interface UploadValues {
  kind: string;
  title: string;
  pages: string;
  officeId: string;
}

export const NO_UPLOAD: UploadValues = { kind: '', title: '', pages: '1', officeId: '' };

export interface UploadInput {
  kind: DocumentKind;
  title: string;
  pages: number;
  officeId: number;
  bytes: Uint8Array;
  contentType: ScanType;
}

type Form = Record<string, string | File | (string | File)[]>;

const text = (form: Form, name: string): string => {
  const value = form[name];
  return typeof value === 'string' ? value : '';
};

/** A size as a clerk reads it: 350 KB, 1,2 MB (with the language's decimal mark). */
export function fileSize(bytes: number, locale: string): string {
  const [value, unit] = bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'MB'] : [Math.max(1, Math.round(bytes / 1024)), 'KB'];
  const shown = unit === 'MB' ? value.toFixed(1).replace(/\.0$/, '') : String(value);
  return `${locale === 'vi' ? shown.replace('.', ',') : shown} ${unit}`;
}

/**
 * Checks an upload as the API does (size first, then the type by the file's first bytes, never
 * its name), plus the form's own fields. `officeId` is the clerk's office, or one of `offices`
 * for a province-wide account. Every problem is named for its field; nothing is stored here.
 */
export async function readUpload(
  form: Form,
  options: { t: Translate; locale: string; maxBytes: number; officeId: number | null; offices: { id: number }[] },
): Promise<{ ok: true; input: UploadInput } | { ok: false; errors: FieldError[]; values: UploadValues }> {
  const { t } = options;
  const values: UploadValues = {
    kind: text(form, 'kind'),
    title: text(form, 'title').trim(),
    pages: text(form, 'pages').trim(),
    officeId: text(form, 'officeId'),
  };
  const errors: FieldError[] = [];
  const kind = DOCUMENT_KINDS.find((k) => k === values.kind);
  if (!kind) errors.push({ field: 'kind', message: t('citizens.errors.kind') });
  if (values.title.length < 2) errors.push({ field: 'title', message: t('citizens.errors.label') });
  else if (values.title.length > 200) errors.push({ field: 'title', message: t('citizens.errors.labelLong') });
  const pages = /^\d{1,4}$/.test(values.pages) ? Number(values.pages) : 0;
  if (pages < 1 || pages > 1000) errors.push({ field: 'pages', message: t('citizens.errors.pages') });
  const officeId = options.officeId ?? options.offices.find((o) => String(o.id) === values.officeId)?.id;
  if (officeId === undefined) errors.push({ field: 'officeId', message: t('citizens.errors.office') });

  const file = form.file;
  let scan: { bytes: Uint8Array; contentType: ScanType } | undefined;
  if (!(file instanceof File) || (file.size === 0 && file.name === '')) errors.push({ field: 'file', message: t('citizens.errors.fileMissing') });
  else if (file.size === 0) errors.push({ field: 'file', message: t('citizens.errors.fileEmpty') });
  else if (file.size > options.maxBytes)
    errors.push({
      field: 'file',
      message: t('citizens.errors.fileTooLarge', { size: fileSize(file.size, options.locale), max: fileSize(options.maxBytes, options.locale) }),
    });
  else {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const contentType = sniffScanType(bytes);
    if (contentType) scan = { bytes, contentType };
    else errors.push({ field: 'file', message: t('citizens.errors.fileType') });
  }
  if (errors.length || !kind || officeId === undefined || !scan) return { ok: false, errors, values };
  return { ok: true, input: { kind, title: values.title, pages, officeId, ...scan } };
}
