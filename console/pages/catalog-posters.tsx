import { Hono } from 'hono';
import { PROCEDURE_CODE } from '../../vocabulary/procedure';
import type { ConsoleDeps, ConsoleEnv } from '../context';
import { CONSOLE } from '../paths';
import { renderPage } from '../render';
import type { Guards } from '../session';
import { titleOf } from './catalog-summary';

/** The most QR codes one counter sheet holds (two A4 pages at six a page). */
const SHEET_MAX = 12;

/**
 * Printable material for the counter, built on the public poster and QR routes
 * (api/routes/posters.ts: /posters/<code>, /qr/procedures/<code>.svg|.png): a list of every
 * procedure's poster, and a sheet of chosen procedures' QR codes to print and pin up.
 */
export function posterPages(deps: ConsoleDeps, guards: Guards) {
  const routes = new Hono<ConsoleEnv>();
  const admin = guards.role('admin');

  routes.get('/catalog/posters', admin, async (c) => {
    const t = c.get('t');
    const list = await deps.catalog.list();
    return renderPage(c, {
      title: t('catalog.posters.title'),
      wide: true,
      body: (
        <>
          <p>
            <a href={`${CONSOLE}/catalog`}>← {t('catalog.back')}</a>
          </p>
          <p>{t('catalog.posters.intro')}</p>
          <form method="get" action={`${CONSOLE}/catalog/posters/sheet`}>
            <button type="submit">{t('catalog.posters.sheet', { max: SHEET_MAX })}</button>
            <table class="responsive">
              <caption class="visually-hidden">{t('catalog.posters.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('catalog.posters.choose')}</th>
                  <th scope="col">{t('catalog.fields.code')}</th>
                  <th scope="col">{t('catalog.columns.name')}</th>
                  <th scope="col">{t('catalog.links')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((p) => (
                  <tr>
                    <td data-label={t('catalog.posters.choose')}>
                      <input
                        type="checkbox"
                        class="check"
                        name="code"
                        value={p.code}
                        id={`pick-${p.code}`}
                        aria-label={t('catalog.posters.pick', { name: titleOf(p) })}
                        checked={p.common}
                      />
                    </td>
                    <td data-label={t('catalog.fields.code')}>{p.code}</td>
                    <td data-label={t('catalog.columns.name')}>{titleOf(p)}</td>
                    <td data-label={t('catalog.links')}>
                      <a href={`/posters/${p.code}`}>{t('catalog.posters.poster')}</a> · <a href={`/qr/procedures/${p.code}.svg`}>SVG</a> ·{' '}
                      <a href={`/qr/procedures/${p.code}.png`}>PNG</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <button type="submit">{t('catalog.posters.sheet', { max: SHEET_MAX })}</button>
          </form>
        </>
      ),
    });
  });

  routes.get('/catalog/posters/sheet', admin, async (c) => {
    const t = c.get('t');
    const codes = [...new Set(c.req.queries('code') ?? [])].filter((code) => PROCEDURE_CODE.test(code));
    const chosen = (await Promise.all(codes.map((code) => deps.catalog.get(code)))).filter((p) => p !== null).slice(0, SHEET_MAX);
    const office = await deps.catalog.office();
    return renderPage(c, {
      title: t('catalog.posters.sheetTitle'),
      wide: true,
      body: (
        <>
          <p class="noprint">{chosen.length ? t('catalog.posters.printHint') : t('catalog.posters.noneChosen')}</p>
          <p class="noprint">
            <a href={`${CONSOLE}/catalog/posters`}>← {t('catalog.posters.title')}</a>
          </p>
          {office ? (
            <p class="lead">
              {office.name} · {office.openingHours}
            </p>
          ) : null}
          <ul class="qr-sheet">
            {chosen.map((p) => (
              <li>
                <img src={`/qr/procedures/${p.code}.svg`} alt={t('catalog.posters.qrAlt', { name: titleOf(p) })} width="160" height="160" />
                <strong>{titleOf(p)}</strong>
                <span class="muted">{p.code}</span>
                <span>{t('catalog.posters.scan')}</span>
              </li>
            ))}
          </ul>
        </>
      ),
    });
  });

  return routes;
}
