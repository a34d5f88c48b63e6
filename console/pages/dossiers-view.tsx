import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { DossierEventRow, DossierRow } from '../../domain/dossiers/announce';
import { receiptCodeSchema, statusEventSchema } from '../../domain/dossiers/input';
import { TRANSITIONS } from '../../domain/dossiers/status';
import type { EventFailure } from '../../domain/dossiers/store';
import { type ActorName, actorNames } from '../../domain/people/actor-names';
import { formatLocalDateTime } from '../../lib/vn-time';
import type { DossierStatus, StatusDetails } from '../../vocabulary/dossiers';
import type { Translate } from '../../vocabulary/locales';
import { ErrorSummary, Field, type FieldError, Notice } from '../components';
import { type ConsoleContext, type ConsoleDeps, type ConsoleEnv, signedIn } from '../context';
import { Csrf } from '../layout';
import { CONSOLE } from '../paths';
import { renderPage, renderProblem } from '../render';
import type { Guards } from '../session';
import { DueDate, dossierPath, StatusBadge } from './dossiers-parts';

/** What the clerk typed into the status form, kept when the page comes back with a problem. */
interface StatusForm {
  status: string;
  note: string;
  missing: string;
  collectAt: string;
  postal: boolean;
  reason: string;
}
const EMPTY_FORM: StatusForm = { status: '', note: '', missing: '', collectAt: '', postal: false, reason: '' };

/** The statuses whose move carries details, and the form's fields for them (the API's `details`). */
const DETAIL_FIELDS: Partial<Record<DossierStatus, (keyof StatusForm)[]>> = {
  needs_supplement: ['missing'],
  ready: ['collectAt', 'postal'],
  rejected: ['reason'],
};

const field = (form: Record<string, unknown>, name: string): string => (typeof form[name] === 'string' ? (form[name] as string) : '');

/** The details the chosen status carries, from the form; other statuses' fields are ignored. */
function detailsOf(form: StatusForm): StatusDetails {
  switch (form.status) {
    case 'needs_supplement': {
      const missing = form.missing
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean);
      return missing.length ? { missing } : {};
    }
    case 'ready':
      return { ...(form.collectAt.trim() ? { collectAt: form.collectAt } : {}), ...(form.postal ? { postal: true } : {}) };
    case 'rejected':
      return form.reason.trim() ? { reason: form.reason } : {};
    default:
      return {};
  }
}

/** Which form field a schema problem belongs to (the form's names, not the API's paths). */
function fieldOfIssue(path: readonly PropertyKey[]): keyof StatusForm {
  if (path[0] === 'details' && typeof path[1] === 'string' && path[1] in EMPTY_FORM) return path[1] as keyof StatusForm;
  return path[0] === 'note' ? 'note' : 'status';
}

const Timeline = ({ t, events, names }: { t: Translate; events: DossierEventRow[]; names: Map<string, ActorName> }) => (
  <table class="responsive">
    <caption class="visually-hidden">{t('dossiers.view.timelineCaption')}</caption>
    <thead>
      <tr>
        <th scope="col">{t('dossiers.view.at')}</th>
        <th scope="col">{t('dossiers.column.status')}</th>
        <th scope="col">{t('dossiers.view.who')}</th>
        <th scope="col">{t('dossiers.view.note')}</th>
      </tr>
    </thead>
    <tbody>
      {events.map((e) => {
        const who = names.get(e.actor);
        return (
          <tr>
            <td data-label={t('dossiers.view.at')}>{formatLocalDateTime(e.at)}</td>
            <td data-label={t('dossiers.column.status')}>
              <StatusBadge t={t} status={e.status} />
            </td>
            <td data-label={t('dossiers.view.who')}>
              {who ? t(`dossiers.view.${who.kind}`, { name: who.name }) : t('dossiers.view.unknownActor', { ref: e.actor })}
            </td>
            <td data-label={t('dossiers.view.note')}>
              {e.note ? <p class="event-note">{e.note}</p> : null}
              {e.note || e.forcedReason || Object.keys(e.details).length ? null : '—'}
              {e.details.missing?.length ? (
                <>
                  <span class="label">{t('dossiers.view.missing')}</span>
                  <ul class="event-list">
                    {e.details.missing.map((m) => (
                      <li>{m}</li>
                    ))}
                  </ul>
                </>
              ) : null}
              {e.details.collectAt ? <p class="event-note">{`${t('dossiers.view.collectAt')}: ${e.details.collectAt}`}</p> : null}
              {e.details.postal ? <p class="event-note">{t('dossiers.view.postal')}</p> : null}
              {e.details.reason ? <p class="event-note">{`${t('dossiers.view.reason')}: ${e.details.reason}`}</p> : null}
              {e.forcedReason ? <p class="event-note muted">{t('dossiers.view.forced', { reason: e.forcedReason })}</p> : null}
            </td>
          </tr>
        );
      })}
    </tbody>
  </table>
);

