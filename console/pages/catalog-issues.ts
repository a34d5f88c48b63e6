import type { z } from 'zod';
import { CSV_COLUMNS, type ImportProblem, type ProblemDetail, problemDetail } from '../../knowledge/transfer';
import type { Translate } from '../../vocabulary/locales';
import type { FieldError } from '../components';

/** Fields that are lists typed one item per line: a problem with item n belongs to the whole box. */
const LINE_LISTS = new Set(['keywords', 'feeNotes', 'legalBasis', 'references']);
/** Groups of inputs the procedure form renders as one fieldset each, with numbered items. */
const ITEM_GROUPS: Record<string, string> = { channels: 'catalog.channel', documents: 'catalog.document', sameDay: 'catalog.offices.rule' };
const NESTED: Record<string, string> = { stepsTime: 'catalog.steps', source: 'catalog.sourceField' };
const KNOWN = new Set<string>(CSV_COLUMNS);

/** Which form the problems are about: a procedure's fields or an office's. */
export type FormArea = 'procedure' | 'office';
const FIELDS: Record<FormArea, string> = { procedure: 'catalog.fields', office: 'catalog.offices.fields' };

type Path = readonly (string | number)[];

/** "channels.0.fee" → ['channels', 0, 'fee'], as a zod path. */
export const pathOf = (field: string): Path => field.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));

/** The form input a problem belongs to: `channels-0-fee`, `keywords`, `source-references`. */
export function inputIdOf(path: Path): string {
  const parts = path.map(String);
  const list = parts.findIndex((p) => LINE_LISTS.has(p));
  if (list >= 0) return parts.slice(0, list + 1).join('-');
  if (parts[0] === 'holidays') return 'holidays';
  return parts.join('-') || 'name';
}

/** The field's name as the clerk reads it: "Hình thức nộp 2 — Phí, lệ phí". */
export function fieldLabel(t: Translate, path: Path, area: FormArea = 'procedure'): string {
  const [head, second, third] = path;
  if (typeof head !== 'string' || (area === 'procedure' && !KNOWN.has(head))) return path.length ? path.join('.') : t('catalog.fields.record');
  const group = ITEM_GROUPS[head];
  if (group && typeof second === 'number') {
    const item = t(`${group}.item`, { n: second + 1 });
    return typeof third === 'string' ? `${item} — ${t(`${group}.${third}`)}` : item;
  }
  const nested = NESTED[head];
  if (nested && typeof second === 'string') return `${t(`catalog.fields.${head}`)} — ${t(`${nested}.${second}`)}`;
  if (head === 'holidays' && typeof second === 'number') return t('catalog.offices.holidayLine', { n: second + 1 });
  const label = t(`${FIELDS[area]}.${head}`);
  return LINE_LISTS.has(head) && typeof second === 'number' ? t('catalog.lineOf', { label, n: second + 1 }) : label;
}

/** What is wrong, in the clerk's words; never the validator's own (English) text. */
export function problemText(t: Translate, detail: ProblemDetail | undefined, path: Path, area: FormArea = 'procedure'): string {
  const last = String([...path].reverse().find((p) => typeof p === 'string') ?? '');
  const limit = detail?.limit;
  switch (detail?.kind) {
    case 'too_small':
      if (detail.origin === 'array') return t('catalog.issues.fewItems', { limit });
      return (limit ?? 0) <= 1 ? t('catalog.issues.required') : t('catalog.issues.tooShort', { limit });
    case 'too_big':
      return detail.origin === 'array' ? t('catalog.issues.manyItems', { limit }) : t('catalog.issues.tooLong', { limit });
    case 'invalid_format':
      if (detail.format === 'url') return t('catalog.issues.url');
      if (detail.format === 'date') return t('catalog.issues.date');
      // A procedure's code (1.001193) and an office's (phuong-ben-nghe) have different shapes.
      if (last === 'code') return t(area === 'office' ? 'catalog.issues.officeCode' : 'catalog.issues.code');
      if (last === 'cutoff') return t('catalog.issues.time');
      return t('catalog.issues.format');
    case 'invalid_value':
      return t('catalog.issues.choose');
    case 'invalid_type':
      return t('catalog.issues.required');
    case 'custom':
      return last === 'holidays' ? t('catalog.issues.holidayTwice') : t('catalog.issues.invalid');
    case 'unrecognized_keys':
    case 'duplicate_code':
    case 'duplicate_area':
    case 'area_cell':
    case 'missing_column':
    case 'unknown_column':
    case 'json_cell':
    case 'empty':
    case 'unreadable':
    case 'not_array':
    case 'not_json':
    case 'nul':
      return t(`catalog.issues.${detail.kind}`, { limit });
    default:
      return t('catalog.issues.invalid');
  }
}

/** A form's zod issues as field errors, each named and linked to its input. */
export function issueErrors(t: Translate, issues: readonly z.core.$ZodIssue[], area: FormArea = 'procedure'): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const field = inputIdOf(issue.path as Path);
    const message = `${fieldLabel(t, issue.path as Path, area)}: ${problemText(t, problemDetail(issue), issue.path as Path, area)}`;
    if (seen.has(`${field}\n${message}`)) continue;
    seen.add(`${field}\n${message}`);
    errors.push({ field, message });
  }
  return errors;
}

/** An import problem as a table row: the record, the field and what is wrong. */
export function importProblemText(t: Translate, problem: ImportProblem, area: FormArea = 'procedure'): { record: string; field: string; problem: string } {
  const path = problem.field.startsWith('(') ? [] : pathOf(problem.field);
  return {
    record: problem.row === 0 ? t('catalog.import.wholeFile') : String(problem.row),
    field: path.length ? fieldLabel(t, path, area) : '—',
    problem: problemText(t, problem.detail, path, area),
  };
}
