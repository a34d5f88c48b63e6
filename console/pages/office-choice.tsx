import type { FC } from 'hono/jsx';
import type { StoredOffice } from '../../domain/catalog/store';

/** A select of the offices, with "province-wide" (no office) first. */
export const OfficeSelect: FC<{ id: string; label: string; none: string; offices: StoredOffice[]; value: number | null; error?: string | undefined }> = (p) => (
  <div class={p.error ? 'field field-error' : 'field'}>
    <label for={p.id}>{p.label}</label>
    {p.error ? (
      <p class="error-message" id={`${p.id}-error`}>
        {p.error}
      </p>
    ) : null}
    <select id={p.id} name={p.id} class="input input-medium" aria-describedby={p.error ? `${p.id}-error` : undefined}>
      <option value="" selected={p.value === null}>
        {p.none}
      </option>
      {p.offices.map((o) => (
        <option value={String(o.id)} selected={p.value === o.id}>
          {o.name}
        </option>
      ))}
    </select>
  </div>
);

/** The office id a form sent: null for "province-wide", undefined when it names no office we have. */
export function chosenOffice(value: unknown, offices: StoredOffice[]): number | null | undefined {
  if (value === '' || value === undefined) return null;
  const id = Number(value);
  return offices.some((o) => o.id === id) ? id : undefined;
}

/** The office's name for lists ("—" for province-wide, the id when it no longer exists). */
export const officeName = (offices: StoredOffice[], id: number | null, none: string): string =>
  id === null ? none : (offices.find((o) => o.id === id)?.name ?? `#${id}`);
