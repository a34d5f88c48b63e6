import type { FC } from 'hono/jsx';
import type { Area } from '../../domain/messaging/notification-settings';
import { BROADCAST_TEXT_LIMITS, type BroadcastChannel, type BroadcastInput, type BroadcastRenderer } from '../../domain/outreach/broadcasts';
import { LOCALES, type Translate } from '../../vocabulary/locales';
import { TOPICS } from '../../vocabulary/notices';
import type { FieldError } from '../components';
import type { ConsoleContext } from '../context';
import { Csrf } from '../layout';
import { CONSOLE } from '../paths';

export const BROADCAST_CHANNELS = Object.keys(BROADCAST_TEXT_LIMITS) as BroadcastChannel[];

/** What the compose form holds, as typed (kept when the form comes back with problems). */
export interface Draft {
  text: string;
  linkLabel: string;
  linkUrl: string;
  areas: string[];
  offices: string[];
  topics: string[];
  channels: string[];
  locales: string[];
  urgent: boolean;
}

export const EMPTY_DRAFT: Draft = { text: '', linkLabel: '', linkUrl: '', areas: [], offices: [], topics: [], channels: [], locales: [], urgent: false };

const strings = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
const one = (value: unknown): string => (typeof value === 'string' ? value : (strings(value)[0] ?? ''));

export function readDraft(form: Record<string, unknown>): Draft {
  return {
    text: one(form.text).replace(/\r\n/g, '\n').trim(),
    linkLabel: one(form.linkLabel).trim(),
    linkUrl: one(form.linkUrl).trim(),
    areas: strings(form.areas),
    offices: strings(form.offices),
    topics: strings(form.topics),
    channels: strings(form.channels),
    locales: strings(form.locales),
    urgent: one(form.urgent) === 'on',
  };
}

/** The channels an announcement goes to: the chosen ones, or all when none is chosen. */
export const channelsOf = (draft: Pick<Draft, 'channels'>): BroadcastChannel[] =>
  draft.channels.length ? BROADCAST_CHANNELS.filter((c) => draft.channels.includes(c)) : BROADCAST_CHANNELS;

/** The offices an account may address: every office for the province, its own for an account of one office (`scope`). */
export interface OfficeChoice {
  offices: { id: number; name: string }[];
  scope: number | null;
}

/**
 * Checks a draft in the official's words, field by field, and turns it into the domain's input.
 * The domain's schema checks it again; these messages are what a person reads. An account of one
 * office always addresses its own office.
 */
