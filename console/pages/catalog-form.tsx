import type { FC } from 'hono/jsx';
import type { Translate } from '../../vocabulary/locales';
import { CODE_STATUSES, DOCUMENTS_STATUSES, FEE_STATUSES, type Procedure, procedureSchema, SHORT_NAME_MAX, TIME_STATUSES } from '../../vocabulary/procedure';
import { Badge, Field, type FieldError, SelectField } from '../components';
import type { ConsoleContext } from '../context';
import { Csrf } from '../layout';
import { issueErrors } from './catalog-issues';

/** A procedure as the form holds it: every field as typed, lists as arrays, nothing left out. */
export interface ProcedureDraft {
  code: string;
  codeStatus: string;
  name: string;
  shortName: string;
  nameEn: string;
  keywords: string[];
  common: boolean;
  group: string;
  level: string;
  field: string;
  agency: string;
  applicants: string;
  fee: string;
  feeStatus: string;
  feeNotes: string[];
  processingTime: string;
  processingTimeStatus: string;
  stepsTime: { vi: string; en: string; quote: string; sameDay: boolean };
  channels: { channel: string; processingTime: string; fee: string; feeNote: string; description: string }[];
  documents: { name: string; quantity: string; group: string; note: boolean }[];
  documentsStatus: string;
  documentsRaw: string;
  legalBasis: string[];
  onlineUrl: string;
  source: { type: string; portalUrl: string; repo: string; commit: string; path: string; scrapedAt: string; license: string; references: string[] };
}

/** Blank rows offered under the existing ones, so a clerk adds a channel or a paper without script. */
const BLANK_CHANNELS = 1;
const BLANK_DOCUMENTS = 2;

const CHANNEL_FIELDS = ['channel', 'processingTime', 'fee', 'feeNote', 'description'] as const;
const DOCUMENT_FIELDS = ['name', 'quantity', 'group'] as const;
const SOURCE_FIELDS = ['type', 'portalUrl', 'repo', 'commit', 'path', 'scrapedAt', 'license'] as const;

/** The form of a stored procedure. */
export function draftOf(p: Procedure): ProcedureDraft {
  return {
    code: p.code,
    codeStatus: p.codeStatus,
    name: p.name,
    shortName: p.shortName ?? '',
    nameEn: p.nameEn ?? '',
    keywords: p.keywords,
    common: p.common,
    group: p.group,
    level: p.level,
    field: p.field,
    agency: p.agency,
    applicants: p.applicants,
    fee: p.fee,
    feeStatus: p.feeStatus,
    feeNotes: p.feeNotes,
    processingTime: p.processingTime,
    processingTimeStatus: p.processingTimeStatus,
    stepsTime: { vi: p.stepsTime?.vi ?? '', en: p.stepsTime?.en ?? '', quote: p.stepsTime?.quote ?? '', sameDay: p.stepsTime?.sameDay ?? false },
    channels: p.channels,
    documents: p.documents,
    documentsStatus: p.documentsStatus,
    documentsRaw: p.documentsRaw,
    legalBasis: p.legalBasis,
    onlineUrl: p.onlineUrl ?? '',
    source: {
      type: p.source.type,
      portalUrl: p.source.portalUrl ?? '',
      repo: p.source.repo ?? '',
      commit: p.source.commit ?? '',
      path: p.source.path ?? '',
      scrapedAt: p.source.scrapedAt ?? '',
      license: p.source.license ?? '',
      references: p.source.references ?? [],
    },
  };
}

/** A new procedure: every value will be the office's own, so every source says so. */
export function newDraft(t: Translate): ProcedureDraft {
  return draftOf({
    code: '',
    codeStatus: 'office',
    name: '',
    keywords: [],
    common: false,
    group: '',
    level: '',
    field: '',
    agency: '',
    applicants: '',
    fee: '',
    feeStatus: 'office',
    feeNotes: [],
    processingTime: '',
    processingTimeStatus: 'office',
    channels: [],
    documents: [],
    documentsStatus: 'office',
    documentsRaw: '',
    legalBasis: [],
    onlineUrl: null,
    source: { type: t('catalog.newSourceType') },
  });
}

type Form = Record<string, string | File | (string | File)[]>;

/** A text field as typed, with the browser's CR LF line ends made plain. */
const str = (form: Form, name: string): string => {
  const value = form[name];
  return typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : '';
};
/** A box of one item per line. */
const lines = (form: Form, name: string): string[] =>
  str(form, name)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
