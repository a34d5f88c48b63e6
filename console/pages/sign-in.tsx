import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { changePassword, endSession, login, PASSWORD_RULES, type PasswordChangeFailure, SESSION_COOKIE } from '../../domain/people/sessions';
import { clientAddress } from '../../http/client-address';
import { asLocale } from '../../vocabulary/locales';
import { ErrorSummary, Field, type FieldError } from '../components';
import { type ConsoleBase, type ConsoleContext, type ConsoleEnv, signedIn } from '../context';
import { Csrf } from '../layout';
import { CONSOLE, safeReturnPath } from '../paths';
import { renderPage, renderProblem } from '../render';
import { type Guards, languageCookie } from '../session';

/** A form field's text, or '' when it is missing or a file. */
const text = (form: Record<string, unknown>, name: string): string => (typeof form[name] === 'string' ? (form[name] as string) : '');

/**
 * A sign-in form posted from another site is refused: it could sign a clerk's browser into an
 * account of the sender's choosing (login CSRF). Browsers say where a post comes from in
 * Sec-Fetch-Site; Origin is "null" under the app's no-referrer policy, so it is compared only
 * when it names a site.
 */
function sameOrigin(c: ConsoleContext): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = c.req.header('origin');
  return origin === undefined || origin === 'null' || origin === new URL(c.req.url).origin;
}

function signInPage(c: ConsoleContext, options: { next: string; username?: string; errors?: FieldError[]; status?: 200 | 400 | 401 | 429 }) {
  const t = c.get('t');
  const errors = options.errors ?? [];
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  return renderPage(c, {
    title: t('signIn.title'),
    status: options.status ?? 200,
    body: (
      <>
        <ErrorSummary title={t('common.errorSummary')} errors={errors} />
        <p>{t('signIn.intro')}</p>
        <form method="post" action={`${CONSOLE}/sign-in`} novalidate>
          <input type="hidden" name="next" value={options.next} />
          <Field
            id="username"
            label={t('signIn.username')}
            autocomplete="username"
            value={options.username}
            width="medium"
            error={errorOf('username')}
            required
          />
          <Field
            id="password"
            label={t('signIn.password')}
            type="password"
            autocomplete="current-password"
            width="medium"
            error={errorOf('password')}
            required
          />
          <button type="submit">{t('signIn.submit')}</button>
        </form>
        <p class="muted">{t('signIn.forgot')}</p>
      </>
    ),
  });
}

const PASSWORD_ERRORS: Record<PasswordChangeFailure, { field: string; key: string }> = {
  wrong_password: { field: 'current', key: 'signIn.change.errors.wrong' },
  throttled: { field: 'current', key: 'signIn.change.errors.throttled' },
  too_short: { field: 'next', key: 'signIn.change.errors.tooShort' },
  too_long: { field: 'next', key: 'signIn.change.errors.tooLong' },
  same_as_username: { field: 'next', key: 'signIn.change.errors.username' },
  unchanged: { field: 'next', key: 'signIn.change.errors.unchanged' },
};

function passwordPage(c: ConsoleContext, errors: FieldError[] = [], status: 200 | 400 | 429 = 200) {
  const t = c.get('t');
  const forced = signedIn(c).mustChangePassword;
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  return renderPage(c, {
    title: t('signIn.change.title'),
    status,
    notice: forced ? (
      <div class="notice notice-warning" role="status">
        {t('signIn.change.forced')}
      </div>
    ) : undefined,
    body: (
      <>
        <ErrorSummary title={t('common.errorSummary')} errors={errors} />
        <form method="post" action={`${CONSOLE}/password`} novalidate>
          <Csrf c={c} />
          <Field
            id="current"
            label={t('signIn.change.current')}
            type="password"
            autocomplete="current-password"
            width="medium"
            error={errorOf('current')}
            required
          />
          <Field
            id="next"
            label={t('signIn.change.next')}
            hint={t('signIn.change.rules', { min: PASSWORD_RULES.minLength })}
            type="password"
            autocomplete="new-password"
            width="medium"
            error={errorOf('next')}
            required
          />
          <Field id="again" label={t('signIn.change.again')} type="password" autocomplete="new-password" width="medium" error={errorOf('again')} required />
          <button type="submit">{t('signIn.change.submit')}</button>
        </form>
      </>
    ),
  });
}

