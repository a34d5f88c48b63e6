import { asc } from 'drizzle-orm';
import { Hono } from 'hono';
import { areas } from '../../db/schema';
import { inUse, officeReferences } from '../../domain/catalog/office-references';
import type { StoredOffice } from '../../domain/catalog/store';
import { type Office, officeCodeFrom } from '../../vocabulary/procedure';
import { Badge, ErrorSummary, type FieldError, Notice } from '../components';
import { type ConsoleContext, type ConsoleDeps, type ConsoleEnv, signedIn } from '../context';
import { Csrf } from '../layout';
import { CONSOLE } from '../paths';
import { renderPage, renderProblem } from '../render';
import type { Guards } from '../session';
import { checkOfficeDraft, NEW_OFFICE, type OfficeDraft, OfficeForm, officeDraftOf, readOfficeDraft } from './offices-form';
import { officeImportPages } from './offices-import';

const DONE = new Set(['saved', 'created', 'deleted', 'imported']);

/** The offices for admins: the list, each office's settings, a new office, and removing one nothing uses. */
export function officePages(deps: ConsoleDeps, guards: Guards) {
  const routes = new Hono<ConsoleEnv>();
  const admin = guards.role('admin');
  const { catalog } = deps;
  // Before /offices/:id, which would take "import" and "export" for an id.
  routes.route('/', officeImportPages(deps, guards));

  /** The communes and wards each office serves, by office id. */
  const servedAreas = async () => {
    const served = new Map<number, { code: string; name: string }[]>();
    for (const a of await deps.db.select().from(areas).orderBy(asc(areas.name)))
      if (a.officeId !== null) served.set(a.officeId, [...(served.get(a.officeId) ?? []), { code: a.code, name: a.name }]);
    return served;
  };

  const groups = async () => [...new Set((await catalog.list()).map((p) => p.group))].sort((a, b) => a.localeCompare(b, 'vi'));

  routes.get('/offices', admin, async (c) => {
    const t = c.get('t');
    // The assistant names an office by itself only when there is one; with several, each chat's own.
    const [offices, served, only] = await Promise.all([catalog.listOffices(), servedAreas(), catalog.office()]);
    const done = c.req.query('done');
    const notice =
      done === 'imported'
        ? t('catalog.offices.import.done', { count: Number(c.req.query('count') ?? 0) })
        : done && DONE.has(done)
          ? t(`catalog.offices.done.${done}`)
          : null;
    return renderPage(c, {
      title: t('catalog.offices.title'),
      wide: true,
      notice: notice ? <Notice kind="success">{notice}</Notice> : undefined,
      body: (
        <>
          <p>{t('catalog.offices.intro')}</p>
          <p>
            <a class="button" href={`${CONSOLE}/offices/new`}>
              {t('catalog.offices.new')}
            </a>{' '}
            <a class="button secondary" href={`${CONSOLE}/offices/import`}>
              {t('catalog.offices.importLink')}
            </a>
          </p>
          <table class="responsive">
            <caption class="visually-hidden">{t('catalog.offices.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('catalog.offices.fields.name')}</th>
                <th scope="col">{t('catalog.offices.columns.code')}</th>
                <th scope="col">{t('catalog.offices.columns.areas')}</th>
                <th scope="col">{t('catalog.offices.fields.address')}</th>
                <th scope="col">{t('catalog.offices.fields.phone')}</th>
                <th scope="col">{t('catalog.offices.fields.openingHours')}</th>
              </tr>
            </thead>
            <tbody>
              {offices.map((o) => (
                <tr>
                  <td data-label={t('catalog.offices.fields.name')}>
                    <a href={`${CONSOLE}/offices/${o.id}`}>{o.name}</a>{' '}
                    {only?.id === o.id ? <Badge tone="blue">{t('catalog.offices.chatOffice')}</Badge> : null}
                    {o.demo ? <Badge tone="amber">{t('catalog.offices.demo')}</Badge> : null}
                  </td>
                  <td data-label={t('catalog.offices.columns.code')}>{o.code}</td>
                  <td data-label={t('catalog.offices.columns.areas')}>{(served.get(o.id) ?? []).map((a) => a.name).join(', ')}</td>
                  <td data-label={t('catalog.offices.fields.address')}>{o.address}</td>
                  <td data-label={t('catalog.offices.fields.phone')}>{o.phone}</td>
                  <td data-label={t('catalog.offices.fields.openingHours')}>{o.openingHours}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ),
    });
  });

  async function officePage(c: ConsoleContext, options: { office: StoredOffice | null; draft: OfficeDraft; errors?: FieldError[] }) {
    const t = c.get('t');
    const { office, draft } = options;
    const errors = options.errors ?? [];
    const only = await catalog.office();
    const done = c.req.query('done');
    return renderPage(c, {
      title: office ? office.name : t('catalog.offices.new'),
      status: errors.length ? 400 : 200,
      notice: done === 'saved' || done === 'created' ? <Notice kind="success">{t(`catalog.offices.done.${done}`)}</Notice> : undefined,
      body: (
        <>
          <ErrorSummary title={t('common.errorSummary')} errors={errors} />
          <p>
            <a href={`${CONSOLE}/offices`}>← {t('catalog.offices.back')}</a>
          </p>
          {office && only?.id === office.id ? <p>{t('catalog.offices.chatOfficeHint')}</p> : null}
          <OfficeForm
            c={c}
            action={office ? `${CONSOLE}/offices/${office.id}` : `${CONSOLE}/offices/new`}
            draft={draft}
            errors={errors}
            groups={await groups()}
            submit={office ? t('catalog.offices.save') : t('catalog.offices.create')}
          />
          {office ? (
            <>
              <h2 id="areas">{t('catalog.offices.fields.areas')}</h2>
              <p class="hint">{t('catalog.offices.hints.areas')}</p>
              {(await servedAreas()).get(office.id)?.length ? (
                <ul id="served-areas">
                  {(await servedAreas()).get(office.id)?.map((a) => (
                    <li>
                      {a.name} ({a.code})
                    </li>
                  ))}
                </ul>
              ) : (
                <p>{t('catalog.offices.noAreas')}</p>
              )}
            </>
          ) : null}
          {office ? (
            <>
              <h2>{t('catalog.offices.delete.title')}</h2>
              <p>{t('catalog.offices.delete.hint')}</p>
              <p>
                <a class="button warning" href={`${CONSOLE}/offices/${office.id}/delete`}>
                  {t('catalog.offices.delete.open')}
                </a>
              </p>
            </>
          ) : null}
        </>
      ),
    });
  }

  /** The form's error when another office has the code (given, or made from the name). */
  const codeTaken = (c: ConsoleContext, office: Office): FieldError => ({
    field: 'code',
    message: c.get('t')('catalog.offices.errors.codeTaken', { code: office.code ?? officeCodeFrom(office.name) }),
  });

  /** The office named by the path, or a 404 page. */
  async function target(c: ConsoleContext): Promise<StoredOffice | Response> {
    const id = Number(c.req.param('id'));
    const office = Number.isSafeInteger(id) && id > 0 ? await catalog.getOffice(id) : null;
    return office ?? renderProblem(c, 404, 'catalog.offices.notFoundTitle', 'catalog.offices.notFound');
  }

  routes.get('/offices/new', admin, (c) => officePage(c, { office: null, draft: NEW_OFFICE }));

  routes.post('/offices/new', admin, async (c) => {
    const draft = readOfficeDraft(await c.req.parseBody({ all: true }));
    const checked = checkOfficeDraft(c.get('t'), draft);
    if (!checked.ok) return officePage(c, { office: null, draft, errors: checked.errors });
    const saved = await catalog.saveOffice(signedIn(c).actor, null, checked.value);
    if (!saved.ok) return officePage(c, { office: null, draft, errors: [codeTaken(c, checked.value)] });
    return c.redirect(`${CONSOLE}/offices/${saved.value.id}?done=created`, 303);
  });

  routes.get('/offices/:id', admin, async (c) => {
    const office = await target(c);
    return office instanceof Response ? office : officePage(c, { office, draft: officeDraftOf(office) });
  });

  routes.post('/offices/:id', admin, async (c) => {
    const office = await target(c);
    if (office instanceof Response) return office;
    const draft = readOfficeDraft(await c.req.parseBody({ all: true }));
    const checked = checkOfficeDraft(c.get('t'), draft, office.settings);
    if (!checked.ok) return officePage(c, { office, draft, errors: checked.errors });
    const saved = await catalog.saveOffice(signedIn(c).actor, office.id, checked.value);
    if (!saved.ok && saved.reason === 'code_taken') return officePage(c, { office, draft, errors: [codeTaken(c, checked.value)] });
    if (!saved.ok) return renderProblem(c, 404, 'catalog.offices.notFoundTitle', 'catalog.offices.notFound');
    return c.redirect(`${CONSOLE}/offices/${office.id}?done=saved`, 303);
  });

  /** The confirmation page, or the reason the office must stay (409) when something still belongs to it. */
  async function deletePage(c: ConsoleContext, office: StoredOffice) {
    const t = c.get('t');
    const refs = await officeReferences(deps.db, office.id);
    const busy = inUse(refs);
    return renderPage(c, {
      title: t('catalog.offices.delete.confirmTitle', { name: office.name }),
      status: busy && c.req.method === 'POST' ? 409 : 200,
      notice: busy ? <Notice kind="warning">{t('catalog.offices.delete.inUse', { ...refs })}</Notice> : undefined,
      body: busy ? (
        <p>
          <a href={`${CONSOLE}/offices/${office.id}`}>← {t('catalog.offices.back')}</a>
        </p>
      ) : (
        <>
          <p>{t('catalog.offices.delete.confirm')}</p>
          <form method="post" action={`${CONSOLE}/offices/${office.id}/delete`}>
            <Csrf c={c} />
            <button type="submit" class="warning">
              {t('catalog.offices.delete.submit')}
            </button>
            <a class="button secondary" href={`${CONSOLE}/offices/${office.id}`}>
              {t('catalog.offices.delete.cancel')}
            </a>
          </form>
        </>
      ),
    });
  }

  routes.get('/offices/:id/delete', admin, async (c) => {
    const office = await target(c);
    return office instanceof Response ? office : deletePage(c, office);
  });

  routes.post('/offices/:id/delete', admin, async (c) => {
    const office = await target(c);
    if (office instanceof Response) return office;
    if (inUse(await officeReferences(deps.db, office.id))) return deletePage(c, office);
    const removed = await catalog.removeOffice(signedIn(c).actor, office.id);
    if (!removed.ok) return renderProblem(c, 404, 'catalog.offices.notFoundTitle', 'catalog.offices.notFound');
    return c.redirect(`${CONSOLE}/offices?done=deleted`, 303);
  });

  return routes;
}
