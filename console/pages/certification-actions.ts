import { formatVnd } from '../../domain/certification/fees';
import type { ActionFailure, StaffAction } from '../../domain/certification/requests';
import type { Translate } from '../../vocabulary/locales';
import type { FieldError } from '../components';

export const ACTION_KINDS = ['confirm', 'reject', 'ready', 'deliver'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];
export const isActionKind = (value: string | undefined): value is ActionKind => ACTION_KINDS.includes(value as ActionKind);

/** A form field's id on a page that may list many requests: `fee-12`, `reason-12`. */
export const fieldId = (name: string, requestId: number) => `${name}-${requestId}`;

type Form = Record<string, unknown>;
const text = (form: Form, name: string): string => (typeof form[name] === 'string' ? (form[name] as string).trim().replace(/\s+/g, ' ') : '');
const within = (value: string, min: number, max: number) => value.length >= min && value.length <= max;

/** "12.000", "12,000 ₫" and "12000" are the same whole VND amount; anything else is not a fee. */
function parseFee(typed: string): number | null {
  const digits = typed.replace(/[\s.,₫đĐ]|VND/gi, '');
  if (!/^\d{1,9}$/.test(digits)) return null;
  return Number(digits);
}

/**
 * A staff action from its form, checked the way the API checks its JSON body (the same limits),
 * or the fields to correct. The domain still has the last word (fee reason, pickup place).
 */
export function actionFromForm(
  t: Translate,
  kind: ActionKind,
  form: Form,
  request: { id: number; quotedFee: number },
): { ok: true; action: StaffAction } | { ok: false; errors: FieldError[] } {
  const id = (name: string) => fieldId(name, request.id);
  const errors: FieldError[] = [];
  let action: StaffAction;
  switch (kind) {
    case 'confirm': {
      const typedFee = text(form, 'fee');
      const fee = typedFee ? parseFee(typedFee) : undefined;
      const feeReason = text(form, 'feeReason');
      if (fee === null) errors.push({ field: id('fee'), message: t('certification.errors.fee') });
      if (feeReason && !within(feeReason, 3, 500)) errors.push({ field: id('feeReason'), message: t('certification.errors.feeReasonShort') });
      action = { kind: 'confirm', ...(typeof fee === 'number' ? { fee } : {}), ...(feeReason ? { feeReason } : {}) };
      break;
    }
    case 'reject': {
      const reason = text(form, 'reason');
      if (!within(reason, 3, 500)) errors.push({ field: id('reason'), message: t('certification.errors.reason') });
      action = { kind: 'reject', reason };
      break;
    }
    case 'ready': {
      const place = text(form, 'pickupPlace');
      if (place && !within(place, 3, 300)) errors.push({ field: id('pickupPlace'), message: t('certification.errors.pickupPlace') });
      action = { kind: 'ready', ...(place ? { pickupPlace: place } : {}) };
      break;
    }
    case 'deliver': {
      if (text(form, 'via') === 'post') {
        const trackingNumber = text(form, 'trackingNumber');
        if (!/^[A-Za-z0-9-]{6,40}$/.test(trackingNumber)) errors.push({ field: id('trackingNumber'), message: t('certification.errors.tracking') });
        action = { kind: 'deliver', via: 'post', trackingNumber };
      } else action = { kind: 'deliver', via: 'counter' };
      break;
    }
  }
  return errors.length ? { ok: false, errors } : { ok: true, action };
}

/** What the clerk is told when the domain refuses an action (not_found is a page of its own). */
export function failureMessage(
  t: Translate,
  failure: Exclude<ActionFailure, { reason: 'not_found' }>,
  request: { id: number; quotedFee: number },
): { status: 400 | 409; errors: FieldError[] } | { status: 409; warning: string } {
  switch (failure.reason) {
    case 'invalid_status':
      return { status: 409, warning: t(`certification.now.${failure.status}`) };
    case 'fee_reason_required':
      return {
        status: 400,
        errors: [{ field: fieldId('feeReason', request.id), message: t('certification.errors.feeReason', { fee: formatVnd(request.quotedFee) }) }],
      };
    case 'pickup_place_required':
      return { status: 400, errors: [{ field: fieldId('pickupPlace', request.id), message: t('certification.errors.pickupPlace') }] };
    case 'delivery_mismatch':
      return { status: 409, warning: t('certification.errors.deliveryMismatch') };
  }
}