const checked = (form: Form, name: string): boolean => form[name] === 'on';

/** Rows of a repeated group, until the form has no more (blank rows are dropped). */
function rows<K extends string>(form: Form, group: string, fields: readonly K[]): Record<K, string>[] {
  const out: Record<K, string>[] = [];
  for (let i = 0; typeof form[`${group}-${i}-${fields[0]}`] === 'string'; i++) {
    out.push(Object.fromEntries(fields.map((f) => [f, str(form, `${group}-${i}-${f}`)])) as Record<K, string>);
  }
  return out;
}

/** Reads the procedure form as the clerk filled it in. */
export function readDraft(form: Form, code: string | null): ProcedureDraft {
  const documents = rows(form, 'documents', DOCUMENT_FIELDS).map((d, i) => ({ ...d, note: checked(form, `documents-${i}-note`) }));
  return {
    code: code ?? str(form, 'code').trim(),
    codeStatus: str(form, 'codeStatus'),
    name: str(form, 'name'),
    shortName: str(form, 'shortName'),
    nameEn: str(form, 'nameEn'),
    keywords: lines(form, 'keywords'),
    common: checked(form, 'common'),
    group: str(form, 'group'),
    level: str(form, 'level'),
    field: str(form, 'field'),
    agency: str(form, 'agency'),
    applicants: str(form, 'applicants'),
    fee: str(form, 'fee'),
    feeStatus: str(form, 'feeStatus'),
    feeNotes: lines(form, 'feeNotes'),
    processingTime: str(form, 'processingTime'),
    processingTimeStatus: str(form, 'processingTimeStatus'),
    stepsTime: {
      vi: str(form, 'stepsTime-vi'),
      en: str(form, 'stepsTime-en'),
      quote: str(form, 'stepsTime-quote'),
      sameDay: checked(form, 'stepsTime-sameDay'),
    },
    channels: rows(form, 'channels', CHANNEL_FIELDS).filter((c) => Object.values(c).some((v) => v.trim())),
    documents: documents.filter((d) => d.name.trim() || d.quantity.trim() || d.group.trim()),
    documentsStatus: str(form, 'documentsStatus'),
    documentsRaw: str(form, 'documentsRaw'),
    legalBasis: lines(form, 'legalBasis'),
    onlineUrl: str(form, 'onlineUrl').trim(),
    source: {
      ...(Object.fromEntries(SOURCE_FIELDS.map((f) => [f, str(form, `source-${f}`)])) as Record<(typeof SOURCE_FIELDS)[number], string>),
      references: lines(form, 'source-references'),
    },
  };
}

const blankToUndefined = (value: string) => (value.trim() ? value : undefined);

/** What the draft says in the catalog's shape: empty optional fields left out, as the schema wants. */
function candidateOf(d: ProcedureDraft): unknown {
  const steps = d.stepsTime;
  const source = Object.fromEntries(SOURCE_FIELDS.map((f) => [f, f === 'type' ? d.source.type : blankToUndefined(d.source[f])]));
  return {
    ...d,
    shortName: blankToUndefined(d.shortName),
    nameEn: blankToUndefined(d.nameEn),
    stepsTime: steps.vi.trim() || steps.en.trim() || steps.quote.trim() || steps.sameDay ? steps : undefined,
    onlineUrl: d.onlineUrl || null,
    source: { ...source, references: d.source.references.length ? d.source.references : undefined },
  };
}

/** What changed between two procedures, for the sources a clerk's edit makes the office's own. */
const feeOf = (p: Procedure) => JSON.stringify([p.fee, p.feeNotes, p.channels.map((c) => [c.channel, c.fee, c.feeNote])]);
const timeOf = (p: Procedure) => JSON.stringify([p.processingTime, p.stepsTime ?? null, p.channels.map((c) => [c.channel, c.processingTime])]);
const papersOf = (p: Procedure) => JSON.stringify([p.documents, p.documentsRaw]);

/**
 * Checks the draft with the catalog's schema. A fee, time or list of papers the clerk changed
 * while leaving its source as it was becomes the office's own (`office`): the source no longer
 * says it, and the chat must not claim it does.
 */
