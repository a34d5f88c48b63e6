import { Hono } from 'hono';
import { foldVietnamese } from '../../knowledge/normalize';
import { proceduresToCsv } from '../../knowledge/transfer';
import { PROCEDURE_CODE, type Procedure } from '../../vocabulary/procedure';
import { ErrorSummary, type FieldError, Notice, Pagination } from '../components';
import { type ConsoleContext, type ConsoleDeps, type ConsoleEnv, signedIn } from '../context';
import { Csrf } from '../layout';
import { CONSOLE } from '../paths';
import { renderPage, renderProblem } from '../render';
import type { Guards } from '../session';
import { checkDraft, draftOf, newDraft, type ProcedureDraft, ProcedureForm, readDraft } from './catalog-form';
import { importPages } from './catalog-import';
import { posterPages } from './catalog-posters';
import { feeLine, ProcedureBadges, titleOf } from './catalog-summary';

const PAGE_SIZE = 25;
const DONE = new Set(['saved', 'created', 'deleted', 'imported']);

/** The words a procedure is found by, folded: code, names, keywords, field and group. */
const haystack = (p: Procedure) => foldVietnamese([p.code, p.name, p.shortName ?? '', p.nameEn ?? '', p.field, p.group, ...p.keywords].join(' '));

/**
 * The procedures whose code or words hold the query, typed with or without accents (the same
 * folding the chat's search uses), in code order.
 */
function matching(list: Procedure[], query: string): Procedure[] {
  const folded = foldVietnamese(query);
  return folded ? list.filter((p) => haystack(p).includes(folded)) : list;
}

const groupsOf = (list: Procedure[]) => [...new Set(list.map((p) => p.group))].sort((a, b) => a.localeCompare(b, 'vi'));

