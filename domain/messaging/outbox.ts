import { sql } from 'drizzle-orm';
import { type OutboxPayload, outbox } from '../../db/schema';
import { bigintArrayParam, textArrayParam, ts } from '../../db/sql';
import { type Executor, rowsOf } from '../../db/types';
import type { DeliveryChannel } from '../../vocabulary/channels';
import type { PhoneMessage, TemplateData } from '../../vocabulary/messages';
import type { Reply } from '../../vocabulary/replies';
import { type EffectiveSettings, settingsColumns, settingsFromRow, settingsJoins } from './notification-settings';

interface Common {
  /** What caused it (status_change, reminder, broadcast, otp, ...), for reports. */
  kind: string;
  /** The same key is queued once, whatever retries or replays happen upstream. */
  dedupeKey?: string;
  /** Not sent before this time; `now` when not given. */
  notBefore?: Date;
  priority?: number;
  /** What it is about (`broadcast:3`, `dossier:42`), to follow or cancel a group of rows. */
  subject?: string;
}

/** A message to a chat. `channel` is the chat's channel. */
export interface ChatOutboxMessage extends Common {
  identityId: number;
  channel: DeliveryChannel;
  replies: Reply[];
  /** The notification's structured form, for channels that need an approved template (ZNS). */
  template?: TemplateData;
}

/** A message to a phone number through an SMS gateway or ZNS. */
export interface PhoneOutboxMessage extends Common {
  phone: string;
  channel: 'sms' | 'zns';
  message: PhoneMessage;
}

export type OutboxMessage = ChatOutboxMessage | PhoneOutboxMessage;

/** Priorities: higher goes first. */
export const PRIORITY = { otp: 100, reply: 50, notification: 10, broadcast: 0 } as const;

/**
 * Queues messages. Call it with the transaction that makes the change the messages announce, so
 * both commit or neither does. Returns how many rows were new (a repeated dedupe key adds none).
 * `now` is the injected clock's time: the delivery loop compares `not_before` with the same clock,
 * so the database's own time is never used for it.
 *
 * @example
 * await db.transaction(async (tx) => {
 *   await tx.update(dossiers).set({ status: 'ready' }).where(...);
 *   await enqueue(tx, [{ identityId, channel: 'telegram', kind: 'status_change', replies, dedupeKey: `dossier:${id}:ready` }], clock.now());
 * });
 */
export async function enqueue(executor: Executor, messages: OutboxMessage[], now: Date): Promise<number> {
  if (messages.length === 0) return 0;
  const inserted = await executor
    .insert(outbox)
    .values(
      messages.map((m) => ({
        channel: m.channel,
        kind: m.kind,
        dedupeKey: m.dedupeKey ?? null,
        subject: m.subject ?? null,
        priority: m.priority ?? PRIORITY.notification,
        notBefore: m.notBefore ?? now,
        createdAt: now,
        ...('identityId' in m
          ? { identityId: m.identityId, payload: { replies: m.replies } satisfies OutboxPayload, template: m.template ?? null }
          : { phone: m.phone, payload: { phone: m.message } satisfies OutboxPayload }),
      })),
    )
    .onConflictDoNothing({ target: outbox.dedupeKey })
    .returning({ id: outbox.id });
  return inserted.length;
}

export interface ClaimedMessage {
  id: number;
  identityId: number | null;
  kind: string;
  channel: string;
  /** The chat id on its channel, or the phone number for phone-addressed rows. */
  address: string;
  payload: OutboxPayload;
  template: TemplateData | null;
  attempts: number;
  blocked: boolean;
  /** The chat's citizen's phone, when the chat is linked to one (for template fallbacks). */
  citizenPhone: string | null;
  /** The chat's notification settings now (a planned notice may have been switched off since). */
  settings: EffectiveSettings;
  /** An earlier send may have arrived (it timed out): see {@link MAYBE_SENT}. */
  maybeSent: boolean;
}

/**
 * How `last_error` starts once a send of the row may have reached the channel (a timeout): the
 * row's own record that a further attempt could be a second copy. It stays through later errors.
 */
export const MAYBE_SENT = 'maybe sent: ';

const json = <T>(value: T | string): T => (typeof value === 'string' ? (JSON.parse(value) as T) : value);