export function checkDraft(
  t: Translate,
  draft: ProcedureDraft,
  stored: Procedure | null,
): { ok: true; value: Procedure } | { ok: false; errors: FieldError[] } {
  const parsed = procedureSchema.safeParse(candidateOf(draft));
  if (!parsed.success) return { ok: false, errors: issueErrors(t, parsed.error.issues) };
  const value = parsed.data;
  if (stored) {
    if (value.feeStatus === stored.feeStatus && feeOf(value) !== feeOf(stored)) value.feeStatus = 'office';
    if (value.processingTimeStatus === stored.processingTimeStatus && timeOf(value) !== timeOf(stored)) value.processingTimeStatus = 'office';
    if (value.documentsStatus === stored.documentsStatus && papersOf(value) !== papersOf(stored)) value.documentsStatus = 'office';
  }
  return { ok: true, value };
}

/** Where the stored record came from, beside a part of the form: the field's source status and links. */
const SourceNote: FC<{ t: Translate; stored: Procedure | null; status?: string | undefined }> = ({ t, stored, status }) => {
  if (!stored) return <p class="source-note">{t('catalog.sourceNew')}</p>;
  const s = stored.source;
  const file = s.repo && s.commit && s.path ? `https://github.com/${s.repo}/blob/${s.commit}/${s.path}` : null;
  return (
    <p class="source-note">
      <span class="label-inline">{t('catalog.sourceLabel')}</span>{' '}
      {status ? (
        <Badge tone={status === 'sourced' || status === 'parsed' ? 'green' : status === 'office' ? 'blue' : 'amber'}>{t(`catalog.status.${status}`)}</Badge>
      ) : null}
      {s.portalUrl ? (
        <>
          {' '}
          <a href={s.portalUrl} rel="noopener noreferrer">
            {t('catalog.portalLink')}
          </a>
        </>
      ) : null}
      {file ? (
        <>
          {' · '}
          <a href={file} rel="noopener noreferrer">
            {t('catalog.fileLink')}
          </a>
        </>
      ) : null}
      {s.scrapedAt ? <> · {t('catalog.scrapedAt', { date: s.scrapedAt })}</> : null}
    </p>
  );
};

const errorOf = (errors: FieldError[], field: string) => errors.find((e) => e.field === field)?.message;

/** A select of a status list, labelled in words (a stored value outside the list stays choosable). */
const StatusSelect: FC<{ t: Translate; id: string; label: string; hint?: string; values: readonly string[]; value: string; error?: string | undefined }> = (
  p,
) => (
  <SelectField
    id={p.id}
    label={p.label}
    hint={p.hint}
    error={p.error}
    value={p.value}
    options={[
      ...(p.values.includes(p.value) ? [] : [{ value: p.value, label: p.value || '—' }]),
      ...p.values.map((v) => ({ value: v, label: p.t(`catalog.status.${v}`) })),
    ]}
  />
);

const Check: FC<{ id: string; label: string; checked: boolean; hint?: string }> = (p) => (
  <div class="choice">
    <input type="checkbox" id={p.id} name={p.id} checked={p.checked} aria-describedby={p.hint ? `${p.id}-hint` : undefined} />
    <label for={p.id}>
      {p.label}
      {p.hint ? (
        <span class="muted" id={`${p.id}-hint`}>
          {' '}
          · {p.hint}
        </span>
      ) : null}
    </label>
  </div>
);

const Errors: FC<{ message?: string | undefined; id: string }> = ({ message, id }) =>
  message ? (
    <p class="error-message" id={`${id}-error`}>
      {message}
    </p>
  ) : null;

/**
 * Every field of a procedure, grouped as the card shows them, each part with where its stored
 * value came from. Lists are one item per line; channels and papers are rows of their own.
 */
