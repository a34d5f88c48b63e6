import type { FC } from 'hono/jsx';
import { formatVnd } from '../../domain/certification/fees';
import { type findRequest, requestRef } from '../../domain/certification/requests';
import { formatLocalDateTime } from '../../lib/vn-time';
import { Badge, Field, type FieldError, phoneForStaff } from '../components';
import type { ConsoleContext } from '../context';
import { Csrf } from '../layout';
import { CONSOLE } from '../paths';
import { type ActionKind, fieldId } from './certification-actions';

/** A request as staff see it: the stored row with the citizen's phone and name. */
export type StaffRequest = NonNullable<Awaited<ReturnType<typeof findRequest>>>;

export const requestPath = (id: number) => `${CONSOLE}/certification/${id}`;

const STATUS_TONE = { submitted: 'amber', confirmed: 'blue', ready: 'green', delivered: 'neutral', rejected: 'red', cancelled: 'neutral' } as const;

/** What the clerk typed, shown again when the page comes back with a problem. */
export interface ActionState {
  errors: FieldError[];
  values: Record<string, string>;
}

const NO_STATE: ActionState = { errors: [], values: {} };

/** One request: badges, the facts, and the actions its status allows. */
export const RequestCard: FC<{
  c: ConsoleContext;
  request: StaffRequest;
  /** The office's collection place, to prefill "ready" (null when the office has none on file). */
  place: string | null;
  /** Where an action comes back to. */
  back: string;
  /** On the queue each card links to its page; the page itself is titled by the ref. */
  linked: boolean;
  /** On the request's own page: who took it by telephone (their name), and the last change. */
  takenBy?: string | null;
  state?: ActionState;
}> = ({ c, request: r, place, back, linked, takenBy, state = NO_STATE }) => {
  const t = c.get('t');
  const ref = requestRef(r.id);
  const fee = r.fee ?? r.quotedFee;
  return (
    <article class="card request" aria-labelledby={linked ? `ref-${r.id}` : undefined}>
      {linked ? (
        <h2 id={`ref-${r.id}`} class="request-ref">
          <a href={requestPath(r.id)}>{ref}</a>
        </h2>
      ) : null}
      <p class="badges">
        <Badge tone={STATUS_TONE[r.status]}>{t(`certification.status.${r.status}`)}</Badge>
        <Badge tone="green">{t(`certification.method.${r.verificationMethod}`)}</Badge>
        <Badge tone="blue">{t(`certification.delivery.${r.delivery.method}`)}</Badge>
      </p>
      <dl class="summary">
        <div>
          <dt>{t('certification.facts.received')}</dt>
          <dd>{formatLocalDateTime(r.createdAt)}</dd>
        </div>
        <div>
          <dt>{t('certification.facts.citizen')}</dt>
          <dd>
            {r.citizen.fullName ?? t('certification.noName')} · {phoneForStaff(r.citizen.phone)}
          </dd>
        </div>
        <div>
          <dt>{t('certification.facts.papers')}</dt>
          <dd>
            <ul class="plain">
              {r.items.map((item) => (
                <li>{t('certification.paperLine', { title: item.title, copies: item.copies, pages: item.pages, fee: formatVnd(item.fee) })}</li>
              ))}
            </ul>
          </dd>
        </div>
        <div>
          <dt>{t('certification.facts.fee')}</dt>
          <dd>
            {formatVnd(fee)}
            {fee !== r.quotedFee ? (
              <span class="muted">
                {' '}
                ({t('certification.facts.quotedFee')}: {formatVnd(r.quotedFee)})
              </span>
            ) : null}
          </dd>
        </div>
        {r.feeReason ? <Fact label={t('certification.facts.feeReason')} value={r.feeReason} /> : null}
        <Fact label={t('certification.facts.delivery')} value={t(`certification.delivery.${r.delivery.method}`)} />
        {r.delivery.method === 'post' ? <Fact label={t('certification.facts.address')} value={r.delivery.address} /> : null}
        {r.pickupPlace ? <Fact label={t('certification.facts.pickupPlace')} value={r.pickupPlace} /> : null}
        {r.trackingNumber ? <Fact label={t('certification.facts.tracking')} value={r.trackingNumber} /> : null}
        {r.rejectReason ? <Fact label={t('certification.facts.rejectReason')} value={r.rejectReason} /> : null}
        {takenBy ? <Fact label={t('certification.facts.takenBy')} value={takenBy} /> : null}
        {!linked ? <Fact label={t('certification.facts.updated')} value={formatLocalDateTime(r.updatedAt)} /> : null}
      </dl>
      <Actions c={c} request={r} place={place} back={back} state={state} />
    </article>
  );
};

