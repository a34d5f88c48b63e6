import { formatLocalDate } from '../../lib/vn-time';
import type { Translate } from '../../vocabulary/locales';
import { formatVnd } from './fees';

/** What a status line needs; both a stored request and the flow's summary have it. */
export interface StatusFacts {
  ref: string;
  status: 'submitted' | 'confirmed' | 'rejected' | 'ready' | 'delivered' | 'cancelled';
  createdAt: Date | string;
  fee: number;
  delivery: { method: 'pickup' | 'post' };
  pickupPlace: string | null;
  trackingNumber: string | null;
  rejectReason: string | null;
  deliveredVia: 'counter' | 'post' | null;
}

/**
 * Where a request stands, in the citizen's words: the notice staff actions send and the line the
 * citizen sees when following their requests.
 */
export function statusText(t: Translate, r: StatusFacts): string {
  const fee = formatVnd(r.fee);
  switch (r.status) {
    case 'submitted':
      return t('certify.statusSubmitted', { ref: r.ref, date: formatLocalDate(new Date(r.createdAt)) });
    case 'confirmed':
      return t('certify.statusConfirmed', { ref: r.ref, fee });
    case 'rejected':
      return t('certify.statusRejected', { ref: r.ref, reason: r.rejectReason ?? '' });
    case 'ready':
      return r.delivery.method === 'post'
        ? t('certify.statusReadyPost', { ref: r.ref, fee })
        : t('certify.statusReady', { ref: r.ref, place: r.pickupPlace ?? '', fee });
    case 'delivered':
      return r.deliveredVia === 'post'
        ? t('certify.statusDeliveredPost', { ref: r.ref, tracking: r.trackingNumber ?? '' })
        : t('certify.statusDelivered', { ref: r.ref });
    case 'cancelled':
      return t('certify.statusCancelled', { ref: r.ref });
  }
}