/**
 * Claims up to `limit` due rows for `owner` until `leaseUntil`. Rows locked by another delivery loop
 * are skipped (FOR UPDATE SKIP LOCKED), and a row whose lease ran out (its delivery loop died) is due
 * again, so many delivery loops can share one table and a crash loses nothing.
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
      select id from outbox
      where status = 'pending' and not_before <= ${ts(options.now)}
        and (lease_until is null or lease_until < ${ts(options.now)})
        and channel in (${channels})
      order by priority desc, not_before, id
      limit ${options.limit}
      for update skip locked
    ), claimed as (
      update outbox o
      set lease_until = ${ts(options.leaseUntil)}, lease_owner = ${options.owner}, attempts = o.attempts + 1
      from due where o.id = due.id
      returning o.id, o.identity_id, o.kind, o.channel, o.phone, o.payload, o.template, o.attempts, o.priority, o.not_before, o.last_error
    )
    select c.*, i.external_id, i.blocked_at, z.phone as citizen_phone,
      ${settingsColumns.mutedKinds} as muted_kinds, ${settingsColumns.area} as area,
      ${settingsColumns.topics} as topics, ${settingsColumns.stoppedAt} as stopped_at
    from claimed c
    left join identities i on i.id = c.identity_id
    left join citizens z on z.id = i.citizen_id
    ${settingsJoins(sql`i`)}
    order by c.priority desc, c.not_before, c.id`);
  return rowsOf<{
    id: number | string;
    identity_id: number | string | null;
    kind: string;
    channel: string;
    phone: string | null;
    payload: OutboxPayload | string;
    template: TemplateData | string | null;
    attempts: number;
    last_error: string | null;
    external_id: string | null;
    blocked_at: unknown;
    citizen_phone: string | null;
    muted_kinds: string[] | string | null;
    area: string | null;
    topics: string[] | string | null;
    stopped_at: unknown;
  }>(result).map((r) => ({
    id: Number(r.id),
    identityId: r.identity_id === null ? null : Number(r.identity_id),
    kind: r.kind,
    channel: r.channel,
    address: r.external_id ?? r.phone ?? '',
    payload: json(r.payload),
    template: r.template === null ? null : json(r.template),
    attempts: r.attempts,
    blocked: r.blocked_at !== null && r.blocked_at !== undefined,
    citizenPhone: r.citizen_phone,
    settings: settingsFromRow(r),
    maybeSent: r.last_error?.startsWith(MAYBE_SENT) ?? false,
  }));
}

export type Settlement =
  | { status: 'sent'; at: Date }
  | { status: 'retry'; notBefore: Date; error: string; countAttempt: boolean }
  | { status: 'dead' | 'undeliverable' | 'cancelled'; error: string };

/**
 * Records how a claimed row ended. Only the lease owner may settle it. A phone message's
 * payload is scrubbed once it is final, so a sealed one-time code does not linger.
 */
const lease = sql`lease_until = null, lease_owner = null`;
const scrub = sql`payload = case when payload ? 'phone' then '{"phone":{"purpose":"scrubbed"}}'::jsonb else payload end`;

export async function settle(executor: Executor, id: number, owner: string, outcome: Settlement): Promise<void> {
  const where = sql`where id = ${id} and lease_owner = ${owner}`;
  switch (outcome.status) {
    case 'sent':
      await executor.execute(sql`update outbox set status = 'sent', sent_at = ${ts(outcome.at)}, last_error = null, ${scrub}, ${lease} ${where}`);
      return;
    case 'retry':
      // Once a send may have arrived, the row keeps saying so whatever fails next (MAYBE_SENT).
      await executor.execute(
        sql`update outbox set not_before = ${ts(outcome.notBefore)},
          last_error = case when starts_with(last_error, ${MAYBE_SENT}) and not starts_with(${outcome.error}::text, ${MAYBE_SENT})
            then ${MAYBE_SENT} || ${outcome.error} else ${outcome.error} end,
          attempts = attempts - ${outcome.countAttempt ? 0 : 1}, ${lease} ${where}`,
      );
      return;
    default:
      await executor.execute(sql`update outbox set status = ${outcome.status}, last_error = ${outcome.error}, ${scrub}, ${lease} ${where}`);
  }
}

/**
 * Records many rows as sent in one statement (the delivery loop settles a batch at a time).
 * Rows whose lease another delivery loop took over are left alone, as in {@link settle}.
 */
export async function settleSent(executor: Executor, ids: number[], owner: string, at: Date): Promise<void> {
  if (ids.length === 0) return;
  await executor.execute(
    sql`update outbox set status = 'sent', sent_at = ${ts(at)}, last_error = null, ${scrub}, ${lease}
      where id = any(${bigintArrayParam(ids)}) and lease_owner = ${owner}`,
  );
}

/**
 * Cancels the rows about `subject` (of the given kinds, or all) that have not gone yet: a
 * cancelled broadcast, a returned dossier's reminders. A row already
 * handed to a channel is recorded as its send ends. Returns how many rows were cancelled.
 */
export async function cancelPending(executor: Executor, subject: string, reason: string, kinds?: string[]): Promise<number> {
  const ofKinds = kinds ? sql`and kind = any(${textArrayParam(kinds)})` : sql``;
  const result = await executor.execute(
    sql`with cancelled as (
          update outbox set status = 'cancelled', last_error = ${reason}
          where subject = ${subject} and status = 'pending' ${ofKinds}
          returning 1)
        select count(*)::int as n from cancelled`,
  );
  return Number(rowsOf<{ n: number | string }>(result)[0]?.n ?? 0);
}
