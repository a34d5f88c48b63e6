import { Hono } from 'hono';
import { REGISTER_COLUMNS, REQUIRED_COLUMNS, type RegisterError } from '../../domain/dossiers/csv-register';
import { importRegister, type RegisterImport } from '../../domain/dossiers/import-register';
import { formatLocalDateTime } from '../../lib/vn-time';
import type { Translate } from '../../vocabulary/locales';
import { ErrorSummary, type FieldError, FileField, Notice, phoneForStaff } from '../components';
import { type ConsoleContext, type ConsoleDeps, type ConsoleEnv, signedIn } from '../context';
import { Csrf } from '../layout';
import { CONSOLE } from '../paths';
import { renderPage } from '../render';
import type { Guards } from '../session';

const IMPORT = `${CONSOLE}/dossiers/import`;

/** The problem in the clerk's words: what the named column expects, or what is wrong with the file or row. */
function problemText(t: Translate, p: RegisterError): string {
  if (p.line === 0) return t('dossiers.import.problems.file');
  if ((REGISTER_COLUMNS as readonly string[]).includes(p.column)) {
    return p.line === 1 ? t('dossiers.import.problems.header') : t(`dossiers.import.problems.${p.column}`);
  }
  return p.line === 1 ? (p.column ? t('dossiers.import.problems.header') : t('dossiers.import.problems.file')) : t('dossiers.import.problems.row');
}

/** The upload form; after a problem it comes back with the text in the box, ready to fix. */
const UploadForm = ({ c, text, error }: { c: ConsoleContext; text: string; error?: string }) => {
  const t = c.get('t');
  return (
    <form method="post" action={IMPORT} enctype="multipart/form-data" novalidate>
      <Csrf c={c} />
      <FileField id="file" label={t('dossiers.import.file')} hint={t('dossiers.import.fileHint')} error={error} accept=".csv,text/csv" />
      <div class="field">
        <label for="csv">{t('dossiers.import.paste')}</label>
        <p class="hint" id="csv-hint">
          {t('dossiers.import.pasteHint')}
        </p>
        <textarea id="csv" name="csv" class="input code" rows={8} aria-describedby="csv-hint" spellcheck={false}>
          {text}
        </textarea>
      </div>
      <button type="submit">{t('dossiers.import.check')}</button>
    </form>
  );
};

