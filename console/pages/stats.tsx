import { Hono } from 'hono';
import type { StoredOffice } from '../../domain/catalog/store';
import { officeScope } from '../../domain/dossiers/store';
import { formatLocalDateTime, localIsoDate } from '../../lib/vn-time';
import { ErrorSummary, Field } from '../components';
import { type ConsoleContext, type ConsoleDeps, type ConsoleEnv, signedIn } from '../context';
import { CONSOLE } from '../paths';
import { renderPage, renderProblem } from '../render';
import type { Guards } from '../session';
import { statsCsv, statsCsvName } from './stats-csv';
import { loadStatsFigures } from './stats-figures';
import { type ParsedStats, parseStatsQuery, presets, type StatsInput, statsSearch } from './stats-query';
import { StatsBody } from './stats-view';

const PATH = `${CONSOLE}/stats`;
const localDate = (iso: string) => iso.split('-').reverse().join('/');

/**
 * The officials' statistics: the figures the province asks for over a period and an office, as
 * charts with their tables, a CSV of the same figures, and a print view for the monthly report.
 * The figures come from the same domain functions as GET /api/v1/stats.
 */
export function statsPages(deps: ConsoleDeps, guards: Guards) {
  const routes = new Hono<ConsoleEnv>();
  const read = guards.role('official', 'admin');

  /** The query read against the account's office and the offices that exist. */
  const parse = async (c: ConsoleContext): Promise<{ parsed: ParsedStats; offices: StoredOffice[]; scope: number | null; today: string }> => {
    const { actor } = signedIn(c);
    const scope = officeScope(actor);
    const offices = await deps.catalog.listOffices();
    const today = localIsoDate(deps.clock.now());
    return { parsed: parseStatsQuery(c.req.query(), { today, scope, offices: offices.map((o) => o.id) }), offices, scope, today };
  };

  const refuse = (c: ConsoleContext) =>
    renderProblem(
      c,
      403,
      'stats.errors.otherOfficeTitle',
      'stats.errors.otherOffice',
      <p>
        <a href={PATH}>{c.get('t')('stats.backToOwn')}</a>
      </p>,
    );

  routes.get('/stats', read, async (c) => {
    const t = c.get('t');
    const { parsed, offices, scope, today } = await parse(c);
    if (!parsed.ok && parsed.reason === 'other_office') return refuse(c);
    const errors = parsed.ok ? [] : parsed.errors.map((e) => ({ field: e.field, message: t(`stats.errors.${e.key}`) }));
    const input: StatsInput = parsed.ok || parsed.reason === 'invalid' ? parsed.input : { from: '', to: '', office: '' };
    const figures = parsed.ok ? await loadStatsFigures(deps, parsed.value, offices) : null;
    const print = c.req.query('print') === '1' && figures !== null;
    const locale = c.get('locale');

    if (print && figures && parsed.ok) {
      return renderPage(c, {
        title: t('stats.print.title'),
        wide: true,
        bare: true,
        body: (
          <div class="stats stats-print">
            <p class="no-print">
              <a href={`${PATH}${statsSearch(parsed.value)}`}>{t('stats.print.back')}</a> · {t('stats.print.how')}
            </p>
            <dl class="summary">
              <div>
                <dt>{t('stats.office')}</dt>
                <dd>{figures.officeName ?? t('stats.allOffices')}</dd>
              </div>
              <div>
                <dt>{t('stats.period')}</dt>
                <dd>{t('stats.periodText', { from: localDate(parsed.value.from), to: localDate(parsed.value.to) })}</dd>
              </div>
              <div>
                <dt>{t('stats.print.madeAt')}</dt>
                <dd>{formatLocalDateTime(figures.now)}</dd>
              </div>
            </dl>
            <p class="hint">{t('stats.asOf', { time: formatLocalDateTime(figures.now) })}</p>
            <StatsBody figures={figures} t={t} locale={locale} print={true} />
          </div>
        ),
      });
    }

    const periods = presets(today);
    const presetHref = (p: { from: string; to: string }) => `${PATH}?${new URLSearchParams(input.office ? { ...p, office: input.office } : p)}`;
    return renderPage(c, {
      title: t('stats.title'),
      wide: true,
      status: errors.length ? 400 : 200,
      body: (
        <div class="stats">
          <ErrorSummary title={t('common.errorSummary')} errors={errors} />
          <form method="get" action={PATH} class="filters">
            <Field id="from" label={t('stats.from')} type="date" value={input.from} width="short" error={errors.find((e) => e.field === 'from')?.message} />
            <Field id="to" label={t('stats.to')} type="date" value={input.to} width="short" error={errors.find((e) => e.field === 'to')?.message} />
            {scope === null ? (
              <div class={errors.some((e) => e.field === 'office') ? 'field field-error' : 'field'}>
                <label for="office">{t('stats.office')}</label>
                {errors.some((e) => e.field === 'office') ? (
                  <p class="error-message" id="office-error">
                    {errors.find((e) => e.field === 'office')?.message}
                  </p>
                ) : null}
                <select
                  id="office"
                  name="office"
                  class="input input-medium"
                  aria-describedby={errors.some((e) => e.field === 'office') ? 'office-error' : undefined}
                >
                  <option value="">{t('stats.allOffices')}</option>
                  {offices.map((o) => (
                    <option value={String(o.id)} selected={input.office === String(o.id)}>
                      {o.name}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            <button type="submit">{t('stats.show')}</button>
          </form>
          <nav class="presets" aria-label={t('stats.presets.label')}>
            <ul>
              {(['thisMonth', 'lastMonth', 'thisYear'] as const).map((key) => (
                <li>
                  <a href={presetHref(periods[key])} aria-current={input.from === periods[key].from && input.to === periods[key].to ? 'true' : undefined}>
                    {t(`stats.presets.${key}`)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          {figures && parsed.ok ? (
            <>
              <p class="lead" id="stats-scope">
                {t('stats.scope', {
                  office: figures.officeName ?? t('stats.allOffices'),
                  from: localDate(parsed.value.from),
                  to: localDate(parsed.value.to),
                })}
              </p>
              <p class="actions">
                <a class="button secondary" href={`${PATH}.csv${statsSearch(parsed.value)}`} download>
                  {t('stats.csvLink')}
                </a>
                <a class="button secondary" href={`${PATH}${statsSearch(parsed.value, { print: '1' })}`}>
                  {t('stats.printLink')}
                </a>
              </p>
              <p class="hint">{t('stats.asOf', { time: formatLocalDateTime(figures.now) })}</p>
              <StatsBody figures={figures} t={t} locale={locale} print={false} />
            </>
          ) : null}
        </div>
      ),
    });
  });

  routes.get('/stats.csv', read, async (c) => {
    const { parsed, offices } = await parse(c);
    if (!parsed.ok && parsed.reason === 'other_office') return refuse(c);
    if (!parsed.ok) {
      // The form's page explains what is wrong; a CSV of an error helps no one.
      const t = c.get('t');
      return renderProblem(
        c,
        400,
        'stats.errors.csvTitle',
        'stats.errors.csv',
        <p>
          <a href={PATH}>{t('stats.title')}</a>
        </p>,
      );
    }
    const figures = await loadStatsFigures(deps, parsed.value, offices);
    return c.body(statsCsv(figures, c.get('t')), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${statsCsvName(figures)}"`,
    });
  });
  return routes;
}
