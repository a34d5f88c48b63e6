import { Hono } from 'hono';
import { DUE_WINDOWS, type DueWindow } from '../../domain/dossiers/due-window';
import { receiptCodeSchema } from '../../domain/dossiers/input';
import type { DossierSearch } from '../../domain/dossiers/store';
import { normalizeVnPhone } from '../../lib/phone';
import { formatLocalDate } from '../../lib/vn-time';
import { DOSSIER_STATUSES, type DossierStatus } from '../../vocabulary/dossiers';
import { Pagination, phoneForStaff } from '../components';
import { type ConsoleContext, type ConsoleDeps, type ConsoleEnv, signedIn } from '../context';
import { CONSOLE } from '../paths';
import { renderPage } from '../render';
import type { Guards } from '../session';
import { dossierImportPages } from './dossiers-import';
import { DueDate, dossierPath, StatusBadge } from './dossiers-parts';
import { dossierViewPages } from './dossiers-view';

const PAGE_SIZE = 20;
/** Lists count this far and then say "more": counting a whole office's 100,000 dossiers would cost the page its speed. */
const COUNT_UP_TO = 1000;
const LAST_PAGE = Math.ceil((COUNT_UP_TO + 1) / PAGE_SIZE);

const oneOf = <T extends string>(values: readonly T[], value: string | undefined): T | undefined => values.find((v) => v === value);

/** The list's filters from the query string; anything unreadable is as if not given. */
function filtersOf(c: ConsoleContext) {
  const q = (c.req.query('q') ?? '').trim().slice(0, 200);
  const status = oneOf<DossierStatus>(DOSSIER_STATUSES, c.req.query('status'));
  const due = oneOf<DueWindow>(DUE_WINDOWS, c.req.query('due'));
  const asked = Number(c.req.query('page') ?? '1');
  const page = Number.isSafeInteger(asked) ? Math.min(Math.max(asked, 1), LAST_PAGE) : 1;
  return { q, status, due, page };
}

/** The dossiers: search, the dossier itself, and the register import. */
export function dossierPages(deps: ConsoleDeps, guards: Guards) {
  const routes = new Hono<ConsoleEnv>();
  // The import's fixed paths come before the dossier's /dossiers/:code.
  routes.route('/', dossierImportPages(deps, guards));
  routes.route('/', dossierViewPages(deps, guards));

  routes.get('/dossiers', guards.role('staff', 'official', 'admin'), async (c) => {
    const t = c.get('t');
    const { actor } = signedIn(c);
    const now = deps.clock.now();
    const { q, status, due, page } = filtersOf(c);

    const search: DossierSearch = { status, page, pageSize: PAGE_SIZE, countUpTo: COUNT_UP_TO, ...(due ? { due: { window: due, now } } : {}) };
    let heading = t('dossiers.search.latest');
    if (q) {
      // A receipt code found in the clerk's office opens the dossier at once; otherwise the text
      // is a phone number (written any way the API accepts) or words of the applicant's name.
      const code = receiptCodeSchema.safeParse(q);
      if (code.success && (await deps.dossiers.get(code.data, actor)).ok) return c.redirect(dossierPath(code.data), 303);
      const phone = normalizeVnPhone(q);
      if (phone.ok) {
        search.phone = phone.value;
        heading = t('dossiers.search.byPhone', { phone: phoneForStaff(phone.value) });
      } else {
        search.name = q;
        heading = t('dossiers.search.byName', { name: q });
      }
    } else if (status || due) {
      heading = t('dossiers.search.results');
    }
    const { items, total } = await deps.dossiers.search(search, actor);

    const link = (to: number) => {
      const params = new URLSearchParams();
      if (q) params.set('q', q);
      if (status) params.set('status', status);
      if (due) params.set('due', due);
      if (to > 1) params.set('page', String(to));
      const query = params.toString();
      return `${CONSOLE}/dossiers${query ? `?${query}` : ''}`;
    };
    const writer = actor.role !== 'official';
    return renderPage(c, {
      title: t('dossiers.title'),
      wide: true,
      body: (
        <>
          <form method="get" action={`${CONSOLE}/dossiers`} class="filters">
            <div class="field filter-query">
              <label for="q">{t('dossiers.search.query')}</label>
              <p class="hint" id="q-hint">
                {t('dossiers.search.queryHint')}
              </p>
              <input id="q" name="q" type="search" class="input" value={q} aria-describedby="q-hint" autocomplete="off" />
            </div>
            <div class="field">
              <label for="status">{t('dossiers.search.status')}</label>
              <select id="status" name="status">
                <option value="">{t('dossiers.search.anyStatus')}</option>
                {DOSSIER_STATUSES.map((s) => (
                  <option value={s} selected={s === status}>
                    {t(`dossiers.status.${s}`)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="due">{t('dossiers.search.due')}</label>
              <select id="due" name="due">
                <option value="">{t('dossiers.search.anyDue')}</option>
                <option value="today" selected={due === 'today'}>
                  {t('dossiers.search.dueToday')}
                </option>
                <option value="overdue" selected={due === 'overdue'}>
                  {t('dossiers.search.overdue')}
                </option>
              </select>
            </div>
            <div class="field filter-submit">
              <button type="submit">{t('dossiers.search.submit')}</button>
            </div>
          </form>
          <p class="links">
            {q || status || due ? <a href={`${CONSOLE}/dossiers`}>{t('dossiers.search.clear')}</a> : null}
            {writer ? <a href={`${CONSOLE}/dossiers/import`}>{t('dossiers.search.import')}</a> : null}
          </p>
          <h2>{heading}</h2>
          {items.length === 0 ? (
            <p>{t('dossiers.search.none')}</p>
          ) : (
            <>
              <p class="muted">{total > COUNT_UP_TO ? t('dossiers.search.countMore', { count: COUNT_UP_TO }) : t('dossiers.search.count', { count: total })}</p>
              <table class="responsive">
                <caption class="visually-hidden">{t('dossiers.search.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('dossiers.column.code')}</th>
                    <th scope="col">{t('dossiers.column.procedure')}</th>
                    <th scope="col">{t('dossiers.column.applicant')}</th>
                    <th scope="col">{t('dossiers.column.phone')}</th>
                    <th scope="col">{t('dossiers.column.received')}</th>
                    <th scope="col">{t('dossiers.column.due')}</th>
                    <th scope="col">{t('dossiers.column.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((d) => (
                    <tr>
                      <td data-label={t('dossiers.column.code')}>
                        <a href={dossierPath(d.receiptCode)}>{d.receiptCode}</a>
                      </td>
                      <td data-label={t('dossiers.column.procedure')}>{d.procedureName ?? d.procedureCode}</td>
                      <td data-label={t('dossiers.column.applicant')}>{d.applicantName}</td>
                      <td data-label={t('dossiers.column.phone')}>{phoneForStaff(d.applicantPhone)}</td>
                      <td data-label={t('dossiers.column.received')}>{formatLocalDate(d.receivedAt)}</td>
                      <td data-label={t('dossiers.column.due')}>
                        <DueDate t={t} dossier={d} now={now} />
                      </td>
                      <td data-label={t('dossiers.column.status')}>
                        <StatusBadge t={t} status={d.status} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pagination
                page={page}
                pageSize={PAGE_SIZE}
                total={Math.min(total, COUNT_UP_TO + 1)}
                href={link}
                labels={{ previous: t('common.previous'), next: t('common.next'), of: t('common.pages') }}
              />
            </>
          )}
        </>
      ),
    });
  });
  return routes;
}
