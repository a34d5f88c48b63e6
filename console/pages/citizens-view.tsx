import type { FC } from 'hono/jsx';
import { type CitizenRow, DOCUMENT_KINDS, documentsOf, type StoredDocument } from '../../domain/certification/documents';
import { officeChoices } from '../../domain/certification/office-choices';
import { type CertificationRequest, requestRef, requestsOfCitizen } from '../../domain/certification/requests';
import { type ActorName, actorNames } from '../../domain/people/actor-names';
import { formatLocalDateTime } from '../../lib/vn-time';
import type { Actor } from '../../vocabulary/actors';
import type { Translate } from '../../vocabulary/locales';
import { ErrorSummary, Field, type FieldError, FileField, Notice, SelectField } from '../components';
import type { ConsoleBase, ConsoleContext } from '../context';
import { Csrf } from '../layout';
import { CONSOLE } from '../paths';
import { renderPage } from '../render';
import { fileSize, NO_UPLOAD, type UploadValues } from './citizens-upload';

export const citizenPath = (id: number) => `${CONSOLE}/citizens/${id}`;
export const documentPath = (doc: { citizenId: number; id: number }) => `${citizenPath(doc.citizenId)}/documents/${doc.id}`;

/** A path id as a number, or null when it is none we could have made. */
export function pathId(value: string | undefined): number | null {
  const id = Number(value);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** +84912345678 -> 0912 345 678, the way the number is said and written at the counter. */
export function localPhone(e164: string): string {
  const local = e164.startsWith('+84') ? `0${e164.slice(3)}` : e164;
  return local.length === 10 ? `${local.slice(0, 4)} ${local.slice(4, 7)} ${local.slice(7)}` : local;
}

/** A stored paper is the actor's to see when it is kept by their office (or they have none). */
export const visibleTo = (actor: Actor) => (d: { officeId: number }) => actor.officeId === null || d.officeId === actor.officeId;

/** Everything the citizen's page shows, scoped to the actor's office. */
export interface CitizenView {
  citizen: CitizenRow;
  documents: StoredDocument[];
  uploaders: Map<string, ActorName>;
  requests: CertificationRequest[];
  /** The offices a province-wide account may file a scan under; null for a clerk of one office. */
  offices: { id: number; name: string }[] | null;
}

export async function loadCitizenView(db: ConsoleBase['db'], actor: Actor, citizen: CitizenRow): Promise<CitizenView> {
  const [documents, requests, offices] = await Promise.all([
    documentsOf(db, citizen.id).then((all) => all.filter(visibleTo(actor))),
    requestsOfCitizen(db, citizen.id).then((all) => all.filter(visibleTo(actor))),
    actor.officeId === null ? officeChoices(db) : null,
  ]);
  const uploaders = await actorNames(
    db,
    documents.map((d) => d.createdBy),
  );
  return { citizen, documents, uploaders, requests, offices };
}

const DONE = ['registered', 'known', 'uploaded', 'retired'] as const;

/** The `?done=` of a redirect after a successful post, as the notice it stands for. */
export function doneNotice(c: ConsoleContext) {
  const done = DONE.find((d) => d === c.req.query('done'));
  return done ? <Notice kind="success">{c.get('t')(`citizens.done.${done}`)}</Notice> : undefined;
}

export function renderCitizen(
  c: ConsoleContext,
  view: CitizenView,
  options: { maxBytes: number; errors?: FieldError[]; values?: UploadValues; status?: 200 | 400 } = { maxBytes: 0 },
) {
  const t = c.get('t');
  const { citizen } = view;
  const errors = options.errors ?? [];
  return renderPage(c, {
    title: citizen.fullName ?? t('citizens.noName'),
    status: options.status ?? 200,
    notice: doneNotice(c),
    wide: true,
    body: (
      <>
        <ErrorSummary title={t('common.errorSummary')} errors={errors} />
        <dl class="summary">
          <div>
            <dt>{t('citizens.summary.name')}</dt>
            <dd>{citizen.fullName ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('citizens.summary.phone')}</dt>
            <dd>{localPhone(citizen.phone)}</dd>
          </div>
        </dl>
        <Documents c={c} view={view} />
        <UploadForm c={c} view={view} maxBytes={options.maxBytes} errors={errors} values={options.values ?? NO_UPLOAD} />
        <Requests c={c} requests={view.requests} />
      </>
    ),
  });
}

const Documents: FC<{ c: ConsoleContext; view: CitizenView }> = ({ c, view }) => {
  const t = c.get('t');
  const locale = c.get('locale');
  return (
    <section aria-labelledby="documents">
      <h2 id="documents">{t('citizens.documents.heading')}</h2>
      {view.documents.length === 0 ? (
        <p class="muted">{t('citizens.documents.empty')}</p>
      ) : (
        <table class="responsive">
          <thead>
            <tr>
              <th scope="col">{t('citizens.documents.paper')}</th>
              <th scope="col">{t('citizens.documents.pages')}</th>
              <th scope="col">{t('citizens.documents.uploaded')}</th>
              <th scope="col">{t('citizens.documents.size')}</th>
              <th scope="col">{t('citizens.documents.preview')}</th>
              <th scope="col">{t('citizens.documents.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {view.documents.map((d) => {
              const file = `${documentPath(d)}/file`;
              return (
                <tr>
                  <td data-label={t('citizens.documents.paper')}>
                    <strong>{d.title}</strong>
                    <br />
                    <span class="muted">{kindLabel(t, d.kind)}</span>
                  </td>
                  <td data-label={t('citizens.documents.pages')}>{d.pages}</td>
                  <td data-label={t('citizens.documents.uploaded')}>
                    {t('citizens.documents.uploadedBy', { when: formatLocalDateTime(d.createdAt), who: view.uploaders.get(d.createdBy)?.name ?? d.createdBy })}
                  </td>
                  <td data-label={t('citizens.documents.size')}>{fileSize(d.sizeBytes, locale)}</td>
                  <td data-label={t('citizens.documents.preview')}>
                    {d.contentType.startsWith('image/') ? (
                      <a href={file} class="scan-link">
                        <img src={file} alt={t('citizens.documents.imageAlt', { label: d.title })} class="scan-thumb" loading="lazy" />
                      </a>
                    ) : (
                      <a href={file} target="_blank" rel="noopener">
                        {t('citizens.documents.openPdf')} <span class="visually-hidden">{d.title}</span> {t('citizens.documents.newTab')}
                      </a>
                    )}
                  </td>
                  <td data-label={t('citizens.documents.actions')}>
                    <a href={`${documentPath(d)}/retire`} class="button secondary">
                      {t('citizens.documents.retire')} <span class="visually-hidden">{d.title}</span>
                    </a>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
};

/** The kind's name in the clerk's language (a kind no longer listed reads as `other`). */
export const kindLabel = (t: Translate, kind: string) => t(`citizens.kinds.${DOCUMENT_KINDS.find((k) => k === kind) ?? 'other'}`);

const UploadForm: FC<{ c: ConsoleContext; view: CitizenView; maxBytes: number; errors: FieldError[]; values: UploadValues }> = ({
  c,
  view,
  maxBytes,
  errors,
  values,
}) => {
  const t = c.get('t');
  const errorOf = (field: string) => errors.find((e) => e.field === field)?.message;
  const fileError = errorOf('file');
  return (
    <section aria-labelledby="upload">
      <h2 id="upload">{t('citizens.upload.heading')}</h2>
      <form method="post" action={`${citizenPath(view.citizen.id)}/documents`} enctype="multipart/form-data" novalidate data-upload>
        <Csrf c={c} />
        <SelectField
          id="kind"
          label={t('citizens.upload.kind')}
          placeholder={t('citizens.upload.chooseKind')}
          value={values.kind}
          error={errorOf('kind')}
          options={DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`citizens.kinds.${k}`) }))}
        />
        <Field
          id="title"
          label={t('citizens.upload.label')}
          hint={t('citizens.upload.labelHint')}
          value={values.title}
          error={errorOf('title')}
          width="medium"
        />
        <Field
          id="pages"
          label={t('citizens.upload.pages')}
          hint={t('citizens.upload.pagesHint')}
          value={values.pages}
          error={errorOf('pages')}
          inputmode="numeric"
          width="short"
        />
        {view.offices ? (
          <SelectField
            id="officeId"
            label={t('citizens.upload.office')}
            placeholder={t('citizens.upload.chooseOffice')}
            value={values.officeId}
            error={errorOf('officeId')}
            options={view.offices.map((o) => ({ value: String(o.id), label: o.name }))}
          />
        ) : null}
        <FileField
          id="file"
          label={t('citizens.upload.file')}
          hint={t('citizens.upload.fileHint', { max: fileSize(maxBytes, c.get('locale')) })}
          error={fileError}
          accept="image/*,application/pdf"
        />
        <button type="submit">{t('citizens.upload.submit')}</button>
      </form>
    </section>
  );
};

const Requests: FC<{ c: ConsoleContext; requests: CertificationRequest[] }> = ({ c, requests }) => {
  const t = c.get('t');
  return (
    <section aria-labelledby="requests">
      <h2 id="requests">{t('citizens.requests.heading')}</h2>
      {requests.length === 0 ? (
        <p class="muted">{t('citizens.requests.empty')}</p>
      ) : (
        <table class="responsive">
          <thead>
            <tr>
              <th scope="col">{t('citizens.requests.ref')}</th>
              <th scope="col">{t('citizens.requests.date')}</th>
              <th scope="col">{t('citizens.requests.status')}</th>
              <th scope="col">{t('citizens.requests.papers')}</th>
            </tr>
          </thead>
          <tbody>
            {requests.map((r) => (
              <tr>
                <td data-label={t('citizens.requests.ref')}>
                  <a href={`${CONSOLE}/certification/${r.id}`}>{requestRef(r.id)}</a>
                </td>
                <td data-label={t('citizens.requests.date')}>{formatLocalDateTime(r.createdAt)}</td>
                <td data-label={t('citizens.requests.status')}>{t(`citizens.statuses.${r.status}`)}</td>
                <td data-label={t('citizens.requests.papers')}>
                  {r.items.map((i) => t('citizens.requests.copies', { title: i.title, copies: i.copies })).join('; ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
};
