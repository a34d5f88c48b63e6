import type { FC } from 'hono/jsx';
import { isOverdue } from '../../domain/dossiers/due-window';
import { formatLocalDateTime } from '../../lib/vn-time';
import type { DossierStatus } from '../../vocabulary/dossiers';
import type { Translate } from '../../vocabulary/locales';
import { Badge } from '../components';
import { CONSOLE } from '../paths';

const TONES: Record<DossierStatus, 'neutral' | 'blue' | 'green' | 'amber' | 'red'> = {
  received: 'blue',
  processing: 'blue',
  needs_supplement: 'amber',
  ready: 'green',
  returned: 'neutral',
  rejected: 'red',
  withdrawn: 'neutral',
};

/** A dossier's status as a coloured label, in the clerk's language. */
export const StatusBadge: FC<{ t: Translate; status: DossierStatus }> = ({ t, status }) => <Badge tone={TONES[status]}>{t(`dossiers.status.${status}`)}</Badge>;

/** The appointment, marked when an open dossier is past it (the home page's "overdue"). */
export const DueDate: FC<{ t: Translate; dossier: { status: DossierStatus; dueAt: Date }; now: Date }> = ({ t, dossier, now }) =>
  isOverdue(dossier, now) ? (
    <span class="overdue">
      {formatLocalDateTime(dossier.dueAt)} <Badge tone="red">{t('dossiers.overdue')}</Badge>
    </span>
  ) : (
    <span>{formatLocalDateTime(dossier.dueAt)}</span>
  );

/** Where a dossier's page is. */
export const dossierPath = (receiptCode: string) => `${CONSOLE}/dossiers/${encodeURIComponent(receiptCode)}`;
