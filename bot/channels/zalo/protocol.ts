/**
 * Every Zalo protocol fact and send rule we depend on, in one place. Facts marked UNCONFIRMED in
 * docs/channels/zalo.md live here (or in configuration), so correcting one after checking the
 * live documentation or a real event is a one-line change.
 */

/** Header carrying the webhook signature (official-via-copy). */
export const SIGNATURE_HEADER = 'X-ZEvent-Signature';
/** Implementations strip this optional prefix from the header value (UNCONFIRMED). */
export const SIGNATURE_PREFIX = 'mac=';

/** The OA API answers HTTP 200 with `error: 0` on success and a negative code on failure. */
export const ZALO_OK = 0;

/**
 * Zalo error codes we act on (OA API and ZNS tables, official-via-copy). Everything else is a
 * generic failure that is retried a bounded number of times by the outbox.
 */
export const ZALO_ERROR = {
  rateLimited: -32,
  invalidParam: -201,
  oaDisabled: -204,
  oaMissing: -205,
  outOfQuota: -211,
  notFollower: -213,
  tokenInvalid: -216,
  outOfReceiveQuota: -218,
  tokenExpired: -220,
  windowExpired: -230,
  windowExpiredAlt: -232,
  znsUnknown: -100,
  znsPhoneInvalid: -108,
  znsTemplateInvalid: -109,
  znsClientUnsupported: -110,
  znsDataEmpty: -111,
  znsDataInvalid: -112,
  znsUserRejected: -114,
  znsOutOfQuota: -115,
} as const;

/** Answers meaning "this access token is not (or no longer) valid": refresh and try once more. */
export const TOKEN_ERRORS: ReadonlySet<number> = new Set([ZALO_ERROR.tokenInvalid, ZALO_ERROR.tokenExpired]);
/** Answers meaning the OA may not message this user now (interaction window closed). */
export const WINDOW_ERRORS: ReadonlySet<number> = new Set([ZALO_ERROR.windowExpired, ZALO_ERROR.windowExpiredAlt]);

/** Customer-service ("tư vấn") text is limited to 2000 characters (official-via-copy). */
export const CS_TEXT_LIMIT = 2000;
/** Buttons in one message (UNCONFIRMED: community code uses up to 5); extra buttons follow in another message. */
export const MAX_BUTTONS_PER_MESSAGE = 5;
/** Button title length (UNCONFIRMED); longer labels are cut with an ellipsis. */
export const BUTTON_TITLE_LIMIT = 100;
/** request_user_info card: title ≤ 100, subtitle ≤ 500 characters (community copies of the doc). */
export const INFO_CARD_TITLE_LIMIT = 100;
export const INFO_CARD_SUBTITLE_LIMIT = 500;

/**
 * Our button actions travel as `oa.query.hide` payloads; Zalo hands the payload back as a
 * user_send_text event (community practice). The prefix tells a pressed button from typed text.
 */
export const ACTION_PAYLOAD_PREFIX = '#';

/**
 * Zalo's hard limit: no OpenAPI message to a user who has not interacted for 7 days. Within it,
 * consultation messages are free for 48 h after the user's last interaction and billed after;
 * how much of the 7 days the office uses for proactive messages is ZALO_CS_WINDOW_HOURS
 * (default 48, the free part).
 */
export const HARD_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** The OA API allows 4000 requests per minute per app; we stay well under it. */
export const SEND_RATE_PER_SECOND = 50;
/** Spacing between two messages to one user (Zalo states no per-user limit; keep order readable). */
export const PER_USER_INTERVAL_MS = 200;

/** How long the worker holds the channel after a rate-limit answer (-32; the bucket is per minute). */
export const RATE_LIMIT_PAUSE_MS = 15_000;
/** How long the worker holds the channel while no access token can be had (refresh failed). */
export const TOKEN_UNAVAILABLE_PAUSE_MS = 60_000;
/** How long the worker holds the channel when the OA is out of quota (quotas are daily). */
export const QUOTA_PAUSE_MS = 15 * 60_000;

/** Access tokens are refreshed this long before they expire. */
export const REFRESH_MARGIN_MS = 10 * 60_000;
/** After a failed refresh, the next attempt waits this long (a dead refresh token stays dead). */
export const REFRESH_RETRY_MS = 60_000;
/**
 * A token given in ZALO_ACCESS_TOKEN has an unknown issue time; assume it is good this long, after
 * which the stored refresh token replaces it (access tokens live 25 h per the OAuth v4 doc).
 */
export const SEEDED_TOKEN_ASSUMED_LIFETIME_MS = 60 * 60_000;

/** ZNS tracking_id: at most 48 characters, no special characters (official-via-copy). */
export const TRACKING_ID_LIMIT = 48;

/** Event names we handle (the webhook acknowledges and logs all others). */
export const EVENT = {
  text: 'user_send_text',
  follow: 'follow',
  unfollow: 'unfollow',
  submitInfo: 'user_submit_info',
  clickButton: 'user_click_button',
} as const;

/** Media and other messages we cannot read: the citizen is asked to type instead. */
export const UNSUPPORTED_EVENTS: ReadonlySet<string> = new Set([
  'user_send_image',
  'user_send_file',
  'user_send_audio',
  'user_send_video',
  'user_send_sticker',
  'user_send_gif',
  'user_send_link',
  'user_send_location',
  'user_send_business_card',
]);
