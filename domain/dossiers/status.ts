import type { Role } from '../../vocabulary/actors';
import type { DossierStatus, StatusDetails } from '../../vocabulary/dossiers';

/**
 * The moves the office's work allows. Anything else (e.g. "returned" before "ready", or leaving
 * a closed dossier) needs an admin and a written reason.
 */
export const TRANSITIONS: Readonly<Record<DossierStatus, readonly DossierStatus[]>> = {
  received: ['processing', 'needs_supplement', 'ready', 'rejected', 'withdrawn'],
  processing: ['needs_supplement', 'ready', 'rejected', 'withdrawn'],
  needs_supplement: ['processing', 'ready', 'rejected', 'withdrawn'],
  ready: ['returned'],
  returned: [],
  rejected: [],
  withdrawn: [],
};

export type MoveCheck =
  | { ok: true; forced: boolean }
  | { ok: false; reason: 'same_status' | 'invalid_transition' | 'missing_details' | 'force_not_allowed'; message: string };

/**
 * Decides whether a dossier may move from `from` to `to`. A forced move is allowed only for an
 * admin who gives a reason; a move the table allows is never marked forced.
 *
 * @example checkMove('ready', 'returned', {}, 'staff') // { ok: true, forced: false }
 * @example checkMove('processing', 'returned', {}, 'staff') // { ok: false, reason: 'invalid_transition', ... }
 */
export function checkMove(from: DossierStatus, to: DossierStatus, details: StatusDetails, role: Role, force?: { reason: string }): MoveCheck {
  if (from === to) return { ok: false, reason: 'same_status', message: `The dossier is already ${to}.` };
  if (to === 'needs_supplement' && !details.missing?.length) {
    return { ok: false, reason: 'missing_details', message: 'details.missing: list what the citizen must bring back.' };
  }
  if (to === 'rejected' && !details.reason) {
    return { ok: false, reason: 'missing_details', message: 'details.reason: say why the dossier is rejected.' };
  }
  if (TRANSITIONS[from].includes(to)) return { ok: true, forced: false };
  if (!force) {
    const allowed = TRANSITIONS[from].join(', ') || 'none (it is closed)';
    return {
      ok: false,
      reason: 'invalid_transition',
      message: `A dossier cannot move from ${from} to ${to}; allowed: ${allowed}. An admin may force it with a reason.`,
    };
  }
  if (role !== 'admin') return { ok: false, reason: 'force_not_allowed', message: 'Only an admin may force a status change.' };
  return { ok: true, forced: true };
}

/** Ready and returned end the office's work: the first of them is the resolution time. */
export const isResolution = (status: DossierStatus): boolean => status === 'ready' || status === 'returned';
