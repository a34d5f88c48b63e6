import { formatLocalDate } from '../../lib/vn-time';
import type { DossierStatus, StatusDetails } from '../../vocabulary/dossiers';
import type { Translate } from '../../vocabulary/locales';
import type { Reply } from '../../vocabulary/replies';
import type { CivilEvent } from './civil-events';

/** What the citizen reads about a dossier: shared by the chat card and the status notices. */
export interface DossierView {
  id: number;
  receiptCode: string;
  /** The catalog's name, else the receipt's, else the code. */
  procedure: string;
  status: DossierStatus;
  receivedAt: Date;
  dueAt: Date;
  /** The latest event's note and details. */
  note: string | null;
  details: StatusDetails;
  civilEvent: CivilEvent | null;
}

/** The lines that say what the status asks of the citizen: what to bring, where to collect, why. */
export function outcomeLines(t: Translate, status: DossierStatus, details: StatusDetails): string[] {
  switch (status) {
    case 'needs_supplement':
      return details.missing?.length ? [t('dossier.card_missing', { items: bullets(details.missing) })] : [];
    case 'ready':
      if (details.postal) return [t('dossier.card_postal')];
      return [details.collectAt ? t('dossier.card_collectAt', { place: details.collectAt }) : t('dossier.card_collectAtOffice')];
    case 'rejected':
      return details.reason ? [t('dossier.card_reason', { reason: details.reason })] : [];
    default:
      return [];
  }
}

export const bullets = (items: string[]): string => items.map((item) => `• ${item}`).join('\n');

/** Button actions of the satisfaction survey (bot/flows/feedback.ts reads them). */
export const ratingAction = (dossierId: number, rating: number): string => `feedback:r:${dossierId}:${rating}`;

/**
 * The message a status change sends to the chats that follow the dossier, or null for changes
 * the citizen need not hear about (processing, withdrawn).
 */
export function renderStatusNotice(t: Translate, view: DossierView): Reply | null {
  const base = { code: view.receiptCode, procedure: view.procedure };
  const note = view.note ? `\n${t('dossier.notice_note', { note: view.note })}` : '';
  const viewButton = [{ label: t('dossier.view'), action: `dossier:view:${view.id}` }];
  switch (view.status) {
    case 'received':
      return {
        title: t('dossier.notice_receivedTitle'),
        text: t('dossier.notice_received', { ...base, received: formatLocalDate(view.receivedAt), due: formatLocalDate(view.dueAt) }) + note,
        buttons: [viewButton],
      };
    case 'needs_supplement':
      return {
        title: t('dossier.notice_needsSupplementTitle'),
        text: t('dossier.notice_needsSupplement', { ...base, items: bullets(view.details.missing ?? []) }) + note,
        buttons: [viewButton],
      };
    case 'ready':
      return {
        title: t('dossier.notice_readyTitle'),
        text: [t('dossier.notice_ready', base), ...outcomeLines(t, 'ready', view.details)].join('\n') + note,
        buttons: [viewButton],
      };
    case 'returned': {
      const personal = view.civilEvent ? [t(`dossier.notice_${view.civilEvent}`)] : [];
      return {
        title: t('dossier.notice_returnedTitle'),
        text: [t('dossier.notice_returned', base), ...personal, t('dossier.notice_rateAsk')].join('\n\n') + note,
        buttons: [[1, 2, 3, 4, 5].map((n) => ({ label: `${n} ⭐`, action: ratingAction(view.id, n) }))],
      };
    }
    case 'rejected':
      return {
        title: t('dossier.notice_rejectedTitle'),
        text: t('dossier.notice_rejected', { ...base, reason: view.details.reason ?? view.note ?? '' }) + note,
        buttons: [viewButton],
      };
    default:
      return null;
  }
}
