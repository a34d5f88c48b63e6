/**
 * Node's socket errors: the other end went away or could not be reached. A later attempt, on a
 * fresh connection, may well succeed.
 */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** postgres.js's own connection errors (a timed-out connect, a connection closed mid-query). */
const DRIVER_CODES = new Set(['CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED']);
/**
 * SQLSTATEs that say "not now" rather than "never": statement timeout or cancel (57014), the
 * server shutting down (57P01-57P03), serialization and deadlock (40001, 40P01), and the
 * connection (08...) and resource (53...) classes.
 */
const SQLSTATE = /^(08|53)|^(57014|57P01|57P02|57P03|40001|40P01)$/;

/**
 * Whether an error says the infrastructure failed (the database unreachable, a connection cut,
 * a statement timed out), so the same work may succeed when tried again, as opposed to a bug or
 * bad input that fails the same way every time. Follows `cause` (drizzle wraps driver errors).
 *
 * @example isTransient(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })) // true
 */
export function isTransient(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || DRIVER_CODES.has(code) || SQLSTATE.test(code))) return true;
  }
  return false;
}

/** Errors raised before a connection exists: the request cannot have reached the other side. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Whether a failed HTTP request surely never left (so sending it again cannot make a second
 * copy), by its error code; any other failure may have been received.
 */
export const neverSent = (code: string | undefined): boolean => code !== undefined && NEVER_SENT_CODES.has(code);
