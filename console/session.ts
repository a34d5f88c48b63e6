import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { csrfTokenFor, SESSION_COOKIE, sessionOf } from '../domain/people/sessions';
import { constantTimeEqual } from '../lib/crypto';
import type { Role } from '../vocabulary/actors';
import { asLocale, type Locale } from '../vocabulary/locales';
import type { ConsoleBase, ConsoleEnv } from './context';
import { CONSOLE } from './paths';

/** The console's language, remembered per browser (not per account: a shared counter PC keeps its choice). */
export const LANGUAGE_COOKIE = 'mc_console_lang';

export const languageCookie = (c: Parameters<MiddlewareHandler<ConsoleEnv>>[0], locale: Locale, secure: boolean) =>
  setCookie(c, LANGUAGE_COOKIE, locale, { path: CONSOLE, sameSite: 'Lax', secure, httpOnly: true, maxAge: 365 * 24 * 3600 });

/**
 * Runs first on every console request: the language and translator, the session when the cookie
 * names a live one, and headers that keep staff pages out of caches and frames. Pages and assets
 * come only from this origin (a strict Content-Security-Policy: no inline script or style).
 */
export function consoleContext(deps: ConsoleBase): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const locale = asLocale(getCookie(c, LANGUAGE_COOKIE) ?? '');
    c.set('locale', locale);
    c.set('t', deps.translator(locale));
    const token = getCookie(c, SESSION_COOKIE);
    const session = token ? await sessionOf(deps.db, token, deps.clock.now()) : null;
    c.set('staff', session && token ? { ...session, token, csrf: csrfTokenFor(token) } : undefined);
    await next();
    c.header('Cache-Control', 'no-store');
    // A stored scan brings its own, stricter policy (lib/stored-file.ts); pages get this one.
    if (c.res.headers.has('Content-Security-Policy')) return;
    c.header(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
  };
}

export type Refusal = 'signed_out' | 'forbidden' | 'csrf';
type Refuse = (c: Parameters<MiddlewareHandler<ConsoleEnv>>[0], why: Refusal) => Response | Promise<Response>;

export interface Guards {
  /**
   * Lets a request through only for a signed-in person with one of `roles`; on a write, only
   * with the session's CSRF token (the `_csrf` form field, or X-CSRF-Token for script requests).
   * A signed-out page visit goes to sign-in and back; a person who must change their password
   * goes there first.
   */
  role(...roles: Role[]): MiddlewareHandler<ConsoleEnv>;
  /** Any signed-in person, even one who must change their password (the password page, sign-out). */
  session(): MiddlewareHandler<ConsoleEnv>;
}

/** The console's access checks; refusals are rendered by `refuse` (a page, never a raw error). */
export function createGuards(refuse: Refuse): Guards {
  const guard =
    (roles: readonly Role[] | null): MiddlewareHandler<ConsoleEnv> =>
    async (c, next) => {
      const staff = c.get('staff');
      const reading = c.req.method === 'GET' || c.req.method === 'HEAD';
      if (!staff) {
        if (!reading) return refuse(c, 'signed_out');
        const back = new URL(c.req.url);
        return c.redirect(`${CONSOLE}/sign-in?next=${encodeURIComponent(back.pathname + back.search)}`, 303);
      }
      if (!reading && !(await csrfMatches(c, staff.csrf))) return refuse(c, 'csrf');
      if (roles) {
        if (staff.mustChangePassword) return reading ? c.redirect(`${CONSOLE}/password`, 303) : refuse(c, 'forbidden');
        if (!roles.includes(staff.actor.role)) return refuse(c, 'forbidden');
      }
      await next();
    };
  return { role: (...roles) => guard(roles), session: () => guard(null) };
}

/** True when the write carries the session's CSRF token. */
async function csrfMatches(c: Parameters<MiddlewareHandler<ConsoleEnv>>[0], expected: string): Promise<boolean> {
  const header = c.req.header('x-csrf-token');
  if (header !== undefined) return constantTimeEqual(header, expected);
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) return false;
  const form = await c.req.parseBody();
  const sent = form._csrf;
  return typeof sent === 'string' && constantTimeEqual(sent, expected);
}
