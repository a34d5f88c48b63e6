import { Hono } from 'hono';
import { periodBounds } from '../../domain/dossiers/stats';
import { queryAudit } from '../../domain/people/audit-log';
import { listStaff } from '../../domain/people/staff';
import { listTokens } from '../../domain/people/tokens';
import { formatLocalDateTime } from '../../lib/vn-time';
import { ErrorSummary, Field, type FieldError, Pagination } from '../components';
import type { ConsoleDeps, ConsoleEnv } from '../context';
import { CONSOLE } from '../paths';
import { renderPage } from '../render';
import type { Guards } from '../session';

const PAGE_SIZE = 50;
const LOCAL_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** A change's details as one short line (the full rows stay in the API's JSON). */
const compact = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  const text = JSON.stringify(value);
  return text.length > 240 ? `${text.slice(0, 240)}…` : text;
};

/** The audit log for admins: who did what to which subject and when, filtered by person, action and date. */
export function auditPages(deps: ConsoleDeps, guards: Guards) {
  const routes = new Hono<ConsoleEnv>();
  routes.get('/audit', guards.role('admin'), async (c) => {
    const t = c.get('t');
    const q = c.req.query();
    const actor = /^(staff|token):\d{1,12}$/.test(q.actor ?? '') ? q.actor : undefined;
    const action = (q.action ?? '').trim().slice(0, 100) || undefined;
    const errors: FieldError[] = [];
    const from = q.from ?? '';
    const to = q.to ?? '';
    if (from && !LOCAL_DATE.test(from)) errors.push({ field: 'from', message: t('accounts.audit.errors.date') });
    if (to && !LOCAL_DATE.test(to)) errors.push({ field: 'to', message: t('accounts.audit.errors.date') });
    if (!errors.length && from && to && from > to) errors.push({ field: 'to', message: t('accounts.audit.errors.order') });
    const page = Math.min(10_000, Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1));
    const bounds = errors.length ? {} : { from: from ? periodBounds(from, from).start : undefined, to: to ? periodBounds(to, to).end : undefined };
    const [log, staff, tokens] = await Promise.all([
      errors.length ? { items: [], total: 0 } : queryAudit(deps.db, { actor, action, ...bounds, page, pageSize: PAGE_SIZE }),
      listStaff(deps.db),
      listTokens(deps.db),
    ]);
    const people = [
      ...staff.map((s) => ({ ref: `staff:${s.id}`, label: `${s.name} (${s.username})` })),
      ...tokens.map((k) => ({ ref: `token:${k.id}`, label: `${t('accounts.audit.token')}: ${k.name}` })),
    ];
    const link = (n: number) =>
      `${CONSOLE}/audit?${new URLSearchParams({ ...(actor ? { actor } : {}), ...(action ? { action } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}), page: String(n) })}`;
    return renderPage(c, {
      title: t('accounts.audit.title'),
      wide: true,
      status: errors.length ? 400 : 200,
      body: (
        <>
          <ErrorSummary title={t('common.errorSummary')} errors={errors} />
          <form method="get" action={`${CONSOLE}/audit`} class="inline-fields">
            <div class="field">
              <label for="actor">{t('accounts.audit.person')}</label>
              <select id="actor" name="actor" class="input input-medium">
                <option value="">{t('accounts.audit.everyone')}</option>
                {people.map((p) => (
                  <option value={p.ref} selected={p.ref === actor}>
                    {p.label}
                  </option>
                ))}
              </select>
            </div>
            <Field id="action" label={t('accounts.audit.action')} hint={t('accounts.audit.actionHint')} value={action} width="medium" />
            <Field id="from" label={t('accounts.audit.from')} type="date" value={from} width="short" error={errors.find((e) => e.field === 'from')?.message} />
            <Field id="to" label={t('accounts.audit.to')} type="date" value={to} width="short" error={errors.find((e) => e.field === 'to')?.message} />
            <button type="submit">{t('accounts.audit.filter')}</button>
          </form>
          <p aria-live="polite">{t('accounts.audit.count', { count: log.total })}</p>
          {log.items.length ? (
            <table class="responsive">
              <caption class="visually-hidden">{t('accounts.audit.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('accounts.audit.at')}</th>
                  <th scope="col">{t('accounts.audit.person')}</th>
                  <th scope="col">{t('accounts.audit.action')}</th>
                  <th scope="col">{t('accounts.audit.subject')}</th>
                  <th scope="col">{t('accounts.audit.details')}</th>
                </tr>
              </thead>
              <tbody>
                {log.items.map((e) => (
                  <tr>
                    <td data-label={t('accounts.audit.at')}>{formatLocalDateTime(e.at)}</td>
                    <td data-label={t('accounts.audit.person')}>{e.actorName}</td>
                    <td data-label={t('accounts.audit.action')}>
                      <code>{e.action}</code>
                    </td>
                    <td data-label={t('accounts.audit.subject')}>
                      <code>{e.subject}</code>
                    </td>
                    <td data-label={t('accounts.audit.details')}>
                      {e.before ? (
                        <div>
                          <span class="muted">{t('accounts.audit.before')}</span> <code class="wrap">{compact(e.before)}</code>
                        </div>
                      ) : null}
                      {e.after ? (
                        <div>
                          <span class="muted">{t('accounts.audit.after')}</span> <code class="wrap">{compact(e.after)}</code>
                        </div>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <Pagination
            page={page}
            pageSize={PAGE_SIZE}
            total={log.total}
            href={link}
            labels={{ previous: t('common.previous'), next: t('common.next'), of: t('common.pages') }}
          />
        </>
      ),
    });
  });
  return routes;
}
