import { parse } from 'csv-parse/sync';
import type { z } from 'zod';

/** One problem in an imported CSV file: `line` counts the header as line 1; 0 means the whole file. */
export interface CsvProblem {
  line: number;
  column: string;
  message: string;
}

/** A data row and its line in the file (the first data row is line 2). */
interface CsvRow {
  line: number;
  cells: string[];
}

/**
 * Splits an office's CSV file (UTF-8, optional BOM, a header row, comma or semicolon separated,
 * blank lines skipped, cells trimmed) into its header and data rows. Files that are not CSV or
 * are empty come back as a problem naming what a row should be.
 *
 * @example
 * const table = readCsvTable('phone;kind\n0912345678;Karaoke\n', 'permit');
 * // { ok: true, header: ['phone', 'kind'], rows: [{ line: 2, cells: ['0912345678', 'Karaoke'] }] }
 */
export function readCsvTable(text: string, rowNoun: string): { ok: true; header: string[]; rows: CsvRow[] } | { ok: false; errors: CsvProblem[] } {
  const delimiter = (text.split('\n', 1)[0] ?? '').includes(';') ? ';' : ',';
  let records: string[][];
  try {
    records = parse(text, { bom: true, delimiter, skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (error) {
    return { ok: false, errors: [{ line: 0, column: '', message: `The file is not valid CSV: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const [header, ...body] = records;
  if (!header) return { ok: false, errors: [{ line: 1, column: '', message: `The file is empty: expected a header row and one row per ${rowNoun}.` }] };
  return { ok: true, header, rows: body.map((cells, index) => ({ line: index + 2, cells })) };
}

/** The row's problem when it has more or fewer cells than the header has columns. */
export function rowWidthProblems(row: CsvRow, width: number): CsvProblem[] {
  return row.cells.length === width ? [] : [{ line: row.line, column: '', message: `expected ${width} cells, found ${row.cells.length}` }];
}

/**
 * A row's schema failures as problems, each named by the file's column rather than the field.
 *
 * @example rowIssueProblems(3, parsed.error.issues, { issuedOn: 'issued' }) // [{ line: 3, column: 'issued', message: '…' }]
 */
export function rowIssueProblems(
  line: number,
  issues: z.core.$ZodIssue[],
  columnOf: Readonly<Record<string, string>>,
  messageOf: (issue: z.core.$ZodIssue, field: string) => string = (issue) => issue.message,
): CsvProblem[] {
  return issues.map((issue) => {
    const field = String(issue.path[0] ?? '');
    return { line, column: (Object.hasOwn(columnOf, field) ? columnOf[field] : undefined) ?? field, message: messageOf(issue, field) };
  });
}

/** Cells a spreadsheet would run as a formula start with one of these. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Text a spreadsheet would run as a formula (a question a citizen typed as "=HYPERLINK(…)", a
 * phone written "+84…") is kept as text by a leading apostrophe. Numbers stay numbers.
 *
 * @example spreadsheetSafe('=1+1') // "'=1+1"
 */
export function spreadsheetSafe(cell: string | number): string | number {
  return typeof cell === 'string' && FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/**
 * The cell as written before {@link spreadsheetSafe}: the apostrophe it added is taken off again,
 * so a file exported and imported back reads the same.
 *
 * @example spreadsheetText("'+84 28 3822 0000") // '+84 28 3822 0000'
 */
export function spreadsheetText(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}
