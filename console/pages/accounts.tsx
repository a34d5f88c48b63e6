import { Hono } from 'hono';
import type { StoredOffice } from '../../domain/catalog/store';
import { createStaff, disableStaff, findStaff, listStaff, resetPassword, type StaffSummary, updateStaff, usernameSchema } from '../../domain/people/staff';
import { formatLocalDateTime } from '../../lib/vn-time';
import type { Role } from '../../vocabulary/actors';
import { Badge, ErrorSummary, Field, type FieldError, Notice } from '../components';
import { type ConsoleContext, type ConsoleDeps, type ConsoleEnv, signedIn } from '../context';
import { Csrf } from '../layout';
import { CONSOLE } from '../paths';
import { renderPage, renderProblem } from '../render';
import type { Guards } from '../session';
import { chosenOffice, OfficeSelect, officeName } from './office-choice';
import { asRole, RoleChoice } from './role-choice';

const text = (form: Record<string, unknown>, name: string): string => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');

interface AccountInput {
  name: string;
  username: string;
  role: Role | undefined;
  officeId: number | null | undefined;
}

/** Reads and checks the account form; each problem is worded for its field. */
function readAccount(c: ConsoleContext, form: Record<string, unknown>, offices: StoredOffice[], withUsername: boolean) {
  const t = c.get('t');
  const input: AccountInput = {
    name: text(form, 'name'),
    username: text(form, 'username').toLowerCase(),
    role: asRole(form.role),
    officeId: chosenOffice(form.office, offices),
  };
  const errors: FieldError[] = [];
  if (!input.name || input.name.length > 200) errors.push({ field: 'name', message: t('accounts.errors.name') });
  if (withUsername && !usernameSchema.safeParse(input.username).success) errors.push({ field: 'username', message: t('accounts.errors.username') });
  if (!input.role) errors.push({ field: 'role-staff', message: t('accounts.errors.role') });
  if (input.officeId === undefined) errors.push({ field: 'office', message: t('accounts.errors.office') });
  // Counter staff work for one office; officials and admins may be province-wide.
  else if (input.role === 'staff' && input.officeId === null) errors.push({ field: 'office', message: t('accounts.errors.staffOffice') });
  return { input, errors };
}

const errorOf = (errors: FieldError[], field: string) => errors.find((e) => e.field === field)?.message;

/** The one-time password, shown once in a box the clerk can copy from. */
const OneTimePassword = ({ c, username, password }: { c: ConsoleContext; username: string; password: string }) => {
  const t = c.get('t');
  return (
    <Notice kind="success">
      <p>{t('accounts.oneTime', { username })}</p>
      <p class="secret">
        <code>{password}</code>
      </p>
      <p class="muted">{t('accounts.oneTimeHint')}</p>
    </Notice>
  );
};

function statusBadge(c: ConsoleContext, account: StaffSummary) {
  const t = c.get('t');
  return account.disabledAt ? <Badge tone="red">{t('accounts.disabled')}</Badge> : <Badge tone="green">{t('accounts.active')}</Badge>;
}