export const ProcedureForm: FC<{
  c: ConsoleContext;
  action: string;
  draft: ProcedureDraft;
  stored: Procedure | null;
  errors: FieldError[];
  groups: string[];
}> = ({ c, action, draft: d, stored, errors, groups }) => {
  const t = c.get('t');
  const e = (field: string) => errorOf(errors, field);
  const channels = [
    ...d.channels,
    ...Array.from({ length: BLANK_CHANNELS }, () => ({ channel: '', processingTime: '', fee: '', feeNote: '', description: '' })),
  ];
  const documents = [...d.documents, ...Array.from({ length: BLANK_DOCUMENTS }, () => ({ name: '', quantity: '', group: '', note: false }))];
  return (
    <form method="post" action={action} enctype="multipart/form-data" novalidate class="procedure-form">
      <Csrf c={c} />
      <h2>{t('catalog.sections.identity')}</h2>
      <SourceNote t={t} stored={stored} status={stored?.codeStatus} />
      {stored ? (
        <input type="hidden" name="code" value={d.code} />
      ) : (
        <Field id="code" label={t('catalog.fields.code')} hint={t('catalog.hints.code')} value={d.code} error={e('code')} width="short" autocomplete="off" />
      )}
      <StatusSelect t={t} id="codeStatus" label={t('catalog.fields.codeStatus')} values={CODE_STATUSES} value={d.codeStatus} error={e('codeStatus')} />
      <Field id="name" label={t('catalog.fields.name')} hint={t('catalog.hints.name')} value={d.name} error={e('name')} multiline rows={2} />
      <Field
        id="shortName"
        label={t('catalog.fields.shortName')}
        hint={t('catalog.hints.shortName', { max: SHORT_NAME_MAX })}
        value={d.shortName}
        error={e('shortName')}
        width="medium"
      />
      <Field id="nameEn" label={t('catalog.fields.nameEn')} hint={t('catalog.hints.nameEn')} value={d.nameEn} error={e('nameEn')} width="medium" />
      <Field
        id="keywords"
        label={t('catalog.fields.keywords')}
        hint={t('catalog.hints.keywords')}
        value={d.keywords.join('\n')}
        error={e('keywords')}
        multiline
        rows={4}
      />
      <Check id="common" label={t('catalog.fields.common')} hint={t('catalog.hints.common')} checked={d.common} />
      <Field
        id="group"
        label={t('catalog.fields.group')}
        hint={t('catalog.hints.group')}
        value={d.group}
        error={e('group')}
        width="medium"
        list="catalog-groups"
      />
      <datalist id="catalog-groups">
        {groups.map((g) => (
          <option value={g} />
        ))}
      </datalist>
      <Field id="field" label={t('catalog.fields.field')} value={d.field} error={e('field')} width="medium" />
      <Field id="level" label={t('catalog.fields.level')} value={d.level} error={e('level')} width="medium" />
      <Field id="agency" label={t('catalog.fields.agency')} value={d.agency} error={e('agency')} multiline rows={2} />
      <Field id="applicants" label={t('catalog.fields.applicants')} value={d.applicants} error={e('applicants')} multiline rows={2} />

      <h2>{t('catalog.sections.fee')}</h2>
      <SourceNote t={t} stored={stored} status={stored?.feeStatus} />
      <p class="hint">{t('catalog.hints.feeChannels')}</p>
      <Field id="fee" label={t('catalog.fields.fee')} hint={t('catalog.hints.fee')} value={d.fee} error={e('fee')} multiline rows={2} />
      <StatusSelect
        t={t}
        id="feeStatus"
        label={t('catalog.fields.feeStatus')}
        hint={t('catalog.hints.status')}
        values={FEE_STATUSES}
        value={d.feeStatus}
        error={e('feeStatus')}
      />
      <Field
        id="feeNotes"
        label={t('catalog.fields.feeNotes')}
        hint={t('catalog.hints.lines')}
        value={d.feeNotes.join('\n')}
        error={e('feeNotes')}
        multiline
        rows={3}
      />

      <h2>{t('catalog.sections.time')}</h2>
      <SourceNote t={t} stored={stored} status={stored?.processingTimeStatus} />
      <Field id="processingTime" label={t('catalog.fields.processingTime')} value={d.processingTime} error={e('processingTime')} width="medium" />
      <StatusSelect
        t={t}
        id="processingTimeStatus"
        label={t('catalog.fields.processingTimeStatus')}
        hint={t('catalog.hints.status')}
        values={TIME_STATUSES}
        value={d.processingTimeStatus}
        error={e('processingTimeStatus')}
      />
      <fieldset id="stepsTime" class="item">
        <legend>{t('catalog.fields.stepsTime')}</legend>
        <p class="hint">{t('catalog.hints.stepsTime')}</p>
        <Errors id="stepsTime" message={e('stepsTime')} />
        <Field id="stepsTime-vi" label={t('catalog.steps.vi')} value={d.stepsTime.vi} error={e('stepsTime-vi')} />
        <Field id="stepsTime-en" label={t('catalog.steps.en')} value={d.stepsTime.en} error={e('stepsTime-en')} />
        <Field id="stepsTime-quote" label={t('catalog.steps.quote')} value={d.stepsTime.quote} error={e('stepsTime-quote')} multiline rows={2} />
        <Check id="stepsTime-sameDay" label={t('catalog.steps.sameDay')} checked={d.stepsTime.sameDay} />
      </fieldset>

      <h2 id="channels">{t('catalog.fields.channels')}</h2>
      <SourceNote t={t} stored={stored} />
      <p class="hint">{t('catalog.hints.rows')}</p>
      <Errors id="channels" message={e('channels')} />
      {channels.map((ch, i) => (
        <fieldset class="item">
          <legend>{i < d.channels.length ? t('catalog.channel.item', { n: i + 1 }) : t('catalog.channel.new')}</legend>
          {CHANNEL_FIELDS.map((f) => (
            <Field
              id={`channels-${i}-${f}`}
              label={t(`catalog.channel.${f}`)}
              value={ch[f]}
              error={e(`channels-${i}-${f}`)}
              multiline={f === 'description' || f === 'feeNote'}
              rows={2}
              width={f === 'description' || f === 'feeNote' ? 'full' : 'medium'}
            />
          ))}
        </fieldset>
      ))}

      <h2 id="documents">{t('catalog.fields.documents')}</h2>
      <SourceNote t={t} stored={stored} status={stored?.documentsStatus} />
      <StatusSelect
        t={t}
        id="documentsStatus"
        label={t('catalog.fields.documentsStatus')}
        hint={t('catalog.hints.status')}
        values={DOCUMENTS_STATUSES}
        value={d.documentsStatus}
        error={e('documentsStatus')}
      />
      <p class="hint">{t('catalog.hints.rows')}</p>
      <Errors id="documents" message={e('documents')} />
      {documents.map((doc, i) => (
        <fieldset class="item">
          <legend>{i < d.documents.length ? t('catalog.document.item', { n: i + 1 }) : t('catalog.document.new')}</legend>
          <Field id={`documents-${i}-name`} label={t('catalog.document.name')} value={doc.name} error={e(`documents-${i}-name`)} multiline rows={2} />
          <Field
            id={`documents-${i}-quantity`}
            label={t('catalog.document.quantity')}
            value={doc.quantity}
            error={e(`documents-${i}-quantity`)}
            width="medium"
          />
          <Field id={`documents-${i}-group`} label={t('catalog.document.group')} value={doc.group} error={e(`documents-${i}-group`)} width="medium" />
          <Check id={`documents-${i}-note`} label={t('catalog.document.note')} checked={doc.note} />
        </fieldset>
      ))}
      <Field
        id="documentsRaw"
        label={t('catalog.fields.documentsRaw')}
        hint={t('catalog.hints.documentsRaw')}
        value={d.documentsRaw}
        error={e('documentsRaw')}
        multiline
        rows={3}
      />

      <h2>{t('catalog.sections.law')}</h2>
      <SourceNote t={t} stored={stored} />
      <Field
        id="legalBasis"
        label={t('catalog.fields.legalBasis')}
        hint={t('catalog.hints.lines')}
        value={d.legalBasis.join('\n')}
        error={e('legalBasis')}
        multiline
        rows={4}
      />
      <Field id="onlineUrl" label={t('catalog.fields.onlineUrl')} hint={t('catalog.hints.onlineUrl')} value={d.onlineUrl} error={e('onlineUrl')} type="url" />

      <fieldset id="source" class="item">
        <legend>{t('catalog.fields.source')}</legend>
        <p class="hint">{t('catalog.hints.source')}</p>
        <Errors id="source" message={e('source')} />
        {SOURCE_FIELDS.map((f) => (
          <Field
            id={`source-${f}`}
            label={t(`catalog.sourceField.${f}`)}
            value={d.source[f]}
            error={e(`source-${f}`)}
            width={f === 'type' ? 'full' : 'medium'}
          />
        ))}
        <Field
          id="source-references"
          label={t('catalog.sourceField.references')}
          hint={t('catalog.hints.lines')}
          value={d.source.references.join('\n')}
          error={e('source-references')}
          multiline
          rows={2}
        />
      </fieldset>
      <button type="submit">{stored ? t('catalog.save') : t('catalog.create')}</button>
    </form>
  );
};
