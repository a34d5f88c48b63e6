import { and, count, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { auditLog } from '../../db/schema';
import type { Database } from '../../db/types';

export interface AuditQuery {
  /** `staff:12`, `token:3`. */
  actor?: string;
  /** `dossier:HS-1`. */
  subject?: string;
  /** `dossier.status`. */
  action?: string;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

/** The audit log, newest first, filtered by every given field. */
export async function queryAudit(db: Database, query: AuditQuery) {
  const conditions: SQL[] = [];
  if (query.actor) conditions.push(eq(auditLog.actor, query.actor));
  if (query.subject) conditions.push(eq(auditLog.subject, query.subject));
  if (query.action) conditions.push(eq(auditLog.action, query.action));
  if (query.from) conditions.push(gte(auditLog.at, query.from));
  if (query.to) conditions.push(lt(auditLog.at, query.to));
  const where = conditions.length ? and(...conditions) : undefined;
  const [items, [total]] = await Promise.all([
    db
      .select()
      .from(auditLog)
      .where(where)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ n: count() }).from(auditLog).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}