/** Sign-in, sign-out, the password change (forced on a new account) and the language switch. */
export function signInPages(deps: ConsoleBase, guards: Guards) {
  const routes = new Hono<ConsoleEnv>();

  routes.get('/sign-in', (c) => {
    const next = safeReturnPath(c.req.query('next'));
    if (c.get('staff')) return c.redirect(next, 303);
    return signInPage(c, { next });
  });

  routes.post('/sign-in', async (c) => {
    const t = c.get('t');
    if (!sameOrigin(c)) return renderProblem(c, 403, 'common.problem.expiredTitle', 'common.problem.expired');
    const form = await c.req.parseBody();
    const username = text(form, 'username').trim().slice(0, 100);
    const password = text(form, 'password').slice(0, 200);
    const next = safeReturnPath(text(form, 'next'));
    const missing: FieldError[] = [];
    if (!username) missing.push({ field: 'username', message: t('signIn.errors.username') });
    if (!password) missing.push({ field: 'password', message: t('signIn.errors.password') });
    if (missing.length) return signInPage(c, { next, username, errors: missing, status: 400 });

    const now = deps.clock.now();
    const result = await login(deps.db, { username, password, address: clientAddress(c) }, now);
    if (!result.ok) {
      if (result.reason === 'throttled') {
        const minutes = Math.max(1, Math.ceil((result.retryAfterMs ?? 60_000) / 60_000));
        c.header('Retry-After', String(minutes * 60));
        return signInPage(c, { next, username, errors: [{ field: 'username', message: t('signIn.errors.throttled', { minutes }) }], status: 429 });
      }
      return signInPage(c, { next, username, errors: [{ field: 'password', message: t('signIn.errors.invalid') }], status: 401 });
    }
    // A fresh session id at every sign-in: a cookie planted before sign-in is worth nothing after it.
    const previous = c.get('staff');
    if (previous) await endSession(deps.db, previous.token, previous.actor, now);
    // A browser-session cookie (no expiry date): closing the browser of a shared counter PC ends it; the server ends it after SESSION_HOURS anyway.
    setCookie(c, SESSION_COOKIE, result.value.token, { httpOnly: true, sameSite: 'Strict', secure: deps.secureCookies, path: '/' });
    return c.redirect(result.value.mustChangePassword ? `${CONSOLE}/password` : next, 303);
  });

  routes.post('/sign-out', guards.session(), async (c) => {
    const staff = signedIn(c);
    await endSession(deps.db, staff.token, staff.actor, deps.clock.now());
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: deps.secureCookies });
    return c.redirect(`${CONSOLE}/sign-in?signed-out=1`, 303);
  });

  routes.get('/password', guards.session(), (c) => passwordPage(c));

  routes.post('/password', guards.session(), async (c) => {
    const t = c.get('t');
    const staff = signedIn(c);
    const form = await c.req.parseBody();
    const current = text(form, 'current');
    const next = text(form, 'next');
    if (next !== text(form, 'again')) return passwordPage(c, [{ field: 'again', message: t('signIn.change.errors.mismatch') }], 400);
    if (!current) return passwordPage(c, [{ field: 'current', message: t('signIn.change.errors.current') }], 400);
    const result = await changePassword(deps.db, { actor: staff.actor, sessionToken: staff.token, current, next }, deps.clock.now());
    if (!result.ok) {
      const { field, key } = PASSWORD_ERRORS[result.reason];
      return passwordPage(
        c,
        [{ field, message: t(key, { min: PASSWORD_RULES.minLength, max: PASSWORD_RULES.maxLength }) }],
        result.reason === 'throttled' ? 429 : 400,
      );
    }
    return c.redirect(`${CONSOLE}?done=password`, 303);
  });

  // A preference, not a write to anything of the office's: a plain link, so it works signed out too.
  routes.get('/language', (c) => {
    languageCookie(c, asLocale(c.req.query('to') ?? ''), deps.secureCookies);
    return c.redirect(safeReturnPath(c.req.query('back')), 303);
  });

  return routes;
}