function startPage(c: ConsoleContext, options: { text?: string; error?: string } = {}) {
  const t = c.get('t');
  const done = c.req.query('done') === 'imported';
  const count = (name: string) => Number(c.req.query(name) ?? 0) || 0;
  return renderPage(c, {
    title: t('dossiers.import.title'),
    status: options.error ? 400 : 200,
    notice: done ? (
      <Notice kind="success">
        <p>{t('dossiers.import.done', { created: count('created'), updated: count('updated'), unchanged: count('unchanged') })}</p>
        <a href={`${CONSOLE}/dossiers`}>{t('dossiers.import.toList')}</a>
      </Notice>
    ) : undefined,
    body: (
      <>
        <ErrorSummary title={t('common.errorSummary')} errors={options.error ? [{ field: 'file', message: options.error }] : []} />
        <p class="lead">{t('dossiers.import.intro')}</p>
        <UploadForm c={c} text={options.text ?? ''} error={options.error} />
        <h2>{t('dossiers.import.format')}</h2>
        <p>{t('dossiers.import.formatText')}</p>
        <p>{t('dossiers.import.limit')}</p>
        <p>
          <a href={`${IMPORT}/template.csv`} download>
            {t('dossiers.import.template')}
          </a>
        </p>
        <table class="responsive">
          <caption class="visually-hidden">{t('dossiers.import.columns')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dossiers.import.columnName')}</th>
              <th scope="col">{t('dossiers.import.columnRequired')}</th>
              <th scope="col">{t('dossiers.import.columnMeaning')}</th>
            </tr>
          </thead>
          <tbody>
            {REGISTER_COLUMNS.map((column) => (
              <tr>
                <td data-label={t('dossiers.import.columnName')}>
                  <code>{column}</code>
                </td>
                <td data-label={t('dossiers.import.columnRequired')}>
                  {REQUIRED_COLUMNS.includes(column) ? t('dossiers.import.yes') : t('dossiers.import.no')}
                </td>
                <td data-label={t('dossiers.import.columnMeaning')}>{t(`dossiers.import.meaning.${column}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    ),
  });
}

/** Every problem of the file, by line, and the text back in the box to fix. Nothing was written. */
function problemsPage(c: ConsoleContext, text: string, problems: RegisterError[]) {
  const t = c.get('t');
  const summary: FieldError[] = [{ field: 'problems', message: t('dossiers.import.problemsTitle', { count: problems.length }) }];
  return renderPage(c, {
    title: t('dossiers.import.title'),
    status: 400,
    wide: true,
    body: (
      <>
        <ErrorSummary title={t('common.errorSummary')} errors={summary} />
        <h2 id="problems" tabindex={-1}>
          {t('dossiers.import.problemsTitle', { count: problems.length })}
        </h2>
        <p>{t('dossiers.import.problemsIntro')}</p>
        <table class="responsive problems">
          <caption class="visually-hidden">{t('dossiers.import.problemsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dossiers.import.line')}</th>
              <th scope="col">{t('dossiers.import.column')}</th>
              <th scope="col">{t('dossiers.import.problem')}</th>
              <th scope="col">{t('dossiers.import.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {problems.map((p) => (
              <tr>
                <td data-label={t('dossiers.import.line')}>{p.line === 0 ? t('dossiers.import.wholeFile') : p.line}</td>
                <td data-label={t('dossiers.import.column')}>{p.column ? <code>{p.column}</code> : '—'}</td>
                <td data-label={t('dossiers.import.problem')}>{problemText(t, p)}</td>
                <td data-label={t('dossiers.import.detail')} lang="en" class="muted">
                  {p.message}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>{t('dossiers.import.fixAndCheck')}</h2>
        <UploadForm c={c} text={text} />
      </>
    ),
  });
}

/** A clean file: what would be written, and the button that writes it (the text rides along in the form). */
function previewPage(c: ConsoleContext, text: string, preview: RegisterImport) {
  const t = c.get('t');
  return renderPage(c, {
    title: t('dossiers.import.previewTitle', { count: preview.rows.length }),
    wide: true,
    body: (
      <>
        <p class="lead">{t('dossiers.import.previewIntro')}</p>
        <p>{t('dossiers.import.previewCounts', { created: preview.created, updated: preview.updated, unchanged: preview.unchanged })}</p>
        <form method="post" action={`${IMPORT}/confirm`} enctype="multipart/form-data">
          <Csrf c={c} />
          <input type="hidden" name="csv" value={text} />
          <button type="submit">{t('dossiers.import.confirm', { count: preview.rows.length })}</button>
          <a href={IMPORT} class="button secondary">
            {t('dossiers.import.cancel')}
          </a>
        </form>
        <table class="responsive">
          <caption class="visually-hidden">{t('dossiers.import.previewCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dossiers.import.line')}</th>
              <th scope="col">{t('dossiers.column.code')}</th>
              <th scope="col">{t('dossiers.column.procedure')}</th>
              <th scope="col">{t('dossiers.column.applicant')}</th>
              <th scope="col">{t('dossiers.column.phone')}</th>
              <th scope="col">{t('dossiers.column.received')}</th>
              <th scope="col">{t('dossiers.column.due')}</th>
              <th scope="col">{t('dossiers.import.outcome')}</th>
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row) => (
              <tr>
                <td data-label={t('dossiers.import.line')}>{row.line}</td>
                <td data-label={t('dossiers.column.code')}>{row.receiptCode}</td>
                <td data-label={t('dossiers.column.procedure')}>{row.fields.procedureName ?? row.fields.procedureCode}</td>
                <td data-label={t('dossiers.column.applicant')}>{row.fields.applicantName}</td>
                <td data-label={t('dossiers.column.phone')}>{phoneForStaff(row.fields.applicantPhone)}</td>
                <td data-label={t('dossiers.column.received')}>{formatLocalDateTime(row.fields.receivedAt)}</td>
                <td data-label={t('dossiers.column.due')}>{formatLocalDateTime(row.fields.dueAt)}</td>
                <td data-label={t('dossiers.import.outcome')}>{t(`dossiers.import.outcomes.${row.outcome}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>
    ),
  });
}

/** The CSV the clerk sent: the chosen file, or else the pasted text. */
async function csvOf(c: ConsoleContext): Promise<string> {
  const body = await c.req.parseBody();
  const file = body.file;
  if (file instanceof File && file.size > 0) return file.text();
  return typeof body.csv === 'string' ? body.csv : '';
}

/**
 * The day's register: upload (a file or pasted text), a preview that lists every bad row or, for
 * a clean file, what would be written (a dry run of the real import, so nothing is written), and
 * a confirm that imports it all or nothing. The text travels in the confirm form, not in a
 * session, and is checked again there.
 */
export function dossierImportPages(deps: ConsoleDeps, guards: Guards) {
  const routes = new Hono<ConsoleEnv>();
  const writers = guards.role('staff', 'admin');

  routes.get('/dossiers/import', writers, (c) => startPage(c));

  routes.get('/dossiers/import/template.csv', writers, (c) =>
    // The byte-order mark lets Excel open the file as UTF-8.
    c.body(`\uFEFF${REGISTER_COLUMNS.join(',')}\r\n`, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': 'attachment; filename="so-theo-doi-ho-so.csv"',
    }),
  );

  const check = async (c: ConsoleContext, dryRun: boolean) => {
    const t = c.get('t');
    const text = await csvOf(c);
    if (!text.trim()) return startPage(c, { error: t('dossiers.import.empty') });
    // A file saved in a legacy code page decodes with replacement characters: say how to save it.
    if (text.includes('\uFFFD')) return startPage(c, { error: t('dossiers.import.notUtf8') });
    const result = await importRegister(deps, text, signedIn(c).actor, deps.clock.now(), { dryRun });
    if (!result.ok) return problemsPage(c, text, result.problems);
    if (dryRun) return previewPage(c, text, result.value);
    const { created, updated, unchanged } = result.value;
    return c.redirect(`${IMPORT}?done=imported&created=${created}&updated=${updated}&unchanged=${unchanged}`, 303);
  };
  routes.post('/dossiers/import', writers, (c) => check(c, true));
  routes.post('/dossiers/import/confirm', writers, (c) => check(c, false));
  return routes;
}
