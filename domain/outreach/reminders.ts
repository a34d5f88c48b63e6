import { and, eq, inArray, sql } from 'drizzle-orm';
import { reminders } from '../../db/schema';
import { textArrayParam } from '../../db/sql';
import { type Database, type Executor, rowsOf } from '../../db/types';
import { addLocalDays, formatLocalDate, localParts, localTime } from '../../lib/vn-time';
import type { Locale } from '../../vocabulary/locales';
import type { Reply } from '../../vocabulary/replies';
import { followersOf } from '../dossiers/announce';
import { notifyChats } from '../messaging/notify';

/** Reminders planned ahead, by the name of the citizen's switch that controls them. */
export type PlannedReminderKind = 'appointment' | 'permit_expiry';

/** Reminders are sent at this local hour (the day before an appointment, N days before an expiry). */
export const REMINDER_HOUR = 8;
/** A permit's holder hears of its expiry this many days before. */
export const PERMIT_REMINDER_DAYS = [30, 7, 1] as const;

export interface ReminderPlan {
  kind: PlannedReminderKind;
  /** What it is about: `dossier:42`, `permit:7`. */
  subject: string;
  /** Unique for this reminder of this subject on this date. */
  dedupeKey: string;
  fireAt: Date;
  /** When it stops making sense (the appointment or the expiry). */
  staleAt: Date;
  /** Chats linked to this phone by a verified phone receive it (resolved when it fires). */
  phone: string | null;
  /** Further chats that follow the subject. */
  identityIds?: number[];
  params: Record<string, string>;
}

/**
 * Plans a reminder in the caller's transaction. Planning the same key again only updates the
 * pending row (time, text); a key already sent is never sent again; a cancelled key comes back
 * (a due date moved away and back). Returns true when a reminder is pending afterwards.
 */
export async function planReminder(executor: Executor, plan: ReminderPlan, now: Date): Promise<boolean> {
  const values = {
    createdAt: now,
    kind: plan.kind,
    subject: plan.subject,
    dedupeKey: plan.dedupeKey,
    fireAt: plan.fireAt,
    staleAt: plan.staleAt,
    phone: plan.phone,
    identityIds: plan.identityIds ?? [],
    params: plan.params,
    status: 'pending' as const,
    settledAt: null,
  };
  const rows = await executor
    .insert(reminders)
    .values(values)
    .onConflictDoUpdate({
      target: reminders.dedupeKey,
      set: values,
      setWhere: sql`${reminders.status} in ('pending', 'cancelled')`,
    })
    .returning({ id: reminders.id });
  return rows.length > 0;
}

/**
 * Cancels the pending reminders about `subject` (all kinds, or those given), e.g. when a dossier
 * is returned or a permit renewed. Returns how many were cancelled.
 */
export async function cancelReminders(
  executor: Executor,
  subject: string,
  now: Date,
  options: { kinds?: PlannedReminderKind[]; keep?: string[] } = {},
): Promise<number> {
  const rows = await executor
    .update(reminders)
    .set({ status: 'cancelled', settledAt: now })
    .where(
      and(
        eq(reminders.subject, subject),
        eq(reminders.status, 'pending'),
        options.kinds ? inArray(reminders.kind, options.kinds) : undefined,
        options.keep?.length ? sql`${reminders.dedupeKey} <> all(${textArrayParam(options.keep)})` : undefined,
      ),
    )
    .returning({ id: reminders.id });
  return rows.length;
}

/** 08:00 local, `days` before the local day of `at`. */
export function reminderTime(at: Date, daysBefore: number): Date {
  const day = localParts(addLocalDays(at, -daysBefore));
  return localTime(day.year, day.month, day.day, REMINDER_HOUR);
}

/**
 * When a reminder planned for `ideal` should go: then, or straight away when that moment has
 * passed but the thing it announces has not (a dossier received on the eve of its due date).
 * Null when it is too late to be of use.
 */
