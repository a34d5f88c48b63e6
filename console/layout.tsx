import type { Child, FC, PropsWithChildren } from 'hono/jsx';
import type { Role } from '../vocabulary/actors';
import { ASSET_VERSION } from './assets';
import type { ConsoleContext } from './context';
import { CONSOLE } from './paths';

/** The console's sections, shown to the roles that may open them. */
const NAV: { href: string; key: string; roles: readonly Role[] }[] = [
  { href: CONSOLE, key: 'common.nav.home', roles: ['staff', 'official', 'admin'] },
  { href: `${CONSOLE}/certification`, key: 'common.nav.queue', roles: ['staff', 'admin'] },
  { href: `${CONSOLE}/telephone`, key: 'common.nav.telephone', roles: ['staff', 'admin'] },
  { href: `${CONSOLE}/citizens`, key: 'common.nav.citizens', roles: ['staff', 'admin'] },
  { href: `${CONSOLE}/dossiers`, key: 'common.nav.dossiers', roles: ['staff', 'official', 'admin'] },
  { href: `${CONSOLE}/broadcasts`, key: 'common.nav.broadcasts', roles: ['official', 'admin'] },
  { href: `${CONSOLE}/catalog`, key: 'common.nav.catalog', roles: ['admin'] },
  { href: `${CONSOLE}/offices`, key: 'common.nav.offices', roles: ['admin'] },
  { href: `${CONSOLE}/stats`, key: 'common.nav.stats', roles: ['official', 'admin'] },
  { href: `${CONSOLE}/accounts`, key: 'common.nav.accounts', roles: ['admin'] },
  { href: `${CONSOLE}/tokens`, key: 'common.nav.tokens', roles: ['admin'] },
  { href: `${CONSOLE}/audit`, key: 'common.nav.audit', roles: ['admin'] },
];

const isCurrent = (href: string, path: string) => (href === CONSOLE ? path === CONSOLE : path === href || path.startsWith(`${href}/`));

/** The hidden field every console form carries (see ./session.ts). */
export const Csrf: FC<{ c: ConsoleContext }> = ({ c }) => <input type="hidden" name="_csrf" value={c.get('staff')?.csrf ?? ''} />;

/**
 * Every console page: a skip link, the header with the person and sign-out, the sections they may
 * open, the page's title as its one h1, and the language switch. Works without JavaScript;
 * ./assets.ts adds the live parts. A `bare` page (a print view) has only its title and content.
 */
export const Layout: FC<PropsWithChildren<{ c: ConsoleContext; title: string; wide?: boolean | undefined; bare?: boolean | undefined; notice?: Child }>> = ({
  c,
  title,
  wide,
  bare,
  notice,
  children,
}) => {
  const t = c.get('t');
  const staff = c.get('staff');
  const locale = c.get('locale');
  const path = c.req.path;
  const url = new URL(c.req.url);
  const here = encodeURIComponent(url.pathname + url.search);
  const other = locale === 'vi' ? 'en' : 'vi';
  const nav = staff && !staff.mustChangePassword ? NAV.filter((item) => item.roles.includes(staff.actor.role)) : [];
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t('common.product')}`}</title>
        <link rel="stylesheet" href={`${CONSOLE}/assets/console.css?v=${ASSET_VERSION}`} />
        <script src={`${CONSOLE}/assets/console.js?v=${ASSET_VERSION}`} defer />
      </head>
      <body class={bare ? 'bare' : undefined}>
        <a class="skip-link" href="#main">
          {t('common.skipToContent')}
        </a>
        {bare ? null : (
          <header class="header">
            <div class={wide ? 'container wide' : 'container'}>
              <a class="brand" href={CONSOLE}>
                {t('common.product')}
              </a>
              {staff ? (
                <div class="account">
                  <span class="who">
                    {staff.actor.name} · {t(`common.roles.${staff.actor.role}`)}
                  </span>
                  <a href={`${CONSOLE}/password`}>{t('common.changePassword')}</a>
                  <form method="post" action={`${CONSOLE}/sign-out`} class="inline">
                    <Csrf c={c} />
                    <button type="submit" class="link-button">
                      {t('common.signOut')}
                    </button>
                  </form>
                </div>
              ) : null}
            </div>
            {nav.length ? (
              <nav class="nav" aria-label={t('common.nav.label')}>
                <ul class={wide ? 'container wide' : 'container'}>
                  {nav.map((item) => (
                    <li>
                      <a href={item.href} aria-current={isCurrent(item.href, path) ? 'page' : undefined}>
                        {t(item.key)}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            ) : null}
          </header>
        )}
        <main id="main" class={wide ? 'container wide' : 'container'} tabindex={-1}>
          {notice}
          <h1>{title}</h1>
          {children}
        </main>
        {bare ? null : (
          <footer class="footer">
            <div class={wide ? 'container wide' : 'container'}>
              <a href={`${CONSOLE}/language?to=${other}&back=${here}`} lang={other} hreflang={other}>
                {t(`common.switchTo.${other}`)}
              </a>
            </div>
          </footer>
        )}
      </body>
    </html>
  );
};
