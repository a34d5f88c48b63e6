import { Hono } from 'hono';
import type { CertificationDelivery } from '../../db/schema';
import { copyFee, formatVnd } from '../../domain/certification/fees';
import { COPIES_PER_PAPER, MIN_POSTAL_ADDRESS_LENGTH } from '../../domain/certification/rules';
import { createTelephoneRequest, sendTelephoneCode, type TelephoneFailure } from '../../domain/certification/telephone';
import { type TelephoneCaller, telephoneCaller } from '../../domain/certification/telephone-caller';
import { normalizeVnPhone } from '../../lib/phone';
import { formatLocalClock } from '../../lib/vn-time';
import { ErrorSummary, Field, type FieldError, phoneForStaff } from '../components';
import { type ConsoleContext, type ConsoleDeps, type ConsoleEnv, signedIn } from '../context';
import { Csrf } from '../layout';
import { CONSOLE } from '../paths';
import { renderPage, renderProblem } from '../render';
import type { Guards } from '../session';
import { requestPath } from './certification-view';

const TELEPHONE = `${CONSOLE}/telephone`;
const STEP2 = `${TELEPHONE}/request`;

type Form = Record<string, string | File | (string | File)[]>;
/** The first text value of a field ('' when missing). */
const text = (form: Form, name: string): string => {
  const value = form[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
};
const texts = (form: Form, name: string): string[] => {
  const value = form[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
};

/** What was typed in step 2, to show it again with the problems. */
interface Step2Values {
  code: string;
  chosen: Set<number>;
  copies: Record<number, string>;
  delivery: string;
  address: string;
}

/** Step 2's form as typed, checked with the API's limits; or the fields to correct. */
function readStep2(
  c: ConsoleContext,
  form: Form,
  caller: TelephoneCaller,
): { values: Step2Values; errors: FieldError[]; input?: { code: string; items: { documentId: number; copies: number }[]; delivery: CertificationDelivery } } {
  const t = c.get('t');
  const chosen = new Set(texts(form, 'doc').map(Number));
  const values: Step2Values = {
    code: text(form, 'code').replace(/\s/g, ''),
    chosen,
    copies: Object.fromEntries(caller.documents.map((d) => [d.id, text(form, `copies-${d.id}`)])),
    delivery: text(form, 'delivery'),
    address: text(form, 'address').replace(/\s+/g, ' '),
  };
  const errors: FieldError[] = [];
  if (!/^\d{6}$/.test(values.code)) errors.push({ field: 'code', message: t('telephone.errors.code') });
  const docs = caller.documents.filter((d) => chosen.has(d.id));
  if (docs.length === 0) errors.push({ field: `doc-${caller.documents[0]?.id ?? 0}`, message: t('telephone.errors.papers') });
  const items = docs.map((d) => ({ documentId: d.id, copies: Number(values.copies[d.id] || '1') }));
  for (const [i, item] of items.entries()) {
    if (!Number.isInteger(item.copies) || item.copies < COPIES_PER_PAPER.min || item.copies > COPIES_PER_PAPER.max)
      errors.push({ field: `copies-${item.documentId}`, message: t('telephone.errors.copies', { title: docs[i]?.title, ...COPIES_PER_PAPER }) });
  }
  let delivery: CertificationDelivery | null = null;
  if (values.delivery === 'pickup') delivery = { method: 'pickup' };
  else if (values.delivery === 'post') {
    if (values.address.length < MIN_POSTAL_ADDRESS_LENGTH || values.address.length > 300)
      errors.push({ field: 'address', message: t('telephone.errors.address', { min: MIN_POSTAL_ADDRESS_LENGTH }) });
    else delivery = { method: 'post', address: values.address };
  } else errors.push({ field: 'delivery-pickup', message: t('telephone.errors.delivery') });
  return errors.length || !delivery ? { values, errors } : { values, errors, input: { code: values.code, items, delivery } };
}

/** Where each refusal of createTelephoneRequest is shown, and how it is said. */
function telephoneError(c: ConsoleContext, failure: TelephoneFailure, values: Step2Values): { status: 400 | 409; error: FieldError } {
  const t = c.get('t');
  const papers = `doc-${[...values.chosen][0] ?? 0}`;
  switch (failure.reason) {
    case 'wrong_code':
      return { status: 400, error: { field: 'code', message: t('telephone.errors.wrongCode', { count: failure.triesLeft }) } };
    case 'too_many_tries':
      return { status: 400, error: { field: 'code', message: t('telephone.errors.tooManyTries') } };
    case 'expired':
      return { status: 400, error: { field: 'code', message: t('telephone.errors.expired') } };
    case 'documents_changed':
      return { status: 409, error: { field: papers, message: t('telephone.errors.documentsChanged') } };
    case 'mixed_offices':
      return { status: 409, error: { field: papers, message: t('telephone.errors.mixedOffices') } };
    case 'wrong_office':
      return { status: 409, error: { field: papers, message: t('telephone.errors.wrongOffice') } };
  }
}

/** A certification request taken on the telephone: the API's two steps as two forms. */
export function telephonePages(deps: ConsoleDeps, guards: Guards) {
  const routes = new Hono<ConsoleEnv>();
  const counter = guards.role('staff', 'admin');
  const services = { db: deps.db, otp: deps.certification.otp, feeTable: deps.certification.feeTable, translator: deps.certification.citizenTexts };

  function step1(c: ConsoleContext, options: { phone?: string; errors?: FieldError[]; status?: 200 | 400 | 429; register?: boolean } = {}) {
    const t = c.get('t');
    const errors = options.errors ?? [];
    return renderPage(c, {
      title: t('telephone.title'),
      status: options.status ?? 200,
      body: (
        <>
          <ErrorSummary title={t('common.errorSummary')} errors={errors} />
          <p>{t('telephone.intro')}</p>
          {options.register ? (
            <p>
              <a href={`${CONSOLE}/citizens`}>{t('telephone.register')}</a>
            </p>
          ) : null}
          <h2>{t('telephone.step1')}</h2>
          <form method="post" action={TELEPHONE} novalidate>
            <Csrf c={c} />
            <Field
              id="phone"
              label={t('telephone.phone')}
              hint={t('telephone.phoneHint')}
              type="tel"
              inputmode="tel"
              autocomplete="off"
              width="medium"
              value={options.phone}
              error={errors.find((e) => e.field === 'phone')?.message}
              required
            />
            <button type="submit">{t('telephone.send')}</button>
          </form>
        </>
      ),
    });
  }

  function step2(c: ConsoleContext, caller: TelephoneCaller, options: { values?: Step2Values; errors?: FieldError[]; status?: 200 | 400 | 409 } = {}) {
    const t = c.get('t');
    const errors = options.errors ?? [];
    const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
    const v = options.values;
    const papersError = errors.find((e) => e.field.startsWith('doc-'))?.message;
    const deliveryError = errorOf('delivery-pickup');
    return renderPage(c, {
      title: t('telephone.title'),
      status: options.status ?? 200,
      body: (
        <>
          <ErrorSummary title={t('common.errorSummary')} errors={errors} />
          <h2>{t('telephone.step2')}</h2>
          <p>
            {t('telephone.sent', {
              phone: phoneForStaff(caller.citizen.phone),
              name: caller.citizen.fullName ?? '—',
              time: formatLocalClock(caller.expiresAt),
            })}
          </p>
          {caller.documents.length === 0 ? (
            <p class="lead">{t('telephone.noPapers')}</p>
          ) : (
            <form method="post" action={STEP2} novalidate>
              <Csrf c={c} />
              <input type="hidden" name="challengeId" value={caller.challengeId} />
              <Field
                id="code"
                label={t('telephone.code')}
                inputmode="numeric"
                autocomplete="one-time-code"
                width="short"
                value={v?.code}
                error={errorOf('code')}
                required
              />
              <fieldset class={papersError ? 'field-error' : undefined} aria-describedby="papers-hint">
                <legend>{t('telephone.papers')}</legend>
                <p class="hint" id="papers-hint">
                  {t('telephone.papersHint', COPIES_PER_PAPER)}
                </p>
                {papersError ? <p class="error-message">{papersError}</p> : null}
                {caller.documents.map((d) => {
                  const copiesError = errorOf(`copies-${d.id}`);
                  return (
                    <div class="paper">
                      <div class="choice">
                        <input
                          type="checkbox"
                          id={`doc-${d.id}`}
                          name="doc"
                          value={String(d.id)}
                          checked={v ? v.chosen.has(d.id) : caller.documents.length === 1}
                        />
                        <label for={`doc-${d.id}`}>
                          {t('telephone.paper', { title: d.title, pages: d.pages, fee: formatVnd(copyFee(d.pages, deps.certification.feeTable)) })}
                        </label>
                      </div>
                      <div class="copies">
                        <label for={`copies-${d.id}`}>{t('telephone.copies', { title: d.title })}</label>
                        <input
                          type="number"
                          id={`copies-${d.id}`}
                          name={`copies-${d.id}`}
                          class={copiesError ? 'input input-error' : 'input'}
                          min={String(COPIES_PER_PAPER.min)}
                          max={String(COPIES_PER_PAPER.max)}
                          value={v?.copies[d.id] || '1'}
                          aria-invalid={copiesError ? 'true' : undefined}
                        />
                      </div>
                      {copiesError ? <p class="error-message">{copiesError}</p> : null}
                    </div>
                  );
                })}
              </fieldset>
              <fieldset class={deliveryError ? 'field-error' : undefined}>
                <legend>{t('telephone.delivery')}</legend>
                {deliveryError ? <p class="error-message">{deliveryError}</p> : null}
                {(['pickup', 'post'] as const).map((method) => (
                  <div class="choice">
                    <input type="radio" id={`delivery-${method}`} name="delivery" value={method} checked={(v?.delivery || 'pickup') === method} />
                    <label for={`delivery-${method}`}>{t(`telephone.${method}`)}</label>
                  </div>
                ))}
              </fieldset>
              <Field id="address" label={t('telephone.address')} hint={t('telephone.addressHint')} value={v?.address} error={errorOf('address')} multiline />
              <button type="submit">{t('telephone.create')}</button>
            </form>
          )}
          <p>
            <a href={TELEPHONE}>{t('telephone.again')}</a>
          </p>
        </>
      ),
    });
  }

  const unknown = (c: ConsoleContext) =>
    renderProblem(
      c,
      404,
      'telephone.errors.unknownTitle',
      'telephone.errors.unknown',
      <p>
        <a href={TELEPHONE}>{c.get('t')('telephone.again')}</a>
      </p>,
    );

  routes.get('/telephone', counter, (c) => step1(c));

  routes.post('/telephone', counter, async (c) => {
    const t = c.get('t');
    const form = (await c.req.parseBody({ all: true })) as Form;
    const typed = text(form, 'phone');
    const phone = normalizeVnPhone(typed);
    if (!phone.ok) return step1(c, { phone: typed, status: 400, errors: [{ field: 'phone', message: t('telephone.errors.phone') }] });
    const now = deps.clock.now();
    const sent = await sendTelephoneCode(services, signedIn(c).actor, phone.value, now);
    if (sent.ok) return c.redirect(`${STEP2}?challenge=${encodeURIComponent(sent.value.challengeId)}`, 303);
    if (sent.reason === 'not_registered')
      return step1(c, { phone: typed, status: 400, register: true, errors: [{ field: 'phone', message: t('telephone.errors.notRegistered') }] });
    const waitMs = 'retryAfterMs' in sent ? sent.retryAfterMs : 60_000;
    c.header('Retry-After', String(Math.ceil(waitMs / 1000)));
    const message = t('telephone.errors.rateLimited', { time: formatLocalClock(new Date(now.getTime() + waitMs)), minutes: Math.ceil(waitMs / 60_000) });
    return step1(c, { phone: typed, status: 429, errors: [{ field: 'phone', message }] });
  });

  routes.get('/telephone/request', counter, async (c) => {
    const caller = await telephoneCaller(deps.db, signedIn(c).actor, c.req.query('challenge') ?? '');
    return caller ? step2(c, caller) : unknown(c);
  });

  routes.post('/telephone/request', counter, async (c) => {
    const { actor } = signedIn(c);
    const form = (await c.req.parseBody({ all: true })) as Form;
    const challengeId = text(form, 'challengeId');
    const caller = await telephoneCaller(deps.db, actor, challengeId);
    if (!caller) return unknown(c);
    const read = readStep2(c, form, caller);
    if (!read.input) return step2(c, caller, { values: read.values, errors: read.errors, status: 400 });
    const created = await createTelephoneRequest(services, actor, { challengeId, ...read.input }, deps.clock.now());
    if (!created.ok) {
      const problem = telephoneError(c, created, read.values);
      return step2(c, caller, { values: read.values, errors: [problem.error], status: problem.status });
    }
    return c.redirect(`${requestPath(created.value.id)}?done=telephone&ref=${created.value.id}`, 303);
  });

  return routes;
}