export function catchUp(ideal: Date, staleAt: Date, now: Date): Date | null {
  if (now.getTime() >= staleAt.getTime()) return null;
  return ideal.getTime() >= now.getTime() ? ideal : now;
}

export interface AppointmentInput {
  dossierId: number;
  receiptCode: string;
  procedure: string;
  dueAt: Date;
  applicantPhone: string;
  /** Chats that follow the dossier besides the applicant's verified chats. */
  identityIds?: number[];
  /**
   * The citizen is being told the due date right now (the receipt notice names it). A reminder
   * whose time has already come would then go out with that notice, saying the same date again,
   * so it is not sent late: a due date within the reminder's lead time gets no reminder.
   */
  dueDateJustAnnounced?: boolean;
}

/**
 * Plans the appointment reminder: 08:00 the day before the due date. A new due date moves it
 * (the old date's pending reminder is cancelled, the new one planned); a due date already past
 * plans nothing. A reminder whose time has passed goes at once ({@link catchUp}), unless the
 * citizen is being told the due date now (`dueDateJustAnnounced`).
 */
export async function planAppointmentReminder(executor: Executor, input: AppointmentInput, now: Date): Promise<boolean> {
  const subject = `dossier:${input.dossierId}`;
  const dedupeKey = `appointment:${subject}:${formatLocalDate(input.dueAt)}`;
  await cancelReminders(executor, subject, now, { kinds: ['appointment'], keep: [dedupeKey] });
  const ideal = reminderTime(input.dueAt, 1);
  const fireAt = input.dueDateJustAnnounced ? (ideal.getTime() > now.getTime() ? ideal : null) : catchUp(ideal, input.dueAt, now);
  if (!fireAt) return false;
  return planReminder(
    executor,
    {
      kind: 'appointment',
      subject,
      dedupeKey,
      fireAt,
      staleAt: input.dueAt,
      phone: input.applicantPhone,
      identityIds: input.identityIds ?? [],
      params: { receiptCode: input.receiptCode, procedure: input.procedure, dueDate: formatLocalDate(input.dueAt) },
    },
    now,
  );
}

export interface PermitReminderInput {
  permitId: number;
  kind: string;
  number: string;
  holderName: string;
  office: string;
  phone: string;
  /** yyyy-MM-dd, the last day the permit is valid. */
  expiresOn: string;
}

/** The instant a permit stops being valid: the end of its expiry day, local time. */
export function permitEnd(expiresOn: string): Date {
  const [year = 0, month = 0, day = 0] = expiresOn.split('-').map(Number);
  return addLocalDays(localTime(year, month, day), 1);
}

/**
 * Plans a permit's expiry reminders (30, 7 and 1 days before, 08:00). Those whose time has
 * passed are skipped, except the latest one, which goes now when the permit is still valid (a
 * permit recorded 5 days before it expires gets one reminder now and the 1-day one later).
 * Returns how many are pending.
 */
export async function planPermitReminders(executor: Executor, input: PermitReminderInput, now: Date): Promise<number> {
  const subject = `permit:${input.permitId}`;
  const end = permitEnd(input.expiresOn);
  const params = {
    kind: input.kind,
    number: input.number,
    holderName: input.holderName,
    office: input.office,
    expiresOn: formatLocalDate(addLocalDays(end, -1)),
  };
  const times = PERMIT_REMINDER_DAYS.map((days) => ({ days, at: reminderTime(addLocalDays(end, -1), days) }));
  const future = times.filter((t) => t.at.getTime() >= now.getTime());
  const missed = times.filter((t) => t.at.getTime() < now.getTime()).at(-1);
  const plans = missed ? [{ days: missed.days, at: now }, ...future] : future;
  let pending = 0;
  for (const plan of plans) {
    if (now.getTime() >= end.getTime()) break;
    const planned = await planReminder(
      executor,
      {
        kind: 'permit_expiry',
        subject,
        dedupeKey: `permit_expiry:${subject}:${input.expiresOn}:${plan.days}`,
        fireAt: plan.at,
        staleAt: end,
        phone: input.phone,
        params: { ...params, days: String(plan.days) },
      },
      now,
    );
    if (planned) pending++;
  }
  return pending;
}

