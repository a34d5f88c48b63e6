import { auditLog } from '../../db/schema';
import type { Executor } from '../../db/types';
import { type Actor, actorRef } from '../../vocabulary/actors';

export interface AuditEntry {
  actor: Actor;
  /** A verb in dotted form: `dossier.status`, `procedure.upsert`, `token.revoke`. */
  action: string;
  /** What it was done to: `dossier:HS-2026-0001`, `procedure:1.001193`. */
  subject: string;
  before?: unknown;
  after?: unknown;
  at: Date;
}

/**
 * Writes one audit row. Call it inside the transaction of the write it records, so the log and
 * the change commit together.
 */
export async function recordAudit(executor: Executor, entry: AuditEntry): Promise<void> {
  await executor.insert(auditLog).values({
    actor: actorRef(entry.actor),
    actorName: entry.actor.name,
    action: entry.action,
    subject: entry.subject,
    before: entry.before ?? null,
    after: entry.after ?? null,
    at: entry.at,
  });
}
