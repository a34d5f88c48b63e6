import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { asLocale, type Locale, type Translate } from '../vocabulary/locales';
import type { ConsoleContext } from './context';
import { Layout } from './layout';
import { CONSOLE } from './paths';
import { LANGUAGE_COOKIE, type Refusal } from './session';

export interface PageOptions {
  title: string;
  body: Child;
  status?: ContentfulStatusCode;
  notice?: Child;
  wide?: boolean;
  /** Without the header, the sections and the footer: a print view. */
  bare?: boolean;
}

/** A whole console page in the layout. */
export function renderPage(c: ConsoleContext, options: PageOptions) {
  return c.html(
    <>
      {raw('<!doctype html>')}
      <Layout c={c} title={options.title} wide={options.wide} bare={options.bare} notice={options.notice}>
        {options.body}
      </Layout>
    </>,
    options.status ?? 200,
  );
}

/** A polite page for something that went wrong, with the request id to quote to support; never the raw error. */
export function renderProblem(c: ConsoleContext, status: ContentfulStatusCode, titleKey: string, textKey: string, action?: Child) {
  const t = c.get('t');
  return renderPage(c, {
    title: t(titleKey),
    status,
    body: (
      <>
        <p class="lead">{t(textKey)}</p>
        {action}
        <p class="muted">{t('common.problem.requestId', { id: c.get('requestId') })}</p>
      </>
    ),
  });
}

/** Why a request was refused, as a page (./session.ts decides, this words it). */
export function renderRefusal(c: ConsoleContext, why: Refusal) {
  const t = c.get('t');
  switch (why) {
    case 'signed_out':
      return renderProblem(
        c,
        401,
        'common.problem.signedOutTitle',
        'common.problem.signedOut',
        <p>
          <a href={`${CONSOLE}/sign-in`}>{t('common.signIn')}</a>
        </p>,
      );
    case 'csrf':
      return renderProblem(c, 403, 'common.problem.expiredTitle', 'common.problem.expired');
    case 'forbidden':
      return renderProblem(
        c,
        403,
        'common.problem.forbiddenTitle',
        'common.problem.forbidden',
        <p>
          <a href={CONSOLE}>{t('common.nav.home')}</a>
        </p>,
      );
  }
}

/**
 * The page for a form whose body is over the app's limit (refused before any console code runs,
 * so the language is read here), in place of the API's JSON.
 */
export function renderTooLarge(translator: (locale: Locale) => Translate) {
  return (c: Context, maxBytes: number) => {
    const page = c as unknown as ConsoleContext;
    const locale = asLocale(getCookie(c, LANGUAGE_COOKIE) ?? '');
    page.set('locale', locale);
    page.set('t', translator(locale));
    const t = page.get('t');
    return renderPage(page, {
      title: t('common.problem.tooLargeTitle'),
      status: 413,
      body: (
        <>
          <p class="lead">{t('common.problem.tooLarge', { megabytes: Math.floor(maxBytes / (1024 * 1024)) })}</p>
          <p class="muted">{t('common.problem.requestId', { id: c.get('requestId') })}</p>
        </>
      ),
    });
  };
}