export function checkDraft(t: Translate, draft: Draft, areas: Area[], choice: OfficeChoice): { input: BroadcastInput | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!draft.text) errors.push({ field: 'text', message: t('broadcasts.errors.text') });
  for (const channel of channelsOf(draft)) {
    const limit = BROADCAST_TEXT_LIMITS[channel];
    if (draft.text.length > limit)
      errors.push({
        field: 'text',
        message: t('broadcasts.errors.tooLong', { channel: t(`broadcasts.channels.${channel}`), length: draft.text.length, limit }),
      });
  }
  if (draft.linkLabel || draft.linkUrl) {
    if (!draft.linkLabel || draft.linkLabel.length > 40) errors.push({ field: 'linkLabel', message: t('broadcasts.errors.linkLabel') });
    if (!/^https:\/\/[^\s/$.?#][^\s]*$/i.test(draft.linkUrl) || !URL.canParse(draft.linkUrl))
      errors.push({ field: 'linkUrl', message: t('broadcasts.errors.linkUrl') });
  }
  if (draft.areas.some((a) => !areas.some((known) => known.code === a))) errors.push({ field: 'areas', message: t('broadcasts.errors.areas') });
  if (choice.scope !== null && draft.offices.some((o) => o !== String(choice.scope)))
    errors.push({ field: 'offices', message: t('broadcasts.errors.otherOffice') });
  else if (draft.offices.some((o) => !choice.offices.some((known) => String(known.id) === o)))
    errors.push({ field: 'offices', message: t('broadcasts.errors.offices') });
  if (draft.topics.some((x) => !(TOPICS as readonly string[]).includes(x))) errors.push({ field: 'topics', message: t('broadcasts.errors.choice') });
  if (draft.channels.some((x) => !(BROADCAST_CHANNELS as string[]).includes(x))) errors.push({ field: 'channels', message: t('broadcasts.errors.choice') });
  if (draft.locales.some((x) => !(LOCALES as readonly string[]).includes(x))) errors.push({ field: 'locales', message: t('broadcasts.errors.choice') });
  if (errors.length) return { input: null, errors };
  const list = (values: string[]) => (values.length ? values : undefined);
  return {
    input: {
      text: draft.text,
      ...(draft.linkUrl ? { link: { label: draft.linkLabel, url: draft.linkUrl } } : {}),
      audience: {
        areas: list(draft.areas),
        offices: choice.scope !== null ? [choice.scope] : list(draft.offices)?.map(Number),
        topics: list(draft.topics) as BroadcastInput['audience']['topics'],
        channels: list(draft.channels) as BroadcastChannel[] | undefined,
        locales: list(draft.locales) as BroadcastInput['audience']['locales'],
      },
      urgent: draft.urgent,
    },
    errors,
  };
}

const Choices: FC<{
  name: keyof Draft;
  legend: string;
  hint: string;
  options: { value: string; label: string }[];
  checked: string[];
  error?: string | undefined;
  scroll?: boolean;
}> = (p) => (
  <fieldset class={p.error ? 'field field-error' : 'field'} id={p.name} aria-describedby={`${p.name}-hint`}>
    <legend>{p.legend}</legend>
    <p class="hint" id={`${p.name}-hint`}>
      {p.hint}
    </p>
    {p.error ? <p class="error-message">{p.error}</p> : null}
    <div class={p.scroll ? 'choices scroll' : 'choices'}>
      {p.options.map((o) => (
        <div class="choice">
          <input type="checkbox" id={`${p.name}-${o.value}`} name={p.name} value={o.value} checked={p.checked.includes(o.value)} />
          <label for={`${p.name}-${o.value}`}>{o.label}</label>
        </div>
      ))}
    </div>
  </fieldset>
);

/** The compose form: text with a length counter per channel, an optional button link, the audience, urgency. */
export const ComposeForm: FC<{ c: ConsoleContext; draft: Draft; areas: Area[]; choice: OfficeChoice; errors: FieldError[] }> = ({
  c,
  draft,
  areas,
  choice,
  errors,
}) => {
  const t = c.get('t');
  const errorOf = (field: string) =>
    errors
      .filter((e) => e.field === field)
      .map((e) => e.message)
      .join(' ') || undefined;
  return (
    <form method="post" action={`${CONSOLE}/broadcasts/new`} novalidate>
      <Csrf c={c} />
      <div class={errorOf('text') ? 'field field-error' : 'field'}>
        <label for="text">{t('broadcasts.text')}</label>
        <p class="hint" id="text-hint">
          {t('broadcasts.textHint')}
        </p>
        {errorOf('text') ? (
          <p class="error-message" id="text-error">
            {errorOf('text')}
          </p>
        ) : null}
        <textarea id="text" name="text" rows={8} class="input" aria-describedby={errorOf('text') ? 'text-hint text-error counters' : 'text-hint counters'}>
          {draft.text}
        </textarea>
        <p class="counters" id="counters" aria-live="polite">
          {BROADCAST_CHANNELS.map((channel) => (
            <span
              class={draft.text.length > BROADCAST_TEXT_LIMITS[channel] ? 'counter over' : 'counter'}
              data-counter-for="text"
              data-limit={String(BROADCAST_TEXT_LIMITS[channel])}
            >
              {t(`broadcasts.channels.${channel}`)}: <span data-count>{draft.text.length}</span>/{BROADCAST_TEXT_LIMITS[channel]}
            </span>
          ))}
        </p>
      </div>
      <fieldset class="field">
        <legend>{t('broadcasts.link')}</legend>
        <p class="hint">{t('broadcasts.linkHint')}</p>
        <div class={errorOf('linkLabel') ? 'field field-error' : 'field'}>
          <label for="linkLabel">{t('broadcasts.linkLabel')}</label>
          {errorOf('linkLabel') ? <p class="error-message">{errorOf('linkLabel')}</p> : null}
          <input id="linkLabel" name="linkLabel" class="input input-medium" maxlength={60} value={draft.linkLabel} />
        </div>
        <div class={errorOf('linkUrl') ? 'field field-error' : 'field'}>
          <label for="linkUrl">{t('broadcasts.linkUrl')}</label>
          {errorOf('linkUrl') ? <p class="error-message">{errorOf('linkUrl')}</p> : null}
          <input id="linkUrl" name="linkUrl" type="url" class="input" placeholder="https://" value={draft.linkUrl} />
        </div>
      </fieldset>
      <h2>{t('broadcasts.audience')}</h2>
      <p>{t('broadcasts.audienceHint')}</p>
      {choice.scope === null ? (
        <Choices
          name="offices"
          legend={t('broadcasts.offices')}
          hint={t('broadcasts.officesHint')}
          options={choice.offices.map((o) => ({ value: String(o.id), label: o.name }))}
          checked={draft.offices}
          error={errorOf('offices')}
          scroll
        />
      ) : (
        <p class="hint" id="own-office">
          {t('broadcasts.ownOffice', { office: choice.offices.find((o) => o.id === choice.scope)?.name ?? `#${choice.scope}` })}
        </p>
      )}
      <Choices
        name="areas"
        legend={t('broadcasts.areas')}
        hint={t('broadcasts.anyHint')}
        options={areas.map((a) => ({ value: a.code, label: a.name }))}
        checked={draft.areas}
        error={errorOf('areas')}
        scroll
      />
      <Choices
        name="topics"
        legend={t('broadcasts.topics')}
        hint={t('broadcasts.anyHint')}
        options={TOPICS.map((x) => ({ value: x, label: t(`broadcasts.topicNames.${x}`) }))}
        checked={draft.topics}
        error={errorOf('topics')}
      />
      <Choices
        name="channels"
        legend={t('broadcasts.channelsLegend')}
        hint={t('broadcasts.anyHint')}
        options={BROADCAST_CHANNELS.map((x) => ({ value: x, label: t(`broadcasts.channels.${x}`) }))}
        checked={draft.channels}
        error={errorOf('channels')}
      />
      <Choices
        name="locales"
        legend={t('broadcasts.locales')}
        hint={t('broadcasts.anyHint')}
        options={LOCALES.map((x) => ({ value: x, label: t(`common.switchTo.${x}`) }))}
        checked={draft.locales}
        error={errorOf('locales')}
      />
      <div class="field">
        <div class="choice">
          <input type="checkbox" id="urgent" name="urgent" checked={draft.urgent} aria-describedby="urgent-hint" />
          <label for="urgent">{t('broadcasts.urgent')}</label>
        </div>
        <p class="hint" id="urgent-hint">
          {t('broadcasts.urgentHint')}
        </p>
      </div>
      <button type="submit" name="intent" value="preview" class="secondary">
        {t('broadcasts.preview')}
      </button>
      <button type="submit" name="intent" value="save">
        {t('broadcasts.save')}
      </button>
    </form>
  );
};

/** How the announcement will look in each chosen channel, rendered by the chat's own renderer. */
export const ChannelPreviews: FC<{
  t: Translate;
  text: string;
  link: { label: string; url: string } | null;
  channels: BroadcastChannel[];
  render: BroadcastRenderer;
}> = (p) => (
  <div class="previews">
    {p.channels.map((channel) => {
      const [reply] = p.render({ text: p.text, link: p.link }, 'vi');
      const over = p.text.length > BROADCAST_TEXT_LIMITS[channel];
      return (
        <section class="card preview" aria-label={p.t('broadcasts.previewOf', { channel: p.t(`broadcasts.channels.${channel}`) })}>
          <h3>{p.t(`broadcasts.channels.${channel}`)}</h3>
          <p class={over ? 'error-message' : 'muted'}>{p.t('broadcasts.lengthOf', { length: p.text.length, limit: BROADCAST_TEXT_LIMITS[channel] })}</p>
          <div class="bubble">{reply?.text}</div>
          <ul class="bubble-buttons">
            {(reply?.buttons ?? []).flat().map((b) => (
              <li>{b.label}</li>
            ))}
          </ul>
        </section>
      );
    })}
  </div>
);
