import { eq, sql } from 'drizzle-orm';
import { type dossierEvents, type dossiers, procedures } from '../../db/schema';
import { type Executor, rowsOf } from '../../db/types';
import { formatLocalDate } from '../../lib/vn-time';
import type { DossierStatus } from '../../vocabulary/dossiers';
import type { Locale, Translate } from '../../vocabulary/locales';
import { type RecipientFilter, statusNoticeKind } from '../messaging/notification-settings';
import { notifyChats } from '../messaging/notify';
import { civilEventOf } from './civil-events';
import { type DossierView, renderStatusNotice } from './render';

export type DossierRow = typeof dossiers.$inferSelect;
export type DossierEventRow = typeof dossierEvents.$inferSelect;

/** One status change, as hooks see it (inside its transaction). */
export interface StatusChange {
  dossier: DossierRow;
  event: DossierEventRow;
  /** null when the dossier was just created. */
  previous: DossierStatus | null;
}

/**
 * Runs inside the transaction of every status change, after the notice is queued. Reminders
 * (appointment, result ready) plug in here, so they commit or roll back with the change.
 */
export type StatusChangeHook = (executor: Executor, change: StatusChange, now: Date) => Promise<void>;

export interface AnnounceDeps {
  translator: (locale: Locale) => Translate;
  recipientFilter?: RecipientFilter;
}

/**
 * The procedure's name for citizens: the one on the receipt (sent by the office software, as the
 * dossier card shows it), else the catalog's for its code, else the code. Read through the
 * caller's executor, so it works inside the status change's transaction.
 */
export async function procedureLabel(executor: Executor, dossier: DossierRow): Promise<string> {
  if (dossier.procedureName) return dossier.procedureName;
  const [known] = await executor.select({ name: procedures.name }).from(procedures).where(eq(procedures.code, dossier.procedureCode));
  return known?.name ?? dossier.procedureCode;
}

/**
 * The chats that hear of a dossier's changes: those that chose to follow it, and those linked
 * by a verified phone to the applicant, unless they chose not to follow.
 */
export async function followersOf(executor: Executor, dossier: Pick<DossierRow, 'id' | 'applicantPhone'>): Promise<number[]> {
  const result = await executor.execute(sql`
    select s.identity_id as id from dossier_subscriptions s where s.dossier_id = ${dossier.id} and s.following = true
    union
    select i.id from identities i join citizens c on c.id = i.citizen_id
    where c.phone = ${dossier.applicantPhone}
      and not exists (select 1 from dossier_subscriptions s where s.dossier_id = ${dossier.id} and s.identity_id = i.id and s.following = false)`);
  return rowsOf<{ id: number | string }>(result).map((r) => Number(r.id));
}

/**
 * Queues the notice of one status change to the dossier's followers, keyed by the event id so a
 * change is announced once per chat whatever is retried.
 */
export async function announce(executor: Executor, deps: AnnounceDeps, change: StatusChange, now: Date): Promise<number> {
  const { dossier, event } = change;
  const view: DossierView = {
    id: dossier.id,
    receiptCode: dossier.receiptCode,
    procedure: await procedureLabel(executor, dossier),
    status: event.status,
    receivedAt: dossier.receivedAt,
    dueAt: dossier.dueAt,
    note: event.note,
    details: event.details,
    civilEvent: civilEventOf(dossier.procedureCode, dossier.procedureName),
  };
  if (!renderStatusNotice(deps.translator('vi'), view)) return 0;
  const recipients = await followersOf(executor, dossier);
  const params: Record<string, string> = {
    receiptCode: view.receiptCode,
    procedure: view.procedure,
    status: view.status,
    receivedDate: formatLocalDate(view.receivedAt),
    dueDate: formatLocalDate(view.dueAt),
  };
  if (event.note) params.note = event.note;
  if (event.details.missing?.length) params.missing = event.details.missing.join('; ');
  if (event.details.collectAt) params.collectAt = event.details.collectAt;
  if (event.details.postal) params.postal = 'true';
  if (event.details.reason) params.reason = event.details.reason;
  if (view.civilEvent) params.civilEvent = view.civilEvent;
  return notifyChats(
    executor,
    recipients,
    {
      kind: statusNoticeKind(event.status),
      render: (locale) => {
        const reply = renderStatusNotice(deps.translator(locale), view);
        return reply ? [reply] : [];
      },
      template: { kind: 'status_change', params },
      dedupeKey: `dossier-event:${event.id}`,
      subject: `dossier:${dossier.id}`,
    },
    { now, ...(deps.recipientFilter ? { filter: deps.recipientFilter } : {}) },
  );
}
