import { Hono } from 'hono';
import type { FC } from 'hono/jsx';
import { type ImportProblem, type ImportResult, parseProceduresCsv, parseProceduresJson } from '../../knowledge/transfer';
import type { Translate } from '../../vocabulary/locales';
import type { Procedure } from '../../vocabulary/procedure';
import { ErrorSummary, type FieldError, FileField, Notice } from '../components';
import { type ConsoleContext, type ConsoleDeps, type ConsoleEnv, signedIn } from '../context';
import { Csrf } from '../layout';
import { CONSOLE } from '../paths';
import { renderPage } from '../render';
import type { Guards } from '../session';
import { type FormArea, importProblemText } from './catalog-issues';
import { fileSize } from './citizens-upload';

/**
 * The largest catalog file the console takes. The preview carries the file back in a hidden field
 * (base64, a third larger), so the two import forms get a body limit of their own above the
 * console's 1 MiB: the shipped catalog alone is about 1 MB as JSON.
 */
export const IMPORT_FILE_MAX_BYTES = 5 * 1024 * 1024;
export const CONSOLE_IMPORT_PATH = /^\/console\/catalog\/import(\/confirm)?$/;
export const CONSOLE_IMPORT_MAX_BYTES = 8 * 1024 * 1024;

/** How many codes the preview names per kind of change; the counts are always whole. */
const CODES_SHOWN = 40;

type Format = 'json' | 'csv';
type Form = Record<string, string | File | (string | File)[]>;

/** The format by the file's name, else by its first character (a JSON export starts with "["). */
export function formatOf(name: string, text: string): Format {
  if (/\.csv$/i.test(name)) return 'csv';
  if (/\.json$/i.test(name)) return 'json';
  return /^\s*[[{]/.test(text) ? 'json' : 'csv';
}

/**
 * Parses an import with the same code as the API (knowledge/transfer.ts), and refuses a NUL
 * character the database could not store, naming its record.
 */
function parseImport(text: string, format: Format): ImportResult {
  let result: ImportResult;
  if (format === 'csv') result = parseProceduresCsv(text);
  else {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'invalid_import', problems: [{ row: 0, field: '(file)', message: 'not JSON', detail: { kind: 'not_json' } }] };
    }
    result = parseProceduresJson(value);
  }
  if (!result.ok) return result;
  const nul: ImportProblem[] = result.value.flatMap((p, i) =>
    JSON.stringify(p).includes('\\u0000') ? [{ row: i + 1, field: '(record)', message: 'NUL character', detail: { kind: 'nul' } }] : [],
  );
  return nul.length ? { ok: false, reason: 'invalid_import', problems: nul } : result;
}

/** What replacing the catalog with `next` would do, by code. */
function changes(current: Procedure[], next: Procedure[]) {
  const before = new Map(current.map((p) => [p.code, JSON.stringify(p)]));
  const after = new Set(next.map((p) => p.code));
  return {
    added: next.filter((p) => !before.has(p.code)).map((p) => p.code),
    changed: next.filter((p) => before.has(p.code) && before.get(p.code) !== JSON.stringify(p)).map((p) => p.code),
    removed: current.filter((p) => !after.has(p.code)).map((p) => p.code),
    unchanged: next.filter((p) => before.get(p.code) === JSON.stringify(p)).length,
  };
}

const Codes: FC<{ t: Translate; label: string; codes: string[] }> = ({ t, label, codes }) =>
  codes.length ? (
    <div>
      <dt>
        {label} ({codes.length})
      </dt>
      <dd>
        {codes.slice(0, CODES_SHOWN).join(', ')}
        {codes.length > CODES_SHOWN ? ` ${t('catalog.import.more', { count: codes.length - CODES_SHOWN })}` : ''}
      </dd>
    </div>
  ) : null;

/** Every problem of a rejected file, in a table a clerk can work through row by row. */
export const ProblemTable: FC<{ t: Translate; problems: ImportProblem[]; area?: FormArea }> = ({ t, problems, area = 'procedure' }) => (
  <table class="responsive" id="problems">
    <caption>{t('catalog.import.problemsCaption', { count: problems.length })}</caption>
    <thead>
      <tr>
        <th scope="col">{t('catalog.import.record')}</th>
        <th scope="col">{t('catalog.import.field')}</th>
        <th scope="col">{t('catalog.import.problem')}</th>
      </tr>
    </thead>
    <tbody>
      {problems.map((p) => {
        const text = importProblemText(t, p, area);
        return (
          <tr>
            <td data-label={t('catalog.import.record')}>{text.record}</td>
            <td data-label={t('catalog.import.field')}>{text.field}</td>
            <td data-label={t('catalog.import.problem')}>{text.problem}</td>
          </tr>
        );
      })}
    </tbody>
  </table>
);

