/**
 * Expected failures are values, not exceptions. Only the HTTP edge turns a failed Result into a
 * status code.
 *
 * @example
 * const found = await dossiers.get(code);
 * if (!found.ok) return found; // { ok: false, reason: 'not_found' }
 */
export type Result<T, R extends string = string> = { ok: true; value: T } | { ok: false; reason: R; message?: string };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export const fail = <R extends string>(reason: R, message?: string): { ok: false; reason: R; message?: string } =>
  message === undefined ? { ok: false, reason } : { ok: false, reason, message };