/** Renders a reminder in a chat's language (the composition root gives it the translator). */
export type ReminderRenderer = (kind: PlannedReminderKind, params: Record<string, string>, locale: Locale) => Reply[];

interface DueReminder {
  id: number | string;
  kind: PlannedReminderKind;
  subject: string;
  dedupe_key: string;
  fire_at: Date | string;
  stale_at: Date | string;
  phone: string | null;
  identity_ids: (number | string)[] | string;
  params: Record<string, string> | string;
}

/** The chats linked by a verified phone to the citizen with this phone. */
export async function verifiedChatsOf(executor: Executor, phone: string): Promise<number[]> {
  const result = await executor.execute(sql`
    select i.id from identities i join citizens c on c.id = i.citizen_id
    where c.phone = ${phone} and i.phone_verified_at is not null`);
  return rowsOf<{ id: number | string }>(result).map((r) => Number(r.id));
}

/**
 * Who hears a reminder: a dossier's followers as its status notices reach them (so a chat that
 * stopped following it is left alone), otherwise the phone's verified chats.
 */
async function recipientsOf(executor: Executor, subject: string, phone: string | null): Promise<number[]> {
  const [type, id] = subject.split(':');
  if (type === 'dossier' && phone) return followersOf(executor, { id: Number(id), applicantPhone: phone });
  return phone ? verifiedChatsOf(executor, phone) : [];
}

const ids = (value: (number | string)[] | string): number[] =>
  (Array.isArray(value) ? value : value.replace(/^\{|\}$/g, '').split(',')).filter((v) => v !== '').map(Number);

/**
 * Sends the reminders whose time has come: each becomes outbox rows for the chats that match
 * now (its phone's verified chats and its followers), through notifyChats, so the citizen's
 * switches, /stop, blocked chats and quiet hours apply. Rows are taken with SKIP LOCKED, so any
 * number of delivery loops may run this at once; the dedupe keys make a repeat harmless. Returns how
 * many reminders it handled.
 */
export async function fireDueReminders(db: Database, render: ReminderRenderer, now: Date, limit = 200): Promise<number> {
  return db.transaction(async (tx) => {
    const due = rowsOf<DueReminder>(
      await tx.execute(sql`
        select id, kind, subject, dedupe_key, fire_at, stale_at, phone, identity_ids, params from reminders
        where status = 'pending' and fire_at <= ${now.toISOString()}::timestamptz
        order by fire_at limit ${limit} for update skip locked`),
    );
    for (const reminder of due) {
      const id = Number(reminder.id);
      if (new Date(reminder.stale_at).getTime() <= now.getTime()) {
        await tx.update(reminders).set({ status: 'expired', settledAt: now }).where(eq(reminders.id, id));
        continue;
      }
      const params: Record<string, string> = typeof reminder.params === 'string' ? JSON.parse(reminder.params) : reminder.params;
      const chats = new Set([...(await recipientsOf(tx, reminder.subject, reminder.phone)), ...ids(reminder.identity_ids)]);
      await notifyChats(
        tx,
        [...chats],
        {
          kind: `reminder_${reminder.kind}`,
          render: (locale) => render(reminder.kind, params, locale),
          template: { kind: `reminder_${reminder.kind}`, params },
          dedupeKey: `reminder:${reminder.dedupe_key}`,
          subject: reminder.subject,
          // Late (the delivery loops were down)? Then now, and quiet hours still apply.
          notBefore: now,
        },
        { now },
      );
      await tx.update(reminders).set({ status: 'fired', settledAt: now }).where(eq(reminders.id, id));
    }
    return due.length;
  });
}
