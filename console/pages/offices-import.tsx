import { Hono } from 'hono';
import type { FC } from 'hono/jsx';
import { type OfficeFileResult, officesToCsv, parseOfficesCsv, parseOfficesJson } from '../../domain/catalog/office-file';
import { exportOffices, type OfficeImportPlan, planOfficeImport } from '../../domain/catalog/offices-import';
import type { ImportProblem } from '../../knowledge/transfer';
import type { Translate } from '../../vocabulary/locales';
import { ErrorSummary, type FieldError, FileField, Notice } from '../components';
import { type ConsoleContext, type ConsoleDeps, type ConsoleEnv, signedIn } from '../context';
import { Csrf } from '../layout';
import { CONSOLE } from '../paths';
import { renderPage } from '../render';
import type { Guards } from '../session';
import { formatOf, ProblemTable } from './catalog-import';
import { fileSize } from './citizens-upload';

/**
 * The largest province file the console takes: the preview carries it back base64-encoded (a
 * third larger) under the console's 1 MiB body limit. A province of 200 offices is about 300 kB.
 */
const OFFICE_FILE_MAX_BYTES = 600 * 1024;
const PATH = `${CONSOLE}/offices/import`;
/** How many codes the preview names per kind of change; the counts are always whole. */
const CODES_SHOWN = 40;

type Form = Record<string, string | File | (string | File)[]>;

/** Reads the file with the same code as the API; a NUL character the database cannot store is named by its record. */
function parseFile(text: string, format: 'json' | 'csv'): OfficeFileResult {
  let result: OfficeFileResult;
  if (format === 'csv') result = parseOfficesCsv(text);
  else {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { ok: false, problems: [{ row: 0, field: '(file)', message: 'not JSON', detail: { kind: 'not_json' } }] };
    }
    result = parseOfficesJson(value);
  }
  if (!result.ok) return result;
  const nul: ImportProblem[] = result.value.flatMap((o, i) =>
    JSON.stringify(o).includes('\\u0000') ? [{ row: i + 1, field: '(record)', message: 'NUL character', detail: { kind: 'nul' } }] : [],
  );
  return nul.length ? { ok: false, problems: nul } : result;
}

const Codes: FC<{ t: Translate; label: string; codes: string[]; id: string }> = ({ t, label, codes, id }) =>
  codes.length ? (
    <div data-change={id}>
      <dt>
        {label} ({codes.length})
      </dt>
      <dd>
        {codes.slice(0, CODES_SHOWN).join(', ')}
        {codes.length > CODES_SHOWN ? ` ${t('catalog.import.more', { count: codes.length - CODES_SHOWN })}` : ''}
      </dd>
    </div>
  ) : null;

const PlanSummary: FC<{ t: Translate; plan: OfficeImportPlan }> = ({ t, plan }) => (
  <dl class="summary" id="plan">
    <Codes t={t} id="created" label={t('catalog.offices.import.created')} codes={plan.created} />
    <Codes t={t} id="updated" label={t('catalog.offices.import.updated')} codes={plan.updated} />
    <Codes t={t} id="kept" label={t('catalog.offices.import.kept')} codes={plan.kept.map((k) => `${k.name} (${k.code})`)} />
    <Codes t={t} id="new-areas" label={t('catalog.offices.import.newAreas')} codes={plan.newAreas} />
    <Codes t={t} id="moved-areas" label={t('catalog.offices.import.movedAreas')} codes={plan.movedAreas.map((m) => `${m.code} → ${m.to}`)} />
    <Codes t={t} id="released-areas" label={t('catalog.offices.import.releasedAreas')} codes={plan.releasedAreas} />
    <div data-change="unchanged">
      <dt>{t('catalog.offices.import.unchanged')}</dt>
      <dd>{plan.unchanged.length}</dd>
    </div>
  </dl>
);

/**
 * The province file in the console: export links, and an import that checks every row and shows
 * what would change before anything is written (the same domain functions as the API).
 */
