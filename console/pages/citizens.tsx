import { Hono } from 'hono';
import { addDocument, findCitizen, registerCitizen } from '../../domain/certification/documents';
import { recentCitizens } from '../../domain/certification/recent-citizens';
import { normalizeVnPhone } from '../../lib/phone';
import { formatLocalDateTime } from '../../lib/vn-time';
import { ErrorSummary, Field, type FieldError, Notice, phoneForStaff } from '../components';
import type { ConsoleContext, ConsoleDeps, ConsoleEnv } from '../context';
import { signedIn } from '../context';
import { Csrf } from '../layout';
import { CONSOLE } from '../paths';
import { renderPage, renderProblem } from '../render';
import type { Guards } from '../session';
import { citizenDocumentPages } from './citizens-documents';
import { readUpload } from './citizens-upload';
import { citizenPath, loadCitizenView, localPhone, pathId, renderCitizen } from './citizens-view';

/** The console's upload path, for the app's body limit (runtime/certification.ts largeBodies). */
export const CONSOLE_UPLOAD_PATH = /^\/console\/citizens\/\d+\/documents$/;

const text = (form: Record<string, unknown>, name: string): string => (typeof form[name] === 'string' ? (form[name] as string) : '');

interface FindState {
  phone?: string;
  fullName?: string;
  /** The number searched for and not found: the register form opens with it. */
  notRegistered?: string;
  errors?: FieldError[];
  status?: 200 | 400;
}