function StatusChange({ c, dossier, form, errors }: { c: ConsoleContext; dossier: DossierRow; form: StatusForm; errors: FieldError[] }) {
  const t = c.get('t');
  const allowed = TRANSITIONS[dossier.status];
  const errorOf = (name: string) => errors.find((e) => e.field === name)?.message;
  if (allowed.length === 0) return <p>{t('dossiers.view.closed')}</p>;
  // Each status's details sit under its radio; the stylesheet shows only the chosen one's where the browser can.
  const conditional = (status: DossierStatus) => {
    const names = DETAIL_FIELDS[status];
    if (!names) return null;
    return (
      <div class={`conditional if-${status}`}>
        {names.map((name) =>
          name === 'postal' ? (
            <div class="choice">
              <input type="checkbox" id="postal" name="postal" value="1" checked={form.postal} />
              <label for="postal">{t('dossiers.change.postal')}</label>
            </div>
          ) : (
            <Field
              id={name}
              label={t(`dossiers.change.${name}`)}
              hint={t(`dossiers.change.${name}Hint`)}
              value={form[name] as string}
              error={errorOf(name)}
              multiline={name !== 'collectAt'}
            />
          ),
        )}
      </div>
    );
  };
  return (
    <form method="post" action={`${dossierPath(dossier.receiptCode)}/status`} class="status-form" novalidate>
      <Csrf c={c} />
      <div class={errorOf('status') ? 'field field-error' : 'field'}>
        <fieldset id="status" aria-describedby={errorOf('status') ? 'status-error' : undefined}>
          <legend>{t('dossiers.change.to')}</legend>
          {errorOf('status') ? (
            <p class="error-message" id="status-error">
              {errorOf('status')}
            </p>
          ) : null}
          {allowed.map((status) => (
            <>
              <div class="choice">
                <input type="radio" id={`to-${status}`} name="status" value={status} checked={form.status === status} />
                <label for={`to-${status}`}>{t(`dossiers.status.${status}`)}</label>
              </div>
              {conditional(status)}
            </>
          ))}
        </fieldset>
      </div>
      <Field id="note" label={t('dossiers.change.note')} hint={t('dossiers.change.noteHint')} value={form.note} error={errorOf('note')} multiline />
      <button type="submit">{t('dossiers.change.submit')}</button>
    </form>
  );
}

