import type { Child, FC } from 'hono/jsx';

/** A banner above the title: what just happened (success) or what needs attention (warning). */
export const Notice: FC<{ kind: 'success' | 'warning' | 'info'; children: Child }> = ({ kind, children }) => (
  <div class={`notice notice-${kind}`} role={kind === 'warning' ? 'alert' : 'status'}>
    {children}
  </div>
);

export interface FieldError {
  /** The id of the input the error belongs to (the summary links to it). */
  field: string;
  message: string;
}

/** The list of a form's problems at the top of the page, each linking to its field (GOV.UK's error summary). */
export const ErrorSummary: FC<{ title: string; errors: FieldError[] }> = ({ title, errors }) =>
  errors.length ? (
    <div class="error-summary" role="alert" tabindex={-1} aria-labelledby="error-summary-title">
      <h2 id="error-summary-title">{title}</h2>
      <ul>
        {errors.map((e) => (
          <li>
            <a href={`#${e.field}`}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  ) : null;

/** The ids a control's hint and error get, for its aria-describedby. */
const describedBy = (p: { id: string; hint?: string | undefined; error?: string | undefined }) =>
  [p.hint ? `${p.id}-hint` : '', p.error ? `${p.id}-error` : ''].filter(Boolean).join(' ') || undefined;

/** A control's frame: its label, hint and error, tied to it by id (GOV.UK's form group). */
const FieldFrame: FC<{
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  extraClass?: string;
  dropzone?: boolean;
  children: Child;
}> = (p) => (
  <div class={`field${p.error ? ' field-error' : ''}${p.extraClass ? ` ${p.extraClass}` : ''}`} data-dropzone={p.dropzone ? '' : undefined}>
    <label for={p.id}>{p.label}</label>
    {p.hint ? (
      <p class="hint" id={`${p.id}-hint`}>
        {p.hint}
      </p>
    ) : null}
    {p.error ? (
      <p class="error-message" id={`${p.id}-error`}>
        {p.error}
      </p>
    ) : null}
    {p.children}
  </div>
);

/** A labelled input with its hint and error, tied together for screen readers. */
export const Field: FC<{
  id: string;
  name?: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  type?: string;
  value?: string | undefined;
  autocomplete?: string;
  inputmode?: 'numeric' | 'tel' | 'text' | 'search';
  required?: boolean;
  width?: 'short' | 'medium' | 'full';
  multiline?: boolean;
  /** Lines a multiline field shows (3 unless said). */
  rows?: number;
  /** The id of a <datalist> of suggestions. */
  list?: string;
}> = (p) => {
  const common = {
    id: p.id,
    name: p.name ?? p.id,
    class: `input input-${p.width ?? 'full'}${p.error ? ' input-error' : ''}`,
    'aria-describedby': describedBy(p),
    'aria-invalid': p.error ? 'true' : undefined,
    required: p.required,
  };
  return (
    <FieldFrame id={p.id} label={p.label} hint={p.hint} error={p.error}>
      {p.multiline ? (
        <textarea {...common} rows={p.rows ?? 3}>
          {p.value ?? ''}
        </textarea>
      ) : (
        <input {...common} type={p.type ?? 'text'} value={p.value} autocomplete={p.autocomplete} inputmode={p.inputmode} list={p.list} />
      )}
    </FieldFrame>
  );
};

/** A small coloured label (status, channel, verification). */
export const Badge: FC<{ tone?: 'neutral' | 'blue' | 'green' | 'amber' | 'red'; children: Child }> = ({ tone = 'neutral', children }) => (
  <span class={`badge badge-${tone}`}>{children}</span>
);

/** Previous / next links for a paged list; `href(page)` builds each link. */
export const Pagination: FC<{
  page: number;
  pageSize: number;
  total: number;
  href: (page: number) => string;
  labels: { previous: string; next: string; of: string };
}> = ({ page, pageSize, total, href, labels }) => {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  return (
    <nav class="pagination" aria-label={labels.of}>
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev">
          ← {labels.previous}
        </a>
      ) : null}
      <span>
        {page} / {pages}
      </span>
      {page < pages ? (
        <a href={href(page + 1)} rel="next">
          {labels.next} →
        </a>
      ) : null}
    </nav>
  );
};

/** A phone number as staff lists show it, in the national form they read: enough to recognise, not enough to copy (0912 *** 678). lib/phone maskPhone is the log form (+84912***678). */
export function phoneForStaff(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const local = digits.startsWith('84') ? `0${digits.slice(2)}` : digits;
  if (local.length < 7) return '***';
  return `${local.slice(0, 4)} *** ${local.slice(-3)}`;
}

/** A labelled select with its hint and error (an empty first option when `placeholder` is given). */
export const SelectField: FC<{
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  value: string;
  placeholder?: string;
  options: { value: string; label: string }[];
}> = (p) => (
  <FieldFrame id={p.id} label={p.label} hint={p.hint} error={p.error}>
    <select id={p.id} name={p.id} class="input input-medium" aria-describedby={describedBy(p)} aria-invalid={p.error ? 'true' : undefined}>
      {p.placeholder !== undefined ? <option value="">{p.placeholder}</option> : null}
      {p.options.map((o) => (
        <option value={o.value} selected={o.value === p.value}>
          {o.label}
        </option>
      ))}
    </select>
  </FieldFrame>
);

/** A file input in a drop zone (console.js fills it from a dropped file), with its hint and error. */
export const FileField: FC<{ id: string; label: string; hint: string; error?: string | undefined; accept: string }> = (p) => (
  <FieldFrame id={p.id} label={p.label} hint={p.hint} error={p.error} extraClass="dropzone" dropzone>
    <input type="file" id={p.id} name={p.id} accept={p.accept} aria-describedby={describedBy(p)} aria-invalid={p.error ? 'true' : undefined} />
  </FieldFrame>
);
