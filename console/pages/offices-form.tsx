import type { FC } from 'hono/jsx';
import { holidayDate } from '../../knowledge/holidays';
import type { Translate } from '../../vocabulary/locales';
import { type Office, type OfficeSettings, officeSchema } from '../../vocabulary/procedure';
import { Field, type FieldError } from '../components';
import type { ConsoleContext } from '../context';
import { Csrf } from '../layout';
import { issueErrors } from './catalog-issues';

/** An office as the form holds it: the days off as the lines the clerk typed. */
export interface OfficeDraft {
  code: string;
  name: string;
  address: string;
  phone: string;
  openingHours: string;
  portal: string;
  handoverHours: string;
  demo: boolean;
  sameDay: { weekday: string; label: string; groups: string[]; cutoff: string }[];
  holidays: string;
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 0] as const;
const DEFAULT_CUTOFF = '16:00';

/** A day off as a line: "02/09/2026 Quốc khánh". */
const holidayLine = (h: Office['holidays'][number]) => `${holidayDate(h.date)} ${h.name}`;

export function officeDraftOf(office: Office): OfficeDraft {
  return {
    code: office.code ?? '',
    name: office.name,
    address: office.address,
    phone: office.phone,
    openingHours: office.openingHours,
    portal: office.portal ?? '',
    handoverHours: office.settings.handoverHours ?? '',
    demo: office.demo,
    sameDay: office.sameDay.map((r) => ({ weekday: String(r.weekday), label: r.label, groups: r.groups, cutoff: r.cutoff })),
    holidays: [...office.holidays]
      .sort((a, b) => a.date.localeCompare(b.date))
      .map(holidayLine)
      .join('\n'),
  };
}

export const NEW_OFFICE: OfficeDraft = {
  code: '',
  name: '',
  address: '',
  phone: '',
  openingHours: '',
  portal: '',
  handoverHours: '',
  demo: false,
  sameDay: [],
  holidays: '',
};

type Form = Record<string, string | File | (string | File)[]>;
const str = (form: Form, name: string): string => {
  const value = form[name];
  return typeof value === 'string' ? value.replace(/\r\n?/g, '\n') : '';
};
const all = (form: Form, name: string): string[] => {
  const value = form[name];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
};

/** Reads the office form (parsed with `all: true`, so a rule's groups arrive as a list). */
export function readOfficeDraft(form: Form): OfficeDraft {
  const sameDay: OfficeDraft['sameDay'] = [];
  for (let i = 0; typeof form[`sameDay-${i}-label`] === 'string'; i++) {
    const rule = {
      weekday: str(form, `sameDay-${i}-weekday`),
      label: str(form, `sameDay-${i}-label`),
      groups: all(form, `sameDay-${i}-groups`),
      cutoff: str(form, `sameDay-${i}-cutoff`),
    };
    if (rule.label.trim() || rule.groups.length) sameDay.push(rule);
  }
  return {
    code: str(form, 'code').trim(),
    name: str(form, 'name'),
    address: str(form, 'address'),
    phone: str(form, 'phone'),
    openingHours: str(form, 'openingHours'),
    portal: str(form, 'portal').trim(),
    handoverHours: str(form, 'handoverHours').trim(),
    demo: form.demo === 'on',
    sameDay,
    holidays: str(form, 'holidays'),
  };
}

/** "2/9/2026 Quốc khánh", "2026-09-02 - Quốc khánh": a date, then the name. */
const DAY_MONTH_YEAR = /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s*[-–:]?\s*(.*)$/;
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})\s*[-–:]?\s*(.*)$/;
const pad = (n: string) => n.padStart(2, '0');

/** The days off typed one a line, or the number (1-based) of each line that is not a date and a name. */
function readHolidays(text: string): { days: { date: string; name: string }[]; bad: number[] } {
  const days: { date: string; name: string }[] = [];
  const bad: number[] = [];
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .forEach((line, i) => {
      const dmy = DAY_MONTH_YEAR.exec(line);
      const iso = ISO.exec(line);
      if (dmy) days.push({ date: `${dmy[3]}-${pad(dmy[2] ?? '')}-${pad(dmy[1] ?? '')}`, name: dmy[4] ?? '' });
      else if (iso) days.push({ date: `${iso[1]}-${pad(iso[2] ?? '')}-${pad(iso[3] ?? '')}`, name: iso[4] ?? '' });
      else bad.push(i + 1);
    });
  return { days, bad };
}

/**
 * Checks the office with the schema the API uses; every problem is named at its field. The
 * settings the form does not show (the office's own fee table) are kept from `kept`.
 */
export function checkOfficeDraft(t: Translate, d: OfficeDraft, kept: OfficeSettings = {}): { ok: true; value: Office } | { ok: false; errors: FieldError[] } {
  const holidays = readHolidays(d.holidays);
  const parsed = officeSchema.safeParse({
    ...(d.code ? { code: d.code } : {}),
    portal: d.portal || null,
    settings: {
      ...(kept.certificationFees ? { certificationFees: kept.certificationFees } : {}),
      ...(d.handoverHours ? { handoverHours: d.handoverHours } : {}),
    },
    name: d.name,
    address: d.address,
    phone: d.phone,
    openingHours: d.openingHours,
    demo: d.demo,
    sameDay: d.sameDay.map((r) => ({ ...r, weekday: Number(r.weekday), cutoff: r.cutoff.trim() || DEFAULT_CUTOFF })),
    holidays: holidays.days,
  });
  const errors = parsed.success ? [] : issueErrors(t, parsed.error.issues, 'office');
  for (const line of holidays.bad) errors.push({ field: 'holidays', message: t('catalog.offices.errors.holidayLine', { n: line }) });
  if (errors.length || !parsed.success) return { ok: false, errors };
  return { ok: true, value: parsed.data };
}

