import type { SendOutcome } from '../../../domain/messaging/senders';
import { QUOTA_PAUSE_MS, RATE_LIMIT_PAUSE_MS, TOKEN_ERRORS, TOKEN_UNAVAILABLE_PAUSE_MS, WINDOW_ERRORS, ZALO_ERROR } from './protocol';

/** Zalo answered, with an error code and message of its own. */
export class ZaloApiError extends Error {
  override readonly name = 'ZaloApiError';
  constructor(
    readonly code: number,
    readonly zaloMessage: string,
    readonly endpoint: string,
  ) {
    super(`Zalo ${endpoint} answered ${code}: ${zaloMessage}`);
  }
}

/**
 * The request failed without a Zalo answer. `delivered` says whether Zalo may have acted on it:
 * 'no' when the connection was never made (safe to send again), 'unknown' when the request may
 * have reached Zalo (a timeout or a reset after the body was written).
 */
export class ZaloNetworkError extends Error {
  override readonly name = 'ZaloNetworkError';
  constructor(
    readonly endpoint: string,
    readonly delivered: 'no' | 'unknown',
    readonly causeCode: string,
    message: string,
  ) {
    super(`Zalo ${endpoint}: ${message} (${causeCode})`);
  }
}

/** No usable access token: never stored, or the last refresh failed. The OA needs attention. */
export class ZaloTokenUnavailableError extends Error {
  override readonly name = 'ZaloTokenUnavailableError';
}

export const isTokenRejected = (error: unknown) => error instanceof ZaloApiError && TOKEN_ERRORS.has(error.code);
export const isWindowClosed = (error: unknown) => error instanceof ZaloApiError && WINDOW_ERRORS.has(error.code);

/**
 * What the delivery loop should do after a failed send. Being told to wait (rate limit, no
 * token, no quota) pauses the whole channel without counting against the message; a refusal
 * that will not change (bad parameter, bad template) ends the message; anything else is retried.
 */
export function outcomeOf(error: unknown): SendOutcome {
  if (error instanceof ZaloTokenUnavailableError) return { status: 'retry', error: error.message, retryAfterMs: TOKEN_UNAVAILABLE_PAUSE_MS };
  if (error instanceof ZaloNetworkError) return { status: 'retry', error: error.message };
  if (!(error instanceof ZaloApiError)) return { status: 'retry', error: error instanceof Error ? error.message : String(error) };
  const what = error.message;
  switch (error.code) {
    case ZALO_ERROR.rateLimited:
      return { status: 'retry', error: what, retryAfterMs: RATE_LIMIT_PAUSE_MS };
    case ZALO_ERROR.tokenInvalid:
    case ZALO_ERROR.tokenExpired:
      return { status: 'retry', error: what, retryAfterMs: TOKEN_UNAVAILABLE_PAUSE_MS };
    case ZALO_ERROR.outOfQuota:
    case ZALO_ERROR.outOfReceiveQuota:
    case ZALO_ERROR.znsOutOfQuota:
    case ZALO_ERROR.oaDisabled:
      return { status: 'retry', error: what, retryAfterMs: QUOTA_PAUSE_MS };
    case ZALO_ERROR.notFollower:
      return { status: 'blocked', error: what };
    case ZALO_ERROR.windowExpired:
    case ZALO_ERROR.windowExpiredAlt:
    case ZALO_ERROR.znsClientUnsupported:
    case ZALO_ERROR.znsUserRejected:
      return { status: 'undeliverable', error: what };
    case ZALO_ERROR.invalidParam:
    case ZALO_ERROR.oaMissing:
    case ZALO_ERROR.znsPhoneInvalid:
    case ZALO_ERROR.znsTemplateInvalid:
    case ZALO_ERROR.znsDataEmpty:
    case ZALO_ERROR.znsDataInvalid:
      return { status: 'invalid', error: what };
    default:
      return { status: 'retry', error: what };
  }
}
