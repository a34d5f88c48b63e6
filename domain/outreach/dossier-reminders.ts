import type { Executor } from '../../db/types';
import type { DossierStatus } from '../../vocabulary/dossiers';
import { type DossierRow, procedureLabel, type StatusChangeHook } from '../dossiers/announce';
import { NOTICE_KINDS } from '../messaging/notification-settings';
import { cancelPending } from '../messaging/outbox';
import { cancelReminders, planAppointmentReminder } from './reminders';

/** After these the office owes the citizen nothing more: no appointment to remind of. */
const CLOSED: readonly DossierStatus[] = ['returned', 'rejected', 'withdrawn'];

async function planFor(executor: Executor, dossier: DossierRow, now: Date, dueDateJustAnnounced: boolean): Promise<void> {
  await planAppointmentReminder(
    executor,
    {
      dossierId: dossier.id,
      receiptCode: dossier.receiptCode,
      procedure: await procedureLabel(executor, dossier),
      dueAt: dossier.dueAt,
      applicantPhone: dossier.applicantPhone,
      dueDateJustAnnounced,
    },
    now,
  );
}

/** Cancels a dossier's planned reminders and any reminder already queued but not yet sent. */
async function cancelFor(executor: Executor, dossierId: number, now: Date): Promise<void> {
  const subject = `dossier:${dossierId}`;
  await cancelReminders(executor, subject, now);
  await cancelPending(executor, subject, 'the dossier is closed', [NOTICE_KINDS.appointment]);
}

/**
 * The dossier service's status-change hook (runs in its transaction): a received dossier gets
 * its appointment reminder; a returned, rejected or withdrawn one loses its pending reminders.
 * The "received" notice (the appointment slip) queued in the same transaction names the due date,
 * so a due date already within the reminder's lead time gets no reminder on top of it.
 */
export const dossierReminderHook: StatusChangeHook = async (executor, change, now) => {
  const { dossier, event } = change;
  if (CLOSED.includes(event.status)) return cancelFor(executor, dossier.id, now);
  if (event.status === 'received') return planFor(executor, dossier, now, true);
};

/**
 * The dossier service's hook for an update of its fields: a new due date moves the pending
 * appointment reminder (the old date's is cancelled, the new one planned). No notice tells the
 * citizen of the new date, so a reminder whose time has passed goes at once.
 */
export async function dossierDueDateHook(executor: Executor, dossier: DossierRow, now: Date): Promise<void> {
  if (CLOSED.includes(dossier.status)) return;
  await cancelPending(executor, `dossier:${dossier.id}`, 'the due date moved', [NOTICE_KINDS.appointment]);
  await planFor(executor, dossier, now, false);
}