/** The catalog for admins: find, read and edit a procedure, add one, delete one, export, import, posters. */
export function catalogPages(deps: ConsoleDeps, guards: Guards) {
  const routes = new Hono<ConsoleEnv>();
  const admin = guards.role('admin');
  const { catalog } = deps;

  routes.get('/catalog', admin, async (c) => {
    const t = c.get('t');
    const q = (c.req.query('q') ?? '').slice(0, 200);
    const found = matching(await catalog.list(), q);
    const pages = Math.max(1, Math.ceil(found.length / PAGE_SIZE));
    const page = Math.min(pages, Math.max(1, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
    const shown = found.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    const done = c.req.query('done');
    return renderPage(c, {
      title: t('catalog.title'),
      wide: true,
      notice: done && DONE.has(done) ? <Notice kind="success">{t(`catalog.done.${done}`, { count: Number(c.req.query('count') ?? 0) })}</Notice> : undefined,
      body: (
        <>
          <p class="actions">
            <a class="button" href={`${CONSOLE}/catalog/new`}>
              {t('catalog.new')}
            </a>
            <a class="button secondary" href={`${CONSOLE}/catalog/import`}>
              {t('catalog.importExport')}
            </a>
            <a class="button secondary" href={`${CONSOLE}/catalog/posters`}>
              {t('catalog.posters.title')}
            </a>
          </p>
          <form method="get" action={`${CONSOLE}/catalog`} class="filters">
            <div class="field">
              <label for="q">{t('catalog.search')}</label>
              <p class="hint" id="q-hint">
                {t('catalog.searchHint')}
              </p>
              <input id="q" name="q" type="search" class="input input-medium" value={q} aria-describedby="q-hint" />
            </div>
            <button type="submit">{t('catalog.searchSubmit')}</button>
          </form>
          <p role="status">{q ? t('catalog.found', { count: found.length, q }) : t('catalog.count', { count: found.length })}</p>
          {shown.length ? (
            <table class="responsive">
              <caption class="visually-hidden">{t('catalog.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('catalog.fields.code')}</th>
                  <th scope="col">{t('catalog.columns.name')}</th>
                  <th scope="col">{t('catalog.fields.field')}</th>
                  <th scope="col">{t('catalog.columns.fee')}</th>
                  <th scope="col">{t('catalog.columns.badges')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((p) => (
                  <tr>
                    <td data-label={t('catalog.fields.code')}>
                      <a href={`${CONSOLE}/catalog/${p.code}`}>{p.code}</a>
                    </td>
                    <td data-label={t('catalog.columns.name')}>{titleOf(p)}</td>
                    <td data-label={t('catalog.fields.field')}>{p.field || p.group}</td>
                    <td data-label={t('catalog.columns.fee')}>{feeLine(t, p)}</td>
                    <td data-label={t('catalog.columns.badges')}>
                      <ProcedureBadges t={t} p={p} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p>{t('catalog.none')}</p>
          )}
          <Pagination
            page={page}
            pageSize={PAGE_SIZE}
            total={found.length}
            href={(n) => `${CONSOLE}/catalog?${new URLSearchParams({ ...(q ? { q } : {}), page: String(n) })}`}
            labels={{ previous: t('common.previous'), next: t('common.next'), of: t('common.pages') }}
          />
        </>
      ),
    });
  });

  routes.get('/catalog/export', admin, async (c) => {
    const format = c.req.query('format') === 'csv' ? 'csv' : 'json';
    const list = await catalog.list();
    c.header('content-disposition', `attachment; filename="procedures.${format}"`);
    if (format === 'csv') return c.body(proceduresToCsv(list), 200, { 'content-type': 'text/csv; charset=utf-8' });
    return c.json(list, 200);
  });

  routes.route('/', importPages(deps, guards));
  routes.route('/', posterPages(deps, guards));

  async function procedurePage(c: ConsoleContext, options: { stored: Procedure | null; draft: ProcedureDraft; errors?: FieldError[] }) {
    const t = c.get('t');
    const { stored, draft } = options;
    const errors = options.errors ?? [];
    const groups = groupsOf(await catalog.list());
    const done = c.req.query('done');
    return renderPage(c, {
      title: stored ? titleOf(stored) : t('catalog.new'),
      status: errors.length ? 400 : 200,
      notice: done === 'saved' || done === 'created' ? <Notice kind="success">{t(`catalog.done.${done}One`)}</Notice> : undefined,
      body: (
        <>
          <ErrorSummary title={t('common.errorSummary')} errors={errors} />
          <p>
            <a href={`${CONSOLE}/catalog`}>← {t('catalog.back')}</a>
          </p>
          {stored ? (
            <dl class="summary">
              <div>
                <dt>{t('catalog.fields.code')}</dt>
                <dd>{stored.code}</dd>
              </div>
              <div>
                <dt>{t('catalog.columns.fee')}</dt>
                <dd>{feeLine(t, stored)}</dd>
              </div>
              <div>
                <dt>{t('catalog.columns.badges')}</dt>
                <dd>
                  <ProcedureBadges t={t} p={stored} />
                </dd>
              </div>
              <div>
                <dt>{t('catalog.links')}</dt>
                <dd>
                  <a href={`/posters/${stored.code}`}>{t('catalog.posters.poster')}</a> ·{' '}
                  <a href={`/qr/procedures/${stored.code}.svg`}>{t('catalog.posters.qr')}</a> · <a href={catalog.link(stored.code)}>{t('catalog.chatLink')}</a>
                </dd>
              </div>
            </dl>
          ) : (
            <p>{t('catalog.newIntro')}</p>
          )}
          <ProcedureForm
            c={c}
            action={stored ? `${CONSOLE}/catalog/${stored.code}` : `${CONSOLE}/catalog/new`}
            draft={draft}
            stored={stored}
            errors={errors}
            groups={groups}
          />
          {stored ? (
            <>
              <h2>{t('catalog.delete.title')}</h2>
              <p>{t('catalog.delete.hint')}</p>
              <p>
                <a class="button warning" href={`${CONSOLE}/catalog/${stored.code}/delete`}>
                  {t('catalog.delete.open')}
                </a>
              </p>
            </>
          ) : null}
        </>
      ),
    });
  }

  routes.get('/catalog/new', admin, (c) => procedurePage(c, { stored: null, draft: newDraft(c.get('t')) }));

  routes.post('/catalog/new', admin, async (c) => {
    const t = c.get('t');
    const draft = readDraft(await c.req.parseBody(), null);
    const checked = checkDraft(t, draft, null);
    if (!checked.ok) return procedurePage(c, { stored: null, draft, errors: checked.errors });
    if (await catalog.get(checked.value.code))
      return procedurePage(c, { stored: null, draft, errors: [{ field: 'code', message: t('catalog.errors.codeTaken', { code: checked.value.code }) }] });
    await catalog.upsert(signedIn(c).actor, checked.value);
    return c.redirect(`${CONSOLE}/catalog/${checked.value.code}?done=created`, 303);
  });

  /** The procedure named by the path, or a 404 page. */
  async function target(c: ConsoleContext): Promise<Procedure | Response> {
    const code = c.req.param('code') ?? '';
    const found = PROCEDURE_CODE.test(code) ? await catalog.get(code) : null;
    return found ?? renderProblem(c, 404, 'catalog.notFoundTitle', 'catalog.notFound');
  }

  routes.get('/catalog/:code', admin, async (c) => {
    const stored = await target(c);
    return stored instanceof Response ? stored : procedurePage(c, { stored, draft: draftOf(stored) });
  });

  routes.post('/catalog/:code', admin, async (c) => {
    const stored = await target(c);
    if (stored instanceof Response) return stored;
    const draft = readDraft(await c.req.parseBody(), stored.code);
    const checked = checkDraft(c.get('t'), draft, stored);
    if (!checked.ok) return procedurePage(c, { stored, draft, errors: checked.errors });
    await catalog.upsert(signedIn(c).actor, checked.value);
    return c.redirect(`${CONSOLE}/catalog/${stored.code}?done=saved`, 303);
  });

  routes.get('/catalog/:code/delete', admin, async (c) => {
    const t = c.get('t');
    const stored = await target(c);
    if (stored instanceof Response) return stored;
    return renderPage(c, {
      title: t('catalog.delete.confirmTitle', { code: stored.code }),
      body: (
        <>
          <p class="lead">{titleOf(stored)}</p>
          <p>{t('catalog.delete.confirm')}</p>
          <form method="post" action={`${CONSOLE}/catalog/${stored.code}/delete`}>
            <Csrf c={c} />
            <button type="submit" class="warning">
              {t('catalog.delete.submit')}
            </button>
            <a class="button secondary" href={`${CONSOLE}/catalog/${stored.code}`}>
              {t('catalog.delete.cancel')}
            </a>
          </form>
        </>
      ),
    });
  });

  routes.post('/catalog/:code/delete', admin, async (c) => {
    const code = c.req.param('code');
    const removed = PROCEDURE_CODE.test(code) ? await catalog.remove(signedIn(c).actor, code) : null;
    if (!removed?.ok) return renderProblem(c, 404, 'catalog.notFoundTitle', 'catalog.notFound');
    return c.redirect(`${CONSOLE}/catalog?done=deleted`, 303);
  });

  return routes;
}
