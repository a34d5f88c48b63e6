import { Hono } from 'hono';
import type { CertificationStatus } from '../../db/schema';
import { officePlaces } from '../../domain/certification/office-place';
import { applyStaffAction, findRequest, listQueue, queueCounts, requestRef } from '../../domain/certification/requests';
import { actorNames } from '../../domain/people/actor-names';
import { ErrorSummary, Notice, Pagination } from '../components';
import { type ConsoleContext, type ConsoleDeps, type ConsoleEnv, signedIn } from '../context';
import { CONSOLE, safeReturnPath } from '../paths';
import { renderPage, renderProblem } from '../render';
import type { Guards } from '../session';
import { actionFromForm, failureMessage, isActionKind } from './certification-actions';
import { type ActionState, RequestCard, requestPath, type StaffRequest } from './certification-view';

/** The queue's tabs; "done" gathers every finished request. */
const TABS = {
  submitted: ['submitted'],
  confirmed: ['confirmed'],
  ready: ['ready'],
  done: ['delivered', 'rejected', 'cancelled'],
} as const satisfies Record<string, readonly CertificationStatus[]>;
type Tab = keyof typeof TABS;
const isTab = (value: string | undefined): value is Tab => value !== undefined && value in TABS;

const PAGE_SIZE = 20;
const QUEUE = `${CONSOLE}/certification`;
/** How often an open queue looks for new requests (seconds). */
const REFRESH_SECONDS = 15;

const queuePath = (tab: Tab, page = 1) => `${QUEUE}?status=${tab}${page > 1 ? `&page=${page}` : ''}`;
const pageOf = (value: string | undefined) => {
  const page = Number(value);
  return Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1;
};

/** The success banner after an action (PRG: `?done=<action>&ref=<id>`). */
function doneNotice(c: ConsoleContext) {
  const done = c.req.query('done');
  const id = Number(c.req.query('ref'));
  if (!(isActionKind(done) || done === 'telephone') || !Number.isInteger(id) || id < 1) return undefined;
  return <Notice kind="success">{c.get('t')(`certification.done.${done}`, { ref: requestRef(id) })}</Notice>;
}