/** Staff accounts for admins: list, create (one-time password), change role or office, disable, reset the password. */
export function accountPages(deps: ConsoleDeps, guards: Guards) {
  const routes = new Hono<ConsoleEnv>();
  const admin = guards.role('admin');

  async function listPage(c: ConsoleContext, options: { errors?: FieldError[]; input?: AccountInput; created?: { username: string; password: string } } = {}) {
    const t = c.get('t');
    const [accounts, offices] = await Promise.all([listStaff(deps.db), deps.catalog.listOffices()]);
    const errors = options.errors ?? [];
    const none = t('accounts.provinceWide');
    return renderPage(c, {
      title: t('accounts.title'),
      status: errors.length ? 400 : 200,
      wide: true,
      notice: options.created ? (
        <OneTimePassword c={c} {...options.created} />
      ) : c.req.query('done') ? (
        <Notice kind="success">{t(`accounts.done.${c.req.query('done') === 'disabled' ? 'disabled' : 'saved'}`)}</Notice>
      ) : undefined,
      body: (
        <>
          <ErrorSummary title={t('common.errorSummary')} errors={errors} />
          <table class="responsive">
            <caption class="visually-hidden">{t('accounts.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('accounts.name')}</th>
                <th scope="col">{t('accounts.username')}</th>
                <th scope="col">{t('accounts.role')}</th>
                <th scope="col">{t('accounts.office')}</th>
                <th scope="col">{t('accounts.status')}</th>
              </tr>
            </thead>
            <tbody>
              {accounts.map((a) => (
                <tr>
                  <td data-label={t('accounts.name')}>
                    <a href={`${CONSOLE}/accounts/${a.id}`}>{a.name}</a>
                  </td>
                  <td data-label={t('accounts.username')}>{a.username}</td>
                  <td data-label={t('accounts.role')}>{t(`common.roles.${a.role}`)}</td>
                  <td data-label={t('accounts.office')}>{officeName(offices, a.officeId, none)}</td>
                  <td data-label={t('accounts.status')}>{statusBadge(c, a)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2 id="new">{t('accounts.create')}</h2>
          <form method="post" action={`${CONSOLE}/accounts`} novalidate>
            <Csrf c={c} />
            <Field id="name" label={t('accounts.name')} value={options.input?.name} error={errorOf(errors, 'name')} width="medium" autocomplete="off" />
            <Field
              id="username"
              label={t('accounts.username')}
              hint={t('accounts.usernameHint')}
              value={options.input?.username}
              error={errorOf(errors, 'username')}
              width="medium"
              autocomplete="off"
            />
            <RoleChoice t={t} value={options.input?.role} error={errorOf(errors, 'role-staff')} />
            <OfficeSelect
              id="office"
              label={t('accounts.office')}
              none={none}
              offices={offices}
              value={options.input?.officeId ?? null}
              error={errorOf(errors, 'office')}
            />
            <button type="submit">{t('accounts.createSubmit')}</button>
          </form>
        </>
      ),
    });
  }

  async function accountPage(c: ConsoleContext, account: StaffSummary, options: { errors?: FieldError[]; input?: AccountInput; reset?: string } = {}) {
    const t = c.get('t');
    const offices = await deps.catalog.listOffices();
    const errors = options.errors ?? [];
    const input = options.input ?? { name: account.name, username: account.username, role: account.role, officeId: account.officeId };
    const self = signedIn(c).actor.id === account.id;
    return renderPage(c, {
      title: account.name,
      status: errors.length ? 400 : 200,
      notice: options.reset ? (
        <OneTimePassword c={c} username={account.username} password={options.reset} />
      ) : c.req.query('done') === 'saved' ? (
        <Notice kind="success">{t('accounts.done.saved')}</Notice>
      ) : undefined,
      body: (
        <>
          <ErrorSummary title={t('common.errorSummary')} errors={errors} />
          <dl class="summary">
            <div>
              <dt>{t('accounts.username')}</dt>
              <dd>{account.username}</dd>
            </div>
            <div>
              <dt>{t('accounts.status')}</dt>
              <dd>{statusBadge(c, account)}</dd>
            </div>
            <div>
              <dt>{t('accounts.createdAt')}</dt>
              <dd>{formatLocalDateTime(account.createdAt)}</dd>
            </div>
          </dl>
          <h2>{t('accounts.edit')}</h2>
          <form method="post" action={`${CONSOLE}/accounts/${account.id}`} novalidate>
            <Csrf c={c} />
            <Field id="name" label={t('accounts.name')} value={input.name} error={errorOf(errors, 'name')} width="medium" autocomplete="off" />
            <RoleChoice t={t} value={input.role} error={errorOf(errors, 'role-staff')} />
            <OfficeSelect
              id="office"
              label={t('accounts.office')}
              none={t('accounts.provinceWide')}
              offices={offices}
              value={input.officeId ?? null}
              error={errorOf(errors, 'office')}
            />
            <button type="submit">{t('accounts.save')}</button>
          </form>
          <h2>{t('accounts.access')}</h2>
          <p>{t('accounts.resetHint')}</p>
          <form method="post" action={`${CONSOLE}/accounts/${account.id}/reset`}>
            <Csrf c={c} />
            <button type="submit" class="secondary">
              {account.disabledAt ? t('accounts.resetAndEnable') : t('accounts.reset')}
            </button>
          </form>
          {account.disabledAt || self ? null : (
            <form method="post" action={`${CONSOLE}/accounts/${account.id}/disable`}>
              <Csrf c={c} />
              <p>{t('accounts.disableHint')}</p>
              <button type="submit" class="warning">
                {t('accounts.disable')}
              </button>
            </form>
          )}
          <p>
            <a href={`${CONSOLE}/audit?actor=staff:${account.id}`}>{t('accounts.seeAudit')}</a>
          </p>
        </>
      ),
    });
  }

  /** The account named by the path, or a 404 page. */
  async function target(c: ConsoleContext): Promise<StaffSummary | Response> {
    const id = Number(c.req.param('id'));
    const account = Number.isSafeInteger(id) && id > 0 ? await findStaff(deps.db, id) : null;
    return account ?? renderProblem(c, 404, 'common.problem.notFoundTitle', 'common.problem.notFound');
  }

  routes.get('/accounts', admin, (c) => listPage(c));

  routes.post('/accounts', admin, async (c) => {
    const t = c.get('t');
    const offices = await deps.catalog.listOffices();
    const { input, errors } = readAccount(c, await c.req.parseBody(), offices, true);
    if (errors.length || !input.role || input.officeId === undefined) return listPage(c, { errors, input });
    const created = await createStaff(
      deps.db,
      { name: input.name, username: input.username, role: input.role, officeId: input.officeId },
      signedIn(c).actor,
      deps.clock.now(),
    );
    if (!created.ok) return listPage(c, { errors: [{ field: 'username', message: t('accounts.errors.taken', { username: input.username }) }], input });
    return listPage(c, { created: { username: created.value.staff.username, password: created.value.password } });
  });

  routes.get('/accounts/:id', admin, async (c) => {
    const account = await target(c);
    return account instanceof Response ? account : accountPage(c, account);
  });

  routes.post('/accounts/:id', admin, async (c) => {
    const t = c.get('t');
    const account = await target(c);
    if (account instanceof Response) return account;
    const offices = await deps.catalog.listOffices();
    const { input, errors } = readAccount(c, await c.req.parseBody(), offices, false);
    if (errors.length || !input.role || input.officeId === undefined) return accountPage(c, account, { errors, input });
    const saved = await updateStaff(deps.db, account.id, { name: input.name, role: input.role, officeId: input.officeId }, signedIn(c).actor, deps.clock.now());
    if (!saved.ok) {
      if (saved.reason === 'not_found') return renderProblem(c, 404, 'common.problem.notFoundTitle', 'common.problem.notFound');
      return accountPage(c, account, { errors: [{ field: 'role-staff', message: t('accounts.errors.ownRole') }], input });
    }
    return c.redirect(`${CONSOLE}/accounts/${account.id}?done=saved`, 303);
  });

  routes.post('/accounts/:id/reset', admin, async (c) => {
    const account = await target(c);
    if (account instanceof Response) return account;
    const reset = await resetPassword(deps.db, account.username, signedIn(c).actor, deps.clock.now());
    if (!reset.ok) return renderProblem(c, 404, 'common.problem.notFoundTitle', 'common.problem.notFound');
    return accountPage(c, reset.value.staff, { reset: reset.value.password });
  });

  routes.post('/accounts/:id/disable', admin, async (c) => {
    const t = c.get('t');
    const account = await target(c);
    if (account instanceof Response) return account;
    const disabled = await disableStaff(deps.db, account.username, signedIn(c).actor, deps.clock.now());
    if (!disabled.ok) {
      if (disabled.reason === 'not_found') return renderProblem(c, 404, 'common.problem.notFoundTitle', 'common.problem.notFound');
      return accountPage(c, account, { errors: [{ field: 'name', message: t('accounts.errors.ownAccount') }] });
    }
    return c.redirect(`${CONSOLE}/accounts?done=disabled`, 303);
  });

  return routes;
}