/** The dossier's page: its facts, its timeline and (for counter staff) the status change. */
async function dossierPage(
  c: ConsoleContext,
  deps: ConsoleDeps,
  code: string,
  options: { form?: StatusForm; errors?: FieldError[]; status?: ContentfulStatusCode } = {},
) {
  const t = c.get('t');
  const { actor } = signedIn(c);
  const found = await deps.dossiers.get(code, actor);
  // Another office's dossier is as unknown as one that does not exist.
  if (!found.ok) return renderProblem(c, 404, 'dossiers.view.notFoundTitle', 'dossiers.view.notFound', <DossiersLink t={t} />);
  const { dossier, events } = found.value;
  const names = await actorNames(
    deps.db,
    events.map((e) => e.actor),
  );
  const now = deps.clock.now();
  const errors = options.errors ?? [];
  const facts: [string, unknown][] = [
    [t('dossiers.column.procedure'), dossier.procedureName ? `${dossier.procedureName} (${dossier.procedureCode})` : dossier.procedureCode],
    [t('dossiers.view.field'), dossier.field ?? '—'],
    [t('dossiers.column.applicant'), dossier.applicantName],
    [t('dossiers.column.phone'), dossier.applicantPhone],
    [t('dossiers.view.channel'), t(`dossiers.channel.${dossier.channel}`)],
    [t('dossiers.column.received'), formatLocalDateTime(dossier.receivedAt)],
    [t('dossiers.column.due'), <DueDate t={t} dossier={dossier} now={now} />],
    [t('dossiers.column.status'), <StatusBadge t={t} status={dossier.status} />],
    [t('dossiers.view.resolved'), dossier.resolvedAt ? formatLocalDateTime(dossier.resolvedAt) : '—'],
    [t('dossiers.view.office'), String(dossier.officeId)],
  ];
  return renderPage(c, {
    title: t('dossiers.view.title', { code: dossier.receiptCode }),
    status: options.status,
    notice: c.req.query('done') === 'status' && errors.length === 0 ? <DoneNotice t={t} notified={Number(c.req.query('notified')) || 0} /> : undefined,
    body: (
      <>
        <ErrorSummary title={t('common.errorSummary')} errors={errors} />
        <p>
          <DossiersLink t={t} />
        </p>
        <h2>{t('dossiers.view.facts')}</h2>
        <dl class="summary">
          {facts.map(([label, value]) => (
            <div>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        <h2>{t('dossiers.view.timeline')}</h2>
        <Timeline t={t} events={events} names={names} />
        <h2>{t('dossiers.change.title')}</h2>
        {actor.role === 'official' ? (
          <p>{t('dossiers.view.readOnly')}</p>
        ) : (
          <StatusChange c={c} dossier={dossier} form={options.form ?? EMPTY_FORM} errors={errors} />
        )}
      </>
    ),
  });
}

/** The status changed; whether the citizen's chats were told, so the clerk knows to call when not. */
const DoneNotice = ({ t, notified }: { t: Translate; notified: number }) => (
  <Notice kind="success">
    <p>{t('dossiers.view.done')}</p>
    <p>{notified > 0 ? t('dossiers.view.notified', { count: notified }) : t('dossiers.view.notNotified')}</p>
  </Notice>
);

const DossiersLink = ({ t }: { t: Translate }) => <a href={`${CONSOLE}/dossiers`}>{t('dossiers.view.back')}</a>;

/** How a refused status change is told to the clerk: which field, what words, which HTTP status. */
function refusal(t: Translate, reason: EventFailure, from: DossierStatus, form: StatusForm): { error: FieldError; status: ContentfulStatusCode } {
  switch (reason) {
    case 'missing_details':
      return form.status === 'rejected'
        ? { error: { field: 'reason', message: t('dossiers.change.errors.reason') }, status: 400 }
        : { error: { field: 'missing', message: t('dossiers.change.errors.missing') }, status: 400 };
    case 'same_status':
      return { error: { field: 'status', message: t('dossiers.change.errors.sameStatus') }, status: 409 };
    case 'before_received':
      return { error: { field: 'status', message: t('dossiers.change.errors.beforeReceived') }, status: 400 };
    default:
      return {
        error: {
          field: 'status',
          message: t('dossiers.change.errors.invalidTransition', { from: t(`dossiers.status.${from}`), to: t(`dossiers.status.${form.status}`) }),
        },
        status: 409,
      };
  }
}

export function dossierViewPages(deps: ConsoleDeps, guards: Guards) {
  const routes = new Hono<ConsoleEnv>();
  const notFound = (c: ConsoleContext) => renderProblem(c, 404, 'dossiers.view.notFoundTitle', 'dossiers.view.notFound', <DossiersLink t={c.get('t')} />);

  routes.get('/dossiers/:code', guards.role('staff', 'official', 'admin'), async (c) => {
    const code = receiptCodeSchema.safeParse(c.req.param('code'));
    if (!code.success) return notFound(c);
    return dossierPage(c, deps, code.data);
  });

  routes.post('/dossiers/:code/status', guards.role('staff', 'admin'), async (c) => {
    const t = c.get('t');
    const code = receiptCodeSchema.safeParse(c.req.param('code'));
    if (!code.success) return notFound(c);
    const body = await c.req.parseBody();
    const form: StatusForm = {
      status: field(body, 'status'),
      note: field(body, 'note'),
      missing: field(body, 'missing'),
      collectAt: field(body, 'collectAt'),
      postal: field(body, 'postal') === '1',
      reason: field(body, 'reason'),
    };
    const again = (errors: FieldError[], status: ContentfulStatusCode) => dossierPage(c, deps, code.data, { form, errors, status });
    if (!form.status) return again([{ field: 'status', message: t('dossiers.change.errors.status') }], 400);
    const input = statusEventSchema.safeParse({ status: form.status, note: form.note.trim() || undefined, details: detailsOf(form) });
    if (!input.success) {
      const errors = input.error.issues.map((issue) => {
        const name = fieldOfIssue(issue.path);
        return { field: name, message: t(name === 'status' ? 'dossiers.change.errors.status' : 'dossiers.change.errors.tooLong') };
      });
      return again(errors, 400);
    }
    const { actor } = signedIn(c);
    const result = await deps.dossiers.addEvent(code.data, input.data, actor, deps.clock.now());
    if (!result.ok) {
      if (result.reason === 'not_found' || result.reason === 'forbidden_office') return notFound(c);
      const current = await deps.dossiers.get(code.data, actor);
      const { error, status } = refusal(t, result.reason, current.ok ? current.value.dossier.status : 'received', form);
      return again([error], status);
    }
    return c.redirect(`${dossierPath(code.data)}?done=status&notified=${result.value.notified}`, 303);
  });
  return routes;
}