/** Export links and the import form; `errors` and `problems` when a file was refused. */
export function importPages(deps: ConsoleDeps, guards: Guards) {
  const routes = new Hono<ConsoleEnv>();
  const admin = guards.role('admin');

  function importPage(c: ConsoleContext, options: { errors?: FieldError[]; problems?: ImportProblem[] } = {}) {
    const t = c.get('t');
    const errors = options.errors ?? [];
    const problems = options.problems ?? [];
    const fileError = errors.find((e) => e.field === 'file')?.message;
    return renderPage(c, {
      title: t('catalog.import.title'),
      status: errors.length || problems.length ? 400 : 200,
      wide: problems.length > 0,
      body: (
        <>
          <ErrorSummary
            title={t('common.errorSummary')}
            errors={problems.length ? [{ field: 'problems', message: t('catalog.import.rejected', { count: problems.length }) }] : errors}
          />
          {problems.length ? <ProblemTable t={t} problems={problems} /> : null}
          <p>
            <a href={`${CONSOLE}/catalog`}>← {t('catalog.back')}</a>
          </p>
          <h2>{t('catalog.export.title')}</h2>
          <p>{t('catalog.export.hint')}</p>
          <p class="actions">
            <a class="button secondary" href={`${CONSOLE}/catalog/export?format=json`} download="procedures.json">
              {t('catalog.export.json')}
            </a>
            <a class="button secondary" href={`${CONSOLE}/catalog/export?format=csv`} download="procedures.csv">
              {t('catalog.export.csv')}
            </a>
          </p>
          <h2>{t('catalog.import.heading')}</h2>
          <p>{t('catalog.import.hint')}</p>
          <form method="post" action={`${CONSOLE}/catalog/import`} enctype="multipart/form-data" novalidate>
            <Csrf c={c} />
            <FileField
              id="file"
              label={t('catalog.import.file')}
              hint={t('catalog.import.fileHint', { max: fileSize(IMPORT_FILE_MAX_BYTES, c.get('locale')) })}
              error={fileError}
              accept=".json,.csv,application/json,text/csv"
            />
            <button type="submit">{t('catalog.import.preview')}</button>
          </form>
        </>
      ),
    });
  }

  routes.get('/catalog/import', admin, (c) => importPage(c));

  routes.post('/catalog/import', admin, async (c) => {
    const t = c.get('t');
    const form: Form = await c.req.parseBody();
    const file = form.file;
    if (!(file instanceof File) || (file.size === 0 && file.name === ''))
      return importPage(c, { errors: [{ field: 'file', message: t('catalog.import.fileMissing') }] });
    if (file.size === 0) return importPage(c, { errors: [{ field: 'file', message: t('catalog.import.fileEmpty') }] });
    if (file.size > IMPORT_FILE_MAX_BYTES)
      return importPage(c, {
        errors: [{ field: 'file', message: t('catalog.import.fileTooLarge', { max: fileSize(IMPORT_FILE_MAX_BYTES, c.get('locale')) }) }],
      });
    const text = await file.text();
    const format = formatOf(file.name, text);
    const result = parseImport(text, format);
    if (!result.ok) return importPage(c, { problems: result.problems });
    const diff = changes(await deps.catalog.list(), result.value);
    return renderPage(c, {
      title: t('catalog.import.previewTitle'),
      notice: <Notice kind="info">{t('catalog.import.allGood', { count: result.value.length, file: file.name })}</Notice>,
      body: (
        <>
          <dl class="summary">
            <Codes t={t} label={t('catalog.import.added')} codes={diff.added} />
            <Codes t={t} label={t('catalog.import.changed')} codes={diff.changed} />
            <Codes t={t} label={t('catalog.import.removed')} codes={diff.removed} />
            <div>
              <dt>{t('catalog.import.unchanged')}</dt>
              <dd>{diff.unchanged}</dd>
            </div>
          </dl>
          <p>{t('catalog.import.replaceWarning')}</p>
          <form method="post" action={`${CONSOLE}/catalog/import/confirm`} enctype="multipart/form-data">
            <Csrf c={c} />
            <input type="hidden" name="format" value={format} />
            <input type="hidden" name="content" value={Buffer.from(text, 'utf8').toString('base64')} />
            <button type="submit" class="warning">
              {t('catalog.import.confirm', { count: result.value.length })}
            </button>
            <a class="button secondary" href={`${CONSOLE}/catalog/import`}>
              {t('catalog.import.cancel')}
            </a>
          </form>
        </>
      ),
    });
  });

  // The file comes back from the preview page; it is checked again, as anything a browser sends is.
  routes.post('/catalog/import/confirm', admin, async (c) => {
    const form: Form = await c.req.parseBody();
    const content = typeof form.content === 'string' ? form.content : '';
    const format: Format = form.format === 'csv' ? 'csv' : 'json';
    const text = /^[A-Za-z0-9+/]*={0,2}$/.test(content) ? Buffer.from(content, 'base64').toString('utf8') : '';
    const result = text
      ? parseImport(text, format)
      : { ok: false as const, problems: [{ row: 0, field: '(file)', message: 'no content', detail: { kind: 'empty' } }] };
    if (!result.ok) return importPage(c, { problems: result.problems });
    await deps.catalog.replaceAll(signedIn(c).actor, result.value, format);
    return c.redirect(`${CONSOLE}/catalog?done=imported&count=${result.value.length}`, 303);
  });

  return routes;
}
