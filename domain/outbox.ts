import { sql } from 'drizzle-orm';
import type { Reply } from '../bot/core/types';
import { outbox } from '../db/schema';
import { type Executor, rowsOf } from '../db/types';

export interface OutboxMessage {
  identityId: number;
  kind: string;
  payload: Reply[];
  /** The same key is queued once, whatever retries or replays happen upstream. */
  dedupeKey?: string;
  notBefore?: Date;
  priority?: number;
}

/** Priorities: higher goes first. */
export const PRIORITY = { otp: 100, reply: 50, notification: 10, broadcast: 0 } as const;

/**
 * Queues messages. Call it with the transaction that makes the change the messages announce, so
 * both commit or neither does. Returns how many rows were new (a repeated dedupe key adds none).
 */
export async function enqueue(executor: Executor, messages: OutboxMessage[]): Promise<number> {
  if (messages.length === 0) return 0;
  const inserted = await executor
    .insert(outbox)
    .values(
      messages.map((m) => ({
        identityId: m.identityId,
        kind: m.kind,
        payload: m.payload,
        dedupeKey: m.dedupeKey ?? null,
        priority: m.priority ?? PRIORITY.notification,
        ...(m.notBefore ? { notBefore: m.notBefore } : {}),
      })),
    )
    .onConflictDoNothing({ target: outbox.dedupeKey })
    .returning({ id: outbox.id });
  return inserted.length;
}

export interface ClaimedMessage {
  id: number;
  identityId: number;
  kind: string;
  payload: Reply[];
  attempts: number;
  channel: string;
  externalId: string;
  blocked: boolean;
}

/**
 * Claims up to `limit` due rows for `owner` until `leaseUntil`. Rows locked by another worker
 * are skipped (FOR UPDATE SKIP LOCKED), and a row whose lease ran out (its worker died) is due
 * again, so many workers can share one table and a crash loses nothing.
 */
export async function claimDue(
  executor: Executor,
  options: { owner: string; now: Date; leaseUntil: Date; limit: number; channels: string[] },
): Promise<ClaimedMessage[]> {
  if (options.channels.length === 0 || options.limit <= 0) return [];
  const channels = sql.join(
    options.channels.map((c) => sql`${c}`),
    sql`, `,
  );
  const result = await executor.execute(sql`
    with due as (
      select o.id from outbox o
      join identities i on i.id = o.identity_id
      where o.status = 'pending' and o.not_before <= ${options.now}
        and (o.lease_until is null or o.lease_until < ${options.now})
        and i.channel in (${channels})
      order by o.priority desc, o.not_before, o.id
      limit ${options.limit}
      for update of o skip locked
    )
    update outbox o
    set lease_until = ${options.leaseUntil}, lease_owner = ${options.owner}, attempts = o.attempts + 1
    from due, identities i
    where o.id = due.id and i.id = o.identity_id
    returning o.id, o.identity_id, o.kind, o.payload, o.attempts, i.channel, i.external_id, i.blocked_at`);
  return rowsOf<{
    id: number | string;
    identity_id: number | string;
    kind: string;
    payload: Reply[] | string;
    attempts: number;
    channel: string;
    external_id: string;
    blocked_at: unknown;
  }>(result).map((r) => ({
    id: Number(r.id),
    identityId: Number(r.identity_id),
    kind: r.kind,
    payload: typeof r.payload === 'string' ? (JSON.parse(r.payload) as Reply[]) : r.payload,
    attempts: r.attempts,
    channel: r.channel,
    externalId: r.external_id,
    blocked: r.blocked_at !== null,
  }));
}

type Settlement =
  | { status: 'sent'; at: Date }
  | { status: 'retry'; notBefore: Date; error: string; countAttempt: boolean }
  | { status: 'dead' | 'undeliverable'; error: string };

/** Records how a claimed row ended. Only the lease owner may settle it. */
export async function settle(executor: Executor, id: number, owner: string, outcome: Settlement): Promise<void> {
  const lease = sql`lease_until = null, lease_owner = null`;
  const where = sql`where id = ${id} and lease_owner = ${owner}`;
  switch (outcome.status) {
    case 'sent':
      await executor.execute(sql`update outbox set status = 'sent', sent_at = ${outcome.at}, last_error = null, ${lease} ${where}`);
      return;
    case 'retry':
      await executor.execute(
        sql`update outbox set not_before = ${outcome.notBefore}, last_error = ${outcome.error},
          attempts = attempts - ${outcome.countAttempt ? 0 : 1}, ${lease} ${where}`,
      );
      return;
    default:
      await executor.execute(sql`update outbox set status = ${outcome.status}, last_error = ${outcome.error}, ${lease} ${where}`);
  }
}
