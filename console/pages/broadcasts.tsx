import { Hono } from 'hono';
import type { BroadcastAudience } from '../../db/schema';
import { officeScope } from '../../domain/dossiers/store';
import { listAreas } from '../../domain/messaging/notification-settings';
import {
  broadcastProgress,
  cancelBroadcast,
  countAudience,
  createBroadcast,
  getBroadcast,
  listBroadcasts,
  scheduleBroadcast,
  testSendBroadcast,
} from '../../domain/outreach/broadcasts';
import { issueLinkCode, LINK_CODE_MINUTES, linkedChats, unlinkChat } from '../../domain/people/staff-chats';
import { formatLocalDateTime, localParts, localTime } from '../../lib/vn-time';
import { Badge, ErrorSummary, Field, type FieldError, Notice } from '../components';
import { type ConsoleContext, type ConsoleDeps, type ConsoleEnv, signedIn } from '../context';
import { Csrf } from '../layout';
import { CONSOLE } from '../paths';
import { renderPage, renderProblem } from '../render';
import type { Guards } from '../session';
import { ChannelPreviews, ComposeForm, channelsOf, checkDraft, type Draft, EMPTY_DRAFT, type OfficeChoice, readDraft } from './broadcast-compose';
import { ProgressRegion, STATUS_TONE } from './broadcast-progress';

const DONE = ['saved', 'tested', 'scheduled', 'cancelled', 'linked', 'unlinked'] as const;

/** "2026-11-23" and "08:30" typed in the form, as the instant in Vietnam's time; null when not a real date and time. */
function localInstant(date: string, time: string): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!d || !t) return null;
  const [year, month, day, hour, minute] = [d[1], d[2], d[3], t[1], t[2]].map(Number) as [number, number, number, number, number];
  const at = localTime(year, month, day, hour, minute);
  const back = localParts(at);
  // 2026-02-30 rolls over to March: not a date anyone meant.
  return back.year === year && back.month === month && back.day === day ? at : null;
}