const errorOf = (errors: FieldError[], field: string) =>
  errors
    .filter((e) => e.field === field)
    .map((e) => e.message)
    .join(' ') || undefined;

/** The office's settings: contact, hours, the same-day days by catalog group, and the days off. */
export const OfficeForm: FC<{ c: ConsoleContext; action: string; draft: OfficeDraft; errors: FieldError[]; groups: string[]; submit: string }> = ({
  c,
  action,
  draft: d,
  errors,
  groups,
  submit,
}) => {
  const t = c.get('t');
  const e = (field: string) => errorOf(errors, field);
  const rules = [...d.sameDay, { weekday: '1', label: '', groups: [], cutoff: DEFAULT_CUTOFF }];
  return (
    <form method="post" action={action} novalidate>
      <Csrf c={c} />
      <Field id="name" label={t('catalog.offices.fields.name')} value={d.name} error={e('name')} />
      <Field
        id="code"
        label={t('catalog.offices.fields.code')}
        hint={t('catalog.offices.hints.code')}
        value={d.code}
        error={e('code')}
        width="medium"
        autocomplete="off"
      />
      <Field id="address" label={t('catalog.offices.fields.address')} value={d.address} error={e('address')} multiline rows={2} />
      <Field id="phone" label={t('catalog.offices.fields.phone')} value={d.phone} error={e('phone')} width="medium" type="tel" autocomplete="off" />
      <Field
        id="openingHours"
        label={t('catalog.offices.fields.openingHours')}
        hint={t('catalog.offices.hints.openingHours')}
        value={d.openingHours}
        error={e('openingHours')}
        multiline
        rows={2}
      />
      <Field
        id="portal"
        label={t('catalog.offices.fields.portal')}
        hint={t('catalog.offices.hints.portal')}
        value={d.portal}
        error={e('portal')}
        type="url"
        autocomplete="off"
      />
      <Field
        id="handoverHours"
        label={t('catalog.offices.fields.handoverHours')}
        hint={t('catalog.offices.hints.handoverHours')}
        value={d.handoverHours}
        error={e('settings-handoverHours')}
      />
      <div class="choice">
        <input type="checkbox" id="demo" name="demo" checked={d.demo} aria-describedby="demo-hint" />
        <label for="demo">
          {t('catalog.offices.fields.demo')}{' '}
          <span class="muted" id="demo-hint">
            · {t('catalog.offices.hints.demo')}
          </span>
        </label>
      </div>

      <h2 id="sameDay">{t('catalog.offices.fields.sameDay')}</h2>
      <p class="hint">{t('catalog.offices.hints.sameDay')}</p>
      {e('sameDay') ? <p class="error-message">{e('sameDay')}</p> : null}
      {rules.map((rule, i) => {
        const choices = [...new Set([...groups, ...rule.groups])];
        const groupsError = e(`sameDay-${i}-groups`);
        return (
          <fieldset class="item">
            <legend>{i < d.sameDay.length ? t('catalog.offices.rule.item', { n: i + 1 }) : t('catalog.offices.rule.new')}</legend>
            <div class="field">
              <label for={`sameDay-${i}-weekday`}>{t('catalog.offices.rule.weekday')}</label>
              <select id={`sameDay-${i}-weekday`} name={`sameDay-${i}-weekday`} class="input input-short">
                {WEEKDAYS.map((w) => (
                  <option value={String(w)} selected={rule.weekday === String(w)}>
                    {t(`catalog.offices.weekdays.${w}`)}
                  </option>
                ))}
              </select>
            </div>
            <Field id={`sameDay-${i}-label`} label={t('catalog.offices.rule.label')} value={rule.label} error={e(`sameDay-${i}-label`)} width="medium" />
            <Field
              id={`sameDay-${i}-cutoff`}
              label={t('catalog.offices.rule.cutoff')}
              hint={t('catalog.offices.hints.cutoff')}
              value={rule.cutoff}
              error={e(`sameDay-${i}-cutoff`)}
              width="short"
              inputmode="numeric"
            />
            <fieldset id={`sameDay-${i}-groups`} class={groupsError ? 'field field-error' : 'field'}>
              <legend>{t('catalog.offices.rule.groups')}</legend>
              {groupsError ? <p class="error-message">{groupsError}</p> : null}
              <div class="checks">
                {choices.map((g, j) => (
                  <div class="choice">
                    <input type="checkbox" id={`sameDay-${i}-groups-${j}`} name={`sameDay-${i}-groups`} value={g} checked={rule.groups.includes(g)} />
                    <label for={`sameDay-${i}-groups-${j}`}>{g}</label>
                  </div>
                ))}
              </div>
            </fieldset>
          </fieldset>
        );
      })}

      <h2>{t('catalog.offices.fields.holidays')}</h2>
      <Field
        id="holidays"
        label={t('catalog.offices.fields.holidaysBox')}
        hint={t('catalog.offices.hints.holidays')}
        value={d.holidays}
        error={e('holidays')}
        multiline
        rows={8}
        width="medium"
      />
      <button type="submit">{submit}</button>
    </form>
  );
};