/** The certification queue and its actions, one request's page, all for counter staff. */
export function certificationPages(deps: ConsoleDeps, guards: Guards) {
  const routes = new Hono<ConsoleEnv>();
  const counter = guards.role('staff', 'admin');
  const actionDeps = { db: deps.db, feeTable: deps.certification.feeTable, translator: deps.certification.citizenTexts };

  /** The list and its tabs: the region the page's script refreshes (one root element). */
  async function queueRegion(c: ConsoleContext, tab: Tab, page: number) {
    const t = c.get('t');
    const { actor } = signedIn(c);
    const [counts, { rows, total }] = await Promise.all([
      queueCounts(deps.db, actor),
      listQueue(deps.db, actor, { status: TABS[tab], page, pageSize: PAGE_SIZE }),
    ]);
    const places = await officePlaces(
      deps.db,
      rows.map((r) => r.officeId),
    );
    const here = queuePath(tab, page);
    return (
      <div id="queue" class="queue" data-refresh-url={here} data-refresh-seconds={String(REFRESH_SECONDS)}>
        <nav aria-label={t('certification.tabsLabel')}>
          <ul class="tabs">
            {(Object.keys(TABS) as Tab[]).map((name) => (
              <li>
                <a href={queuePath(name)} aria-current={name === tab ? 'page' : undefined}>
                  {t(`certification.tabs.${name}`)} ({TABS[name].reduce((sum, s) => sum + counts[s], 0)})
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {rows.length ? (
          rows.map((r) => <RequestCard c={c} request={r} place={places.get(r.officeId) ?? null} back={here} linked />)
        ) : (
          <p class="muted">{t('certification.empty')}</p>
        )}
        <Pagination
          page={page}
          pageSize={PAGE_SIZE}
          total={total}
          href={(p) => queuePath(tab, p)}
          labels={{ previous: t('common.previous'), next: t('common.next'), of: t('common.pages') }}
        />
      </div>
    );
  }

  routes.get('/certification', counter, async (c) => {
    const t = c.get('t');
    const status = c.req.query('status');
    const tab: Tab = isTab(status) ? status : 'submitted';
    const region = await queueRegion(c, tab, pageOf(c.req.query('page')));
    // The page's script asks for the list alone to refresh it in place.
    if (c.req.header('x-console-fragment') === '1') return c.html(region);
    return renderPage(c, {
      title: t('certification.title'),
      wide: true,
      notice: doneNotice(c),
      body: (
        <>
          <p class="lead">{t('certification.intro')}</p>
          <p class="muted">{t('certification.refreshHint')}</p>
          {region}
        </>
      ),
    });
  });

  /** One request's page; also the page an action comes back to with a problem. */
  async function requestPage(c: ConsoleContext, request: StaffRequest, options: { status?: 200 | 400 | 409; state?: ActionState; warning?: string } = {}) {
    const t = c.get('t');
    const [places, takenBy] = await Promise.all([
      officePlaces(deps.db, [request.officeId]),
      request.verifiedBy ? actorNames(deps.db, [request.verifiedBy]).then((names) => names.get(request.verifiedBy ?? '')?.name ?? request.verifiedBy) : null,
    ]);
    const errors = options.state?.errors ?? [];
    return renderPage(c, {
      title: t('certification.detailTitle', { ref: requestRef(request.id) }),
      status: options.status ?? 200,
      notice: options.warning ? (
        <Notice kind="warning">
          {options.warning} {t('certification.nothingChanged')}
        </Notice>
      ) : (
        doneNotice(c)
      ),
      body: (
        <>
          <ErrorSummary title={t('common.errorSummary')} errors={errors} />
          <RequestCard
            c={c}
            request={request}
            place={places.get(request.officeId) ?? null}
            back={requestPath(request.id)}
            linked={false}
            takenBy={takenBy}
            state={options.state}
          />
          <p>
            <a href={queuePath(tabOf(request.status))}>{t('certification.backToQueue')}</a>
          </p>
        </>
      ),
    });
  }

  const notFound = (c: ConsoleContext) => renderProblem(c, 404, 'certification.errors.notFoundTitle', 'certification.errors.notFound');

  routes.get('/certification/:id{[0-9]{1,12}}', counter, async (c) => {
    const request = await findRequest(deps.db, signedIn(c).actor, Number(c.req.param('id')));
    return request ? requestPage(c, request) : notFound(c);
  });

  routes.post('/certification/:id{[0-9]{1,12}}/:kind', counter, async (c) => {
    const kind = c.req.param('kind');
    const { actor } = signedIn(c);
    const id = Number(c.req.param('id'));
    const request = await findRequest(deps.db, actor, id);
    if (!isActionKind(kind) || !request) return notFound(c);
    const form = await c.req.parseBody();
    const values = Object.fromEntries(Object.entries(form).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_csrf'));
    const parsed = actionFromForm(c.get('t'), kind, form, request);
    if (!parsed.ok) return requestPage(c, request, { status: 400, state: { errors: parsed.errors, values } });

    const done = await applyStaffAction(actionDeps, actor, id, parsed.action, deps.clock.now());
    if (done.ok) {
      const back = safeReturnPath(values.back);
      const to = back.startsWith(QUEUE) ? back : requestPath(id);
      return c.redirect(`${to}${to.includes('?') ? '&' : '?'}done=${kind}&ref=${id}`, 303);
    }
    if (done.reason === 'not_found') return notFound(c);
    // Someone else may have acted meanwhile: show the request as it stands now.
    const now = (await findRequest(deps.db, actor, id)) ?? request;
    const problem = failureMessage(c.get('t'), done, request);
    return 'warning' in problem
      ? requestPage(c, now, { status: problem.status, warning: problem.warning })
      : requestPage(c, now, { status: problem.status, state: { errors: problem.errors, values } });
  });

  return routes;
}

const tabOf = (status: CertificationStatus): Tab => (Object.keys(TABS) as Tab[]).find((tab) => (TABS[tab] as readonly string[]).includes(status)) ?? 'done';