/** The audience in words: "Phường A, Xã B · Đất đai · Telegram · Tiếng Việt", or "everyone who subscribed". */
function audienceText(c: ConsoleContext, audience: BroadcastAudience, areaNames: Map<string, string>, officeNames: Map<number, string>): string {
  const t = c.get('t');
  const parts = [
    audience.offices?.map((o) => officeNames.get(o) ?? `#${o}`).join(', '),
    audience.areas?.map((a) => areaNames.get(a) ?? a).join(', '),
    audience.topics?.map((x) => t(`broadcasts.topicNames.${x}`)).join(', '),
    audience.channels?.map((x) => t(`broadcasts.channels.${x}`)).join(', '),
    audience.locales?.map((x) => t(`common.switchTo.${x}`)).join(', '),
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : t('broadcasts.everyone');
}

/**
 * Announcements for officials: compose with a preview per channel and the audience's size, save a
 * draft, test-send to one's own linked chats, send now or at a time, follow the progress live,
 * cancel, and read the history and the final report. The same domain functions as the API.
 */
export function broadcastPages(deps: ConsoleDeps, guards: Guards) {
  const routes = new Hono<ConsoleEnv>();
  const official = guards.role('official', 'admin');

  /** The offices the signed-in account may address (domain/outreach/broadcasts.ts scopeAudience). */
  const officeChoice = async (c: ConsoleContext): Promise<OfficeChoice> => ({
    offices: (await deps.catalog.listOffices()).map((o) => ({ id: o.id, name: o.name })),
    scope: officeScope(signedIn(c).actor),
  });

  async function composePage(c: ConsoleContext, draft: Draft, options: { errors?: FieldError[]; preview?: boolean } = {}) {
    const t = c.get('t');
    const [areas, choice] = await Promise.all([listAreas(deps.db), officeChoice(c)]);
    const errors = options.errors ?? [];
    const checked = options.preview && !errors.length ? checkDraft(t, draft, areas, choice).input : null;
    const size = checked ? await countAudience(deps.db, checked.audience) : null;
    return renderPage(c, {
      title: t('broadcasts.newTitle'),
      status: errors.length ? 400 : 200,
      body: (
        <>
          <ErrorSummary title={t('common.errorSummary')} errors={errors} />
          {checked && size ? (
            <section aria-labelledby="preview-title" class="card">
              <h2 id="preview-title">{t('broadcasts.previewTitle')}</h2>
              <p class="lead" data-audience-size={String(size.total)}>
                {t('broadcasts.audienceSize', { count: size.total })}
              </p>
              <p class="muted">
                {Object.entries(size.byChannel)
                  .map(([ch, n]) => `${t(`broadcasts.channels.${ch}`)}: ${n}`)
                  .join(' · ')}
              </p>
              <ChannelPreviews t={t} text={checked.text} link={checked.link ?? null} channels={channelsOf(draft)} render={deps.renderBroadcast} />
            </section>
          ) : null}
          <ComposeForm c={c} draft={draft} areas={areas} choice={choice} errors={errors} />
        </>
      ),
    });
  }

  async function broadcastPage(
    c: ConsoleContext,
    id: number,
    options: { errors?: FieldError[]; status?: 200 | 400 | 409; warning?: string; fragment?: boolean } = {},
  ) {
    const t = c.get('t');
    const { actor } = signedIn(c);
    const row = await getBroadcast(deps.db, id, officeScope(actor));
    if (!row) return renderProblem(c, 404, 'common.problem.notFoundTitle', 'common.problem.notFound');
    const [progress, areas, chats] = await Promise.all([broadcastProgress(deps.db, id), listAreas(deps.db), linkedChats(deps.db, actor.id)]);
    if (!progress) return renderProblem(c, 404, 'common.problem.notFoundTitle', 'common.problem.notFound');
    const size = row.status === 'draft' ? await countAudience(deps.db, row.audience) : null;
    const now = deps.clock.now();
    const progressUrl = `${CONSOLE}/broadcasts/${id}/progress`;
    const region = (
      <ProgressRegion
        t={t}
        url={progressUrl}
        progress={progress}
        startedAt={row.startedAt}
        sendAt={row.sendAt}
        report={row.report}
        now={now}
        csrf={signedIn(c).csrf}
      />
    );
    if (options.fragment || c.req.header('x-console-fragment') === '1') return c.html(region);
    const errors = options.errors ?? [];
    const done = DONE.find((d) => d === c.req.query('done'));
    return renderPage(c, {
      title: t('broadcasts.itemTitle', { id }),
      status: options.status ?? (errors.length ? 400 : 200),
      notice: options.warning ? (
        <Notice kind="warning">{options.warning}</Notice>
      ) : done ? (
        <Notice kind="success">{t(`broadcasts.done.${done}`)}</Notice>
      ) : undefined,
      body: (
        <>
          <ErrorSummary title={t('common.errorSummary')} errors={errors} />
          <dl class="summary">
            {row.urgent ? (
              <div>
                <dt>{t('broadcasts.urgentBadge')}</dt>
                <dd>
                  <Badge tone="red">{t('broadcasts.urgentBadge')}</Badge>
                </dd>
              </div>
            ) : null}
            <div>
              <dt>{t('broadcasts.audience')}</dt>
              <dd>
                {audienceText(
                  c,
                  row.audience,
                  new Map(areas.map((a) => [a.code, a.name])),
                  new Map((await deps.catalog.listOffices()).map((o) => [o.id, o.name])),
                )}
                {size ? ` · ${t('broadcasts.audienceSize', { count: size.total })}` : ''}
              </dd>
            </div>
            <div>
              <dt>{t('broadcasts.createdBy')}</dt>
              <dd>
                {row.createdByName}, {row.createdAt ? formatLocalDateTime(row.createdAt) : ''}
              </dd>
            </div>
          </dl>
          <ChannelPreviews
            t={t}
            text={row.text}
            link={row.link}
            channels={channelsOf({ channels: row.audience.channels ?? [] })}
            render={deps.renderBroadcast}
          />
          {region}
          {row.status === 'draft' ? (
            <>
              <h2>{t('broadcasts.test.title')}</h2>
              {chats.length ? (
                <form method="post" action={`${CONSOLE}/broadcasts/${id}/test`}>
                  <Csrf c={c} />
                  <p>
                    {t('broadcasts.test.to', {
                      chats: chats.map((ch) => `${t(`broadcasts.channels.${ch.channel}`)}${ch.displayName ? ` (${ch.displayName})` : ''}`).join(', '),
                    })}
                  </p>
                  <button type="submit" class="secondary">
                    {t('broadcasts.test.send')}
                  </button>
                </form>
              ) : (
                <p>
                  {t('broadcasts.test.noChat')} <a href={`${CONSOLE}/broadcasts/chats`}>{t('broadcasts.chats.link')}</a>
                </p>
              )}
              <h2>{t('broadcasts.sendTitle')}</h2>
              <form method="post" action={`${CONSOLE}/broadcasts/${id}/send`}>
                <Csrf c={c} />
                <input type="hidden" name="when" value="now" />
                <p>{row.urgent ? t('broadcasts.sendNowUrgent') : t('broadcasts.sendNowHint')}</p>
                <button type="submit">{t('broadcasts.sendNow')}</button>
              </form>
              <form method="post" action={`${CONSOLE}/broadcasts/${id}/send`} novalidate class="inline-fields">
                <Csrf c={c} />
                <input type="hidden" name="when" value="later" />
                <Field id="date" label={t('broadcasts.date')} type="date" width="short" error={errors.find((e) => e.field === 'date')?.message} />
                <Field id="time" label={t('broadcasts.time')} type="time" width="short" />
                <button type="submit" class="secondary">
                  {t('broadcasts.schedule')}
                </button>
              </form>
            </>
          ) : null}
          {row.status === 'draft' ? (
            <form method="post" action={`${CONSOLE}/broadcasts/${id}/cancel`}>
              <Csrf c={c} />
              <button type="submit" class="warning">
                {t('broadcasts.discard')}
              </button>
            </form>
          ) : null}
          <p>
            <a href={`${CONSOLE}/broadcasts`}>{t('broadcasts.backToList')}</a>
          </p>
        </>
      ),
    });
  }

  const idOf = (c: ConsoleContext) => {
    const id = Number(c.req.param('id'));
    return Number.isSafeInteger(id) && id > 0 ? id : 0;
  };

  routes.get('/broadcasts', official, async (c) => {
    const t = c.get('t');
    const rows = await listBroadcasts(deps.db, 50, officeScope(signedIn(c).actor));
    return renderPage(c, {
      title: t('broadcasts.title'),
      wide: true,
      body: (
        <>
          <p>
            <a class="button" href={`${CONSOLE}/broadcasts/new`}>
              {t('broadcasts.new')}
            </a>
            <a class="button secondary" href={`${CONSOLE}/broadcasts/chats`}>
              {t('broadcasts.chats.title')}
            </a>
          </p>
          {rows.length ? (
            <table class="responsive">
              <caption class="visually-hidden">{t('broadcasts.history')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('broadcasts.text')}</th>
                  <th scope="col">{t('broadcasts.status')}</th>
                  <th scope="col">{t('broadcasts.recipients')}</th>
                  <th scope="col">{t('broadcasts.createdBy')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr>
                    <td data-label={t('broadcasts.text')}>
                      <a href={`${CONSOLE}/broadcasts/${row.id}`}>{row.text.length > 80 ? `${row.text.slice(0, 80)}…` : row.text}</a>
                    </td>
                    <td data-label={t('broadcasts.status')}>
                      <Badge tone={STATUS_TONE[row.status]}>{t(`broadcasts.statuses.${row.status}`)}</Badge>
                    </td>
                    <td data-label={t('broadcasts.recipients')}>{row.status === 'draft' ? '—' : row.recipients}</td>
                    <td data-label={t('broadcasts.createdBy')}>
                      {row.createdByName}, {row.createdAt ? formatLocalDateTime(row.createdAt) : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p class="muted">{t('broadcasts.none')}</p>
          )}
        </>
      ),
    });
  });

  routes.get('/broadcasts/new', official, (c) => composePage(c, EMPTY_DRAFT));

  routes.post('/broadcasts/new', official, async (c) => {
    const t = c.get('t');
    const form = await c.req.parseBody({ all: true });
    const draft = readDraft(form);
    const { input, errors } = checkDraft(t, draft, await listAreas(deps.db), await officeChoice(c));
    if (!input) return composePage(c, draft, { errors });
    if (form.intent !== 'save') return composePage(c, draft, { preview: true });
    const row = await createBroadcast(deps.db, input, signedIn(c).actor, deps.clock.now());
    return c.redirect(`${CONSOLE}/broadcasts/${row.id}?done=saved`, 303);
  });

  routes.get('/broadcasts/chats', official, async (c) => {
    const t = c.get('t');
    const { actor } = signedIn(c);
    const chats = await linkedChats(deps.db, actor.id);
    const done = DONE.find((d) => d === c.req.query('done'));
    return renderPage(c, {
      title: t('broadcasts.chats.title'),
      notice: done ? <Notice kind="success">{t(`broadcasts.done.${done}`)}</Notice> : undefined,
      body: (
        <>
          <p>{t('broadcasts.chats.intro')}</p>
          {chats.length ? (
            <ul>
              {chats.map((ch) => (
                <li>
                  {t(`broadcasts.channels.${ch.channel}`)}
                  {ch.displayName ? ` (${ch.displayName})` : ''}, {formatLocalDateTime(ch.linkedAt)}{' '}
                  <form method="post" action={`${CONSOLE}/broadcasts/chats/${ch.identityId}/unlink`} class="inline">
                    <Csrf c={c} />
                    <button type="submit" class="link-button">
                      {t('broadcasts.chats.unlink')}
                    </button>
                  </form>
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t('broadcasts.chats.none')}</p>
          )}
          <form method="post" action={`${CONSOLE}/broadcasts/chats/code`}>
            <Csrf c={c} />
            <button type="submit" class="secondary">
              {t('broadcasts.chats.getCode')}
            </button>
          </form>
        </>
      ),
    });
  });

  routes.post('/broadcasts/chats/code', official, async (c) => {
    const t = c.get('t');
    const { code, expiresAt } = await issueLinkCode(deps.db, signedIn(c).actor, deps.clock.now());
    return renderPage(c, {
      title: t('broadcasts.chats.title'),
      body: (
        <>
          <p>{t('broadcasts.chats.typeThis', { minutes: LINK_CODE_MINUTES })}</p>
          <p class="secret">
            <code>/lienket {code}</code>
          </p>
          <p class="muted">{t('broadcasts.chats.expires', { at: formatLocalDateTime(expiresAt) })}</p>
          <p>
            <a href={`${CONSOLE}/broadcasts/chats`}>{t('broadcasts.chats.done')}</a>
          </p>
        </>
      ),
    });
  });

  routes.post('/broadcasts/chats/:identity{[0-9]{1,12}}/unlink', official, async (c) => {
    const removed = await unlinkChat(deps.db, signedIn(c).actor, Number(c.req.param('identity')), deps.clock.now());
    if (!removed.ok) return renderProblem(c, 404, 'common.problem.notFoundTitle', 'common.problem.notFound');
    return c.redirect(`${CONSOLE}/broadcasts/chats?done=unlinked`, 303);
  });

  routes.get('/broadcasts/:id{[0-9]{1,12}}', official, (c) => broadcastPage(c, idOf(c)));
  routes.get('/broadcasts/:id{[0-9]{1,12}}/progress', official, (c) => broadcastPage(c, idOf(c), { fragment: true }));

  routes.post('/broadcasts/:id{[0-9]{1,12}}/test', official, async (c) => {
    const t = c.get('t');
    const { actor } = signedIn(c);
    const id = idOf(c);
    const chats = await linkedChats(deps.db, actor.id);
    if (!chats.length) return broadcastPage(c, id, { status: 409, warning: t('broadcasts.test.noChat') });
    for (const chat of chats) {
      const sent = await testSendBroadcast(deps.db, id, { identityId: chat.identityId }, deps.renderBroadcast, actor, deps.clock.now());
      if (!sent.ok && sent.reason === 'not_found') return renderProblem(c, 404, 'common.problem.notFoundTitle', 'common.problem.notFound');
    }
    return c.redirect(`${CONSOLE}/broadcasts/${id}?done=tested`, 303);
  });

  routes.post('/broadcasts/:id{[0-9]{1,12}}/send', official, async (c) => {
    const t = c.get('t');
    const id = idOf(c);
    const form = await c.req.parseBody();
    const now = deps.clock.now();
    let at: Date | undefined;
    if (form.when === 'later') {
      const chosen = localInstant(String(form.date ?? ''), String(form.time ?? ''));
      if (!chosen) return broadcastPage(c, id, { errors: [{ field: 'date', message: t('broadcasts.errors.when') }] });
      if (chosen.getTime() <= now.getTime()) return broadcastPage(c, id, { errors: [{ field: 'date', message: t('broadcasts.errors.past') }] });
      at = chosen;
    }
    const scheduled = await scheduleBroadcast(deps.db, id, at, signedIn(c).actor, now);
    if (!scheduled.ok) {
      if (scheduled.reason === 'not_found') return renderProblem(c, 404, 'common.problem.notFoundTitle', 'common.problem.notFound');
      return broadcastPage(c, id, { status: 409, warning: t('broadcasts.errors.notDraft') });
    }
    return c.redirect(`${CONSOLE}/broadcasts/${id}?done=scheduled`, 303);
  });

  routes.post('/broadcasts/:id{[0-9]{1,12}}/cancel', official, async (c) => {
    const t = c.get('t');
    const id = idOf(c);
    const cancelled = await cancelBroadcast(deps.db, id, signedIn(c).actor, deps.clock.now());
    if (!cancelled.ok) {
      if (cancelled.reason === 'not_found') return renderProblem(c, 404, 'common.problem.notFoundTitle', 'common.problem.notFound');
      return broadcastPage(c, id, { status: 409, warning: t('broadcasts.errors.notCancellable') });
    }
    return c.redirect(`${CONSOLE}/broadcasts/${id}?done=cancelled`, 303);
  });

  return routes;
}
