import { Hono } from 'hono';
import { createToken, listTokens, revokeToken } from '../../domain/people/tokens';
import { formatLocalDateTime } from '../../lib/vn-time';
import { Badge, ErrorSummary, Field, type FieldError, Notice } from '../components';
import { type ConsoleContext, type ConsoleDeps, type ConsoleEnv, signedIn } from '../context';
import { Csrf } from '../layout';
import { CONSOLE } from '../paths';
import { renderPage, renderProblem } from '../render';
import type { Guards } from '../session';
import { chosenOffice, OfficeSelect, officeName } from './office-choice';
import { asRole, RoleChoice } from './role-choice';

/** API tokens for the office's other software: created (the secret shown once), listed without secrets, revoked. */
export function tokenPages(deps: ConsoleDeps, guards: Guards) {
  const routes = new Hono<ConsoleEnv>();
  const admin = guards.role('admin');

  async function page(c: ConsoleContext, options: { errors?: FieldError[]; name?: string; created?: string } = {}) {
    const t = c.get('t');
    const [tokens, offices] = await Promise.all([listTokens(deps.db), deps.catalog.listOffices()]);
    const errors = options.errors ?? [];
    const none = t('accounts.provinceWide');
    return renderPage(c, {
      title: t('accounts.tokens.title'),
      wide: true,
      status: errors.length ? 400 : 200,
      notice: options.created ? (
        <Notice kind="success">
          <p>{t('accounts.tokens.oneTime')}</p>
          <p class="secret">
            <code>{options.created}</code>
          </p>
        </Notice>
      ) : c.req.query('done') === 'revoked' ? (
        <Notice kind="success">{t('accounts.tokens.revoked')}</Notice>
      ) : undefined,
      body: (
        <>
          <ErrorSummary title={t('common.errorSummary')} errors={errors} />
          <p>{t('accounts.tokens.intro')}</p>
          {tokens.length ? (
            <table class="responsive">
              <caption class="visually-hidden">{t('accounts.tokens.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('accounts.tokens.name')}</th>
                  <th scope="col">{t('accounts.role')}</th>
                  <th scope="col">{t('accounts.office')}</th>
                  <th scope="col">{t('accounts.createdAt')}</th>
                  <th scope="col">{t('accounts.tokens.lastUsed')}</th>
                  <th scope="col">{t('accounts.status')}</th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => (
                  <tr>
                    <td data-label={t('accounts.tokens.name')}>{token.name}</td>
                    <td data-label={t('accounts.role')}>{t(`common.roles.${token.role}`)}</td>
                    <td data-label={t('accounts.office')}>{officeName(offices, token.officeId, none)}</td>
                    <td data-label={t('accounts.createdAt')}>{formatLocalDateTime(token.createdAt)}</td>
                    <td data-label={t('accounts.tokens.lastUsed')}>{token.lastUsedAt ? formatLocalDateTime(token.lastUsedAt) : t('accounts.tokens.never')}</td>
                    <td data-label={t('accounts.status')}>
                      {token.revokedAt ? (
                        <Badge tone="red">{t('accounts.tokens.revokedBadge')}</Badge>
                      ) : (
                        <form method="post" action={`${CONSOLE}/tokens/${token.id}/revoke`} class="inline">
                          <Csrf c={c} />
                          <button type="submit" class="warning" aria-label={t('accounts.tokens.revokeNamed', { name: token.name })}>
                            {t('accounts.tokens.revoke')}
                          </button>
                        </form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="muted">{t('accounts.tokens.none')}</p>
          )}
          <h2>{t('accounts.tokens.create')}</h2>
          <form method="post" action={`${CONSOLE}/tokens`} novalidate>
            <Csrf c={c} />
            <Field
              id="name"
              label={t('accounts.tokens.name')}
              hint={t('accounts.tokens.nameHint')}
              value={options.name}
              error={errors.find((e) => e.field === 'name')?.message}
              width="medium"
            />
            <RoleChoice t={t} value={undefined} error={errors.find((e) => e.field === 'role-staff')?.message} />
            <OfficeSelect
              id="office"
              label={t('accounts.office')}
              none={none}
              offices={offices}
              value={null}
              error={errors.find((e) => e.field === 'office')?.message}
            />
            <button type="submit">{t('accounts.tokens.createSubmit')}</button>
          </form>
        </>
      ),
    });
  }

  routes.get('/tokens', admin, (c) => page(c));

  routes.post('/tokens', admin, async (c) => {
    const t = c.get('t');
    const form = await c.req.parseBody();
    const name = typeof form.name === 'string' ? form.name.trim() : '';
    const role = asRole(form.role);
    const officeId = chosenOffice(form.office, await deps.catalog.listOffices());
    const errors: FieldError[] = [];
    if (!name || name.length > 100) errors.push({ field: 'name', message: t('accounts.tokens.errors.name') });
    if (!role) errors.push({ field: 'role-staff', message: t('accounts.errors.role') });
    if (officeId === undefined) errors.push({ field: 'office', message: t('accounts.errors.office') });
    if (errors.length || !role || officeId === undefined) return page(c, { errors, name });
    const created = await createToken(deps.db, { name, role, officeId }, signedIn(c).actor, deps.clock.now());
    return page(c, { created: created.token });
  });

  routes.post('/tokens/:id/revoke', admin, async (c) => {
    const id = Number(c.req.param('id'));
    const revoked = Number.isSafeInteger(id) && id > 0 ? await revokeToken(deps.db, id, signedIn(c).actor, deps.clock.now()) : null;
    if (!revoked?.ok) return renderProblem(c, 404, 'common.problem.notFoundTitle', 'common.problem.notFound');
    return c.redirect(`${CONSOLE}/tokens?done=revoked`, 303);
  });

  return routes;
}
