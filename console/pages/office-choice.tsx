import type { FC } from 'hono/jsx';
import type { StoredOffice } from '../../domain/catalog/store';
import { SelectField } from '../components';

/** A select of the offices, with "province-wide" (no office) first. */
export const OfficeSelect: FC<{ id: string; label: string; none: string; offices: StoredOffice[]; value: number | null; error?: string | undefined }> = (p) => (
  <SelectField
    id={p.id}
    label={p.label}
    error={p.error}
    value={p.value === null ? '' : String(p.value)}
    placeholder={p.none}
    options={p.offices.map((o) => ({ value: String(o.id), label: o.name }))}
  />
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