export function officeImportPages(deps: ConsoleDeps, guards: Guards) {
  const routes = new Hono<ConsoleEnv>();
  const admin = guards.role('admin');

  function importPage(c: ConsoleContext, options: { errors?: FieldError[]; problems?: ImportProblem[] } = {}) {
    const t = c.get('t');
    const errors = options.errors ?? [];
    const problems = options.problems ?? [];
    return renderPage(c, {
      title: t('catalog.offices.import.title'),
      status: errors.length || problems.length ? 400 : 200,
      wide: problems.length > 0,
      body: (
        <>
          <ErrorSummary
            title={t('common.errorSummary')}
            errors={problems.length ? [{ field: 'problems', message: t('catalog.offices.import.rejected', { count: problems.length }) }] : errors}
          />
          {problems.length ? <ProblemTable t={t} problems={problems} area="office" /> : null}
          <p>
            <a href={`${CONSOLE}/offices`}>← {t('catalog.offices.back')}</a>
          </p>
          <h2>{t('catalog.offices.import.exportTitle')}</h2>
          <p>{t('catalog.offices.import.exportHint')}</p>
          <p class="actions">
            <a class="button secondary" href={`${CONSOLE}/offices/export?format=json`} download="offices.json">
              {t('catalog.offices.import.json')}
            </a>
            <a class="button secondary" href={`${CONSOLE}/offices/export?format=csv`} download="offices.csv">
              {t('catalog.offices.import.csv')}
            </a>
          </p>
          <h2>{t('catalog.offices.import.heading')}</h2>
          <p>{t('catalog.offices.import.hint')}</p>
          <form method="post" action={PATH} enctype="multipart/form-data" novalidate>
            <Csrf c={c} />
            <FileField
              id="file"
              label={t('catalog.offices.import.file')}
              hint={t('catalog.offices.import.fileHint', { max: fileSize(OFFICE_FILE_MAX_BYTES, c.get('locale')) })}
              error={errors.find((e) => e.field === 'file')?.message}
              accept=".json,.csv,application/json,text/csv"
            />
            <button type="submit">{t('catalog.offices.import.preview')}</button>
          </form>
        </>
      ),
    });
  }

  routes.get('/offices/export', admin, async (c) => {
    const format = c.req.query('format') === 'csv' ? 'csv' : 'json';
    const list = await exportOffices(deps.db);
    c.header('content-disposition', `attachment; filename="offices.${format}"`);
    if (format === 'csv') return c.body(officesToCsv(list), 200, { 'content-type': 'text/csv; charset=utf-8' });
    return c.body(JSON.stringify(list, null, 2), 200, { 'content-type': 'application/json; charset=utf-8' });
  });

  routes.get('/offices/import', admin, (c) => importPage(c));

  routes.post('/offices/import', admin, async (c) => {
    const t = c.get('t');
    const file = (await c.req.parseBody()).file;
    const max = fileSize(OFFICE_FILE_MAX_BYTES, c.get('locale'));
    if (!(file instanceof File) || (file.size === 0 && file.name === ''))
      return importPage(c, { errors: [{ field: 'file', message: t('catalog.offices.import.fileMissing') }] });
    if (file.size === 0) return importPage(c, { errors: [{ field: 'file', message: t('catalog.offices.import.fileEmpty') }] });
    if (file.size > OFFICE_FILE_MAX_BYTES) return importPage(c, { errors: [{ field: 'file', message: t('catalog.offices.import.fileTooLarge', { max }) }] });
    const text = await file.text();
    const format = formatOf(file.name, text);
    const result = parseFile(text, format);
    if (!result.ok) return importPage(c, { problems: result.problems });
    const plan = await planOfficeImport(deps.db, result.value);
    return renderPage(c, {
      title: t('catalog.offices.import.previewTitle'),
      notice: <Notice kind="info">{t('catalog.offices.import.allGood', { count: result.value.length, file: file.name })}</Notice>,
      body: (
        <>
          <PlanSummary t={t} plan={plan} />
          <form method="post" action={`${PATH}/confirm`} enctype="multipart/form-data">
            <Csrf c={c} />
            <input type="hidden" name="format" value={format} />
            <input type="hidden" name="content" value={Buffer.from(text, 'utf8').toString('base64')} />
            <button type="submit">{t('catalog.offices.import.confirm', { count: result.value.length })}</button>
            <a class="button secondary" href={PATH}>
              {t('catalog.offices.import.cancel')}
            </a>
          </form>
        </>
      ),
    });
  });

  // The file comes back from the preview page; it is checked again, as anything a browser sends is.
  routes.post('/offices/import/confirm', admin, async (c) => {
    const form: Form = await c.req.parseBody();
    const content = typeof form.content === 'string' ? form.content : '';
    const format = form.format === 'csv' ? 'csv' : 'json';
    const text = /^[A-Za-z0-9+/]*={0,2}$/.test(content) ? Buffer.from(content, 'base64').toString('utf8') : '';
    const result: OfficeFileResult = text
      ? parseFile(text, format)
      : { ok: false, problems: [{ row: 0, field: '(file)', message: 'no content', detail: { kind: 'empty' } }] };
    if (!result.ok) return importPage(c, { problems: result.problems });
    await deps.catalog.importOffices(signedIn(c).actor, result.value, format);
    return c.redirect(`${CONSOLE}/offices?done=imported&count=${result.value.length}`, 303);
  });

  return routes;
}