async function citizensPage(c: ConsoleContext, deps: ConsoleDeps, state: FindState) {
  const t = c.get('t');
  const errors = state.errors ?? [];
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  const recent = await recentCitizens(deps.db, signedIn(c).actor);
  return renderPage(c, {
    title: t('citizens.title'),
    status: state.status ?? 200,
    notice: state.notRegistered ? <Notice kind="info">{t('citizens.notRegistered', { phone: state.notRegistered })}</Notice> : undefined,
    body: (
      <>
        <ErrorSummary title={t('common.errorSummary')} errors={errors} />
        <p class="lead">{t('citizens.intro')}</p>
        {/* A search is a GET: the number can be bookmarked, and it changes nothing, so no CSRF token rides in the URL. */}
        <form method="get" action={`${CONSOLE}/citizens`} novalidate>
          <h2>{t('citizens.find.heading')}</h2>
          <Field
            id="phone"
            label={t('citizens.find.phone')}
            hint={t('citizens.find.hint')}
            type="tel"
            inputmode="tel"
            autocomplete="off"
            width="medium"
            value={state.notRegistered ? undefined : state.phone}
            error={errorOf('phone')}
          />
          <button type="submit">{t('citizens.find.submit')}</button>
        </form>
        <form method="post" action={`${CONSOLE}/citizens`} novalidate>
          <h2 id="register">{t('citizens.register.heading')}</h2>
          <p>{t('citizens.register.intro')}</p>
          <Csrf c={c} />
          <Field
            id="register-phone"
            name="phone"
            label={t('citizens.register.phone')}
            type="tel"
            inputmode="tel"
            autocomplete="off"
            width="medium"
            value={state.notRegistered ?? (state.errors ? state.phone : undefined)}
            error={errorOf('register-phone')}
          />
          <Field
            id="fullName"
            label={t('citizens.register.fullName')}
            hint={t('citizens.register.fullNameHint')}
            autocomplete="off"
            width="medium"
            value={state.fullName}
            error={errorOf('fullName')}
          />
          <button type="submit">{t('citizens.register.submit')}</button>
        </form>
        <h2>{t('citizens.recent.heading')}</h2>
        {recent.length === 0 ? (
          <p class="muted">{t('citizens.recent.empty')}</p>
        ) : (
          <table class="responsive">
            <thead>
              <tr>
                <th scope="col">{t('citizens.recent.name')}</th>
                <th scope="col">{t('citizens.recent.phone')}</th>
                <th scope="col">{t('citizens.recent.lastScan')}</th>
              </tr>
            </thead>
            <tbody>
              {recent.map((r) => (
                <tr>
                  <td data-label={t('citizens.recent.name')}>
                    <a href={citizenPath(r.id)}>{r.fullName ?? t('citizens.noName')}</a>
                  </td>
                  <td data-label={t('citizens.recent.phone')}>{phoneForStaff(r.phone)}</td>
                  <td data-label={t('citizens.recent.lastScan')}>{formatLocalDateTime(r.lastScanAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>
    ),
  });
}

/**
 * Citizens at the counter: find one by phone, register one (the API's registerCitizen), their
 * page with the papers kept by this office, and the upload of a scan (the API's checks and
 * addDocument). Staff and admins only; a clerk sees and files papers of their own office only.
 */
export function citizensPages(deps: ConsoleDeps, guards: Guards) {
  const routes = new Hono<ConsoleEnv>();
  const counter = guards.role('staff', 'admin');
  const maxBytes = deps.certification.uploadMaxBytes;

  routes.get('/citizens', counter, async (c) => {
    const typed = c.req.query('phone');
    if (typed === undefined) return citizensPage(c, deps, {});
    const phone = normalizeVnPhone(typed);
    if (!phone.ok) return citizensPage(c, deps, { phone: typed, errors: [{ field: 'phone', message: c.get('t')('citizens.errors.phone') }], status: 400 });
    const citizen = await findCitizen(deps.db, { phone: phone.value });
    if (citizen) return c.redirect(citizenPath(citizen.id), 303);
    return citizensPage(c, deps, { phone: typed, notRegistered: localPhone(phone.value) });
  });

  routes.post('/citizens', counter, async (c) => {
    const t = c.get('t');
    const form = await c.req.parseBody();
    const typed = text(form, 'phone').trim().slice(0, 40);
    const fullName = text(form, 'fullName').trim();
    const phone = normalizeVnPhone(typed);
    const errors: FieldError[] = [];
    if (!phone.ok) errors.push({ field: 'register-phone', message: t('citizens.errors.phone') });
    if (fullName.length < 2) errors.push({ field: 'fullName', message: t('citizens.errors.fullName') });
    else if (fullName.length > 200) errors.push({ field: 'fullName', message: t('citizens.errors.fullNameLong') });
    if (!phone.ok || errors.length) return citizensPage(c, deps, { phone: typed, fullName, errors, status: 400 });
    const { citizen, created } = await registerCitizen(deps.db, signedIn(c).actor, { phone: phone.value, fullName }, deps.clock.now());
    return c.redirect(`${citizenPath(citizen.id)}?done=${created ? 'registered' : 'known'}`, 303);
  });

  routes.get('/citizens/:id{[0-9]+}', counter, async (c) => {
    const id = pathId(c.req.param('id'));
    const citizen = id ? await findCitizen(deps.db, { id }) : null;
    if (!citizen) return renderProblem(c, 404, 'common.problem.notFoundTitle', 'common.problem.notFound');
    return renderCitizen(c, await loadCitizenView(deps.db, signedIn(c).actor, citizen), { maxBytes });
  });

  routes.post('/citizens/:id{[0-9]+}/documents', counter, async (c) => {
    const { actor } = signedIn(c);
    const id = pathId(c.req.param('id'));
    const citizen = id ? await findCitizen(deps.db, { id }) : null;
    if (!citizen) return renderProblem(c, 404, 'common.problem.notFoundTitle', 'common.problem.notFound');
    const view = await loadCitizenView(deps.db, actor, citizen);
    const upload = await readUpload(await c.req.parseBody(), {
      t: c.get('t'),
      locale: c.get('locale'),
      maxBytes,
      officeId: actor.officeId,
      offices: view.offices ?? [],
    });
    if (!upload.ok) return renderCitizen(c, view, { maxBytes, errors: upload.errors, values: upload.values, status: 400 });
    await addDocument(deps.db, deps.certification.blobs, actor, { citizenId: citizen.id, ...upload.input }, deps.clock.now());
    return c.redirect(`${citizenPath(citizen.id)}?done=uploaded#documents`, 303);
  });

  routes.route('/', citizenDocumentPages(deps, guards));
  return routes;
}