const Fact: FC<{ label: string; value: string }> = ({ label, value }) => (
  <div>
    <dt>{label}</dt>
    <dd>{value}</dd>
  </div>
);

/** The one-click forms for the request's status; nothing for a finished request. */
const Actions: FC<{ c: ConsoleContext; request: StaffRequest; place: string | null; back: string; state: ActionState }> = ({
  c,
  request: r,
  place,
  back,
  state,
}) => {
  const t = c.get('t');
  const ref = requestRef(r.id);
  const id = (name: string) => fieldId(name, r.id);
  const errorOf = (name: string) => state.errors.find((e) => e.field === id(name))?.message;
  const typed = (name: string) => state.values[name];
  const Form: FC<{ kind: ActionKind; children: unknown }> = ({ kind, children }) => (
    <form method="post" action={`${requestPath(r.id)}/${kind}`} class="action-form" novalidate>
      <Csrf c={c} />
      <input type="hidden" name="back" value={back} />
      {children}
    </form>
  );
  const Hidden: FC<{ text: string }> = ({ text }) => <span class="visually-hidden"> {text}</span>;
  const reject = (
    <details class="action" open={Boolean(errorOf('reason'))}>
      <summary>{t('certification.actions.rejectOpen')}</summary>
      <Form kind="reject">
        <Field
          id={id('reason')}
          name="reason"
          label={t('certification.actions.reason')}
          hint={t('certification.actions.reasonHint')}
          error={errorOf('reason')}
          value={typed('reason')}
          multiline
        />
        <button type="submit" class="warning">
          {t('certification.actions.reject')}
          <Hidden text={ref} />
        </button>
      </Form>
    </details>
  );
  switch (r.status) {
    case 'submitted': {
      const feeOpen = Boolean(errorOf('fee') || errorOf('feeReason'));
      return (
        <section class="actions-block" aria-label={t('certification.actions.label', { ref })}>
          <Form kind="confirm">
            <button type="submit">
              {t('certification.actions.confirm')}
              <Hidden text={ref} />
            </button>
            <details class="action" open={feeOpen}>
              <summary>{t('certification.actions.changeFee')}</summary>
              <Field
                id={id('fee')}
                name="fee"
                label={t('certification.actions.fee')}
                hint={t('certification.actions.feeHint', { fee: formatVnd(r.quotedFee) })}
                inputmode="numeric"
                width="short"
                error={errorOf('fee')}
                value={typed('fee')}
              />
              <Field
                id={id('feeReason')}
                name="feeReason"
                label={t('certification.actions.feeReason')}
                error={errorOf('feeReason')}
                value={typed('feeReason')}
              />
              <button type="submit" class="secondary">
                {t('certification.actions.changeFee')}
                <Hidden text={ref} />
              </button>
            </details>
          </Form>
          {reject}
        </section>
      );
    }
    case 'confirmed':
      return (
        <section class="actions-block" aria-label={t('certification.actions.label', { ref })}>
          <Form kind="ready">
            {r.delivery.method === 'pickup' ? (
              <Field
                id={id('pickupPlace')}
                name="pickupPlace"
                label={t('certification.actions.pickupPlace')}
                hint={t('certification.actions.pickupHint')}
                error={errorOf('pickupPlace')}
                value={typed('pickupPlace') ?? place ?? undefined}
                required
              />
            ) : null}
            <button type="submit">
              {t('certification.actions.ready')}
              <Hidden text={ref} />
            </button>
          </Form>
          {reject}
        </section>
      );
    case 'ready':
      return (
        <section class="actions-block" aria-label={t('certification.actions.label', { ref })}>
          {r.delivery.method === 'post' ? (
            <Form kind="deliver">
              <input type="hidden" name="via" value="post" />
              <Field
                id={id('trackingNumber')}
                name="trackingNumber"
                label={t('certification.actions.tracking')}
                width="medium"
                error={errorOf('trackingNumber')}
                value={typed('trackingNumber')}
                required
              />
              <button type="submit">
                {t('certification.actions.deliverPost')}
                <Hidden text={ref} />
              </button>
            </Form>
          ) : (
            <Form kind="deliver">
              <input type="hidden" name="via" value="counter" />
              <button type="submit">
                {t('certification.actions.deliverCounter')}
                <Hidden text={ref} />
              </button>
            </Form>
          )}
        </section>
      );
    default:
      return null;
  }
};
