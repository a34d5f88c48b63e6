import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type BroadcastAudience, type BroadcastLink, type BroadcastReport, broadcasts, identities } from '../../db/schema';
import { bigintArrayParam, textArrayParam, ts } from '../../db/sql';
import { type Database, type Executor, rowsOf } from '../../db/types';
import { fail, ok, type Result } from '../../lib/result';
import { outsideQuietHours } from '../../lib/vn-time';
import { type Actor, actorRef } from '../../vocabulary/actors';
import type { ChannelName } from '../../vocabulary/channels';
import { LOCALES, type Locale } from '../../vocabulary/locales';
import { TOPICS } from '../../vocabulary/notices';
import type { Reply } from '../../vocabulary/replies';
import { officeScope } from '../dossiers/store';
import { AREA_CODE, NOTICE_KINDS } from '../messaging/notification-settings';
import { cancelPending, enqueue, PRIORITY } from '../messaging/outbox';
import { recordAudit } from '../people/audit';

/** Channels an announcement can go to, with the longest text each accepts. */
export const BROADCAST_TEXT_LIMITS = { telegram: 4096, zalo: 2000, web: 4096 } as const satisfies Partial<Record<ChannelName, number>>;
export type BroadcastChannel = keyof typeof BROADCAST_TEXT_LIMITS;
const BROADCAST_CHANNELS = Object.keys(BROADCAST_TEXT_LIMITS) as BroadcastChannel[];

const list = <T extends z.ZodType>(item: T, what: string) => z.array(item).min(1, `expected at least one ${what}, or leave the field out`).max(500).optional();

export const audienceSchema = z
  .object({
    areas: list(z.string().regex(AREA_CODE, 'expected an area code (lower case letters, digits, - or _)'), 'area'),
    offices: list(z.number().int().positive('expected an office id'), 'office'),
    topics: list(z.enum(TOPICS, { error: `expected one of ${TOPICS.join(', ')}` }), 'topic'),
    channels: list(z.enum(BROADCAST_CHANNELS, { error: `expected one of ${BROADCAST_CHANNELS.join(', ')}` }), 'channel'),
    locales: list(z.enum(LOCALES, { error: `expected one of ${LOCALES.join(', ')}` }), 'language'),
  })
  .strict();

export const broadcastInputSchema = z
  .object({
    text: z.string().trim().min(1, 'expected the announcement text'),
    link: z
      .object({
        label: z.string().trim().min(1, 'expected the button label').max(40, 'at most 40 characters'),
        url: z.url({ protocol: /^https$/, error: 'expected an https:// address' }),
      })
      .strict()
      .optional(),
    audience: audienceSchema.default({}),
    /** Goes out during quiet hours too (storm or flood warnings). */
    urgent: z.boolean().default(false),
  })
  .strict()
  .superRefine((input, ctx) => {
    for (const channel of input.audience.channels ?? BROADCAST_CHANNELS) {
      const limit = BROADCAST_TEXT_LIMITS[channel];
      if (input.text.length > limit) {
        ctx.addIssue({
          code: 'custom',
          path: ['text'],
          message: `is ${input.text.length} characters; ${channel} allows at most ${limit} (leave ${channel} out of audience.channels or shorten it)`,
        });
      }
    }
  });
export type BroadcastInput = z.infer<typeof broadcastInputSchema>;

/** Renders an announcement in a chat's language (the composition root gives it the translator). */
export type BroadcastRenderer = (message: { text: string; link: BroadcastLink | null }, locale: Locale) => Reply[];

type BroadcastRow = typeof broadcasts.$inferSelect;
const subjectOf = (id: number) => `broadcast:${id}`;

/**
 * The SQL condition for "chat `a` (a row of chat_audience: reachable, following an area or a
 * topic, with its effective settings) is in this audience": every list the official gave.
 */
function audienceWhere(audience: BroadcastAudience): SQL {
  const conditions = [sql`a.channel = any(${textArrayParam(audience.channels ?? BROADCAST_CHANNELS)})`];
  if (audience.areas) conditions.push(sql`a.area = any(${textArrayParam(audience.areas)})`);
  if (audience.offices) {
    // The chat's own office (set by a poster, a link or a dossier), or the office of the commune it
    // chose: the areas are read once per statement (a hashed subplan), so an import that moves a
    // commune to another office is followed by the next chunk of a fan-out.
    const ids = bigintArrayParam(audience.offices);
    conditions.push(sql`(a.office_id = any(${ids}) or a.area in (select code from areas where office_id = any(${ids})))`);
  }
  if (audience.topics) conditions.push(sql`a.topics && ${textArrayParam(audience.topics)}`);
  if (audience.locales) conditions.push(sql`a.locale = any(${textArrayParam(audience.locales)})`);
  return sql.join(conditions, sql` and `);
}

/**
 * The audience as an account may address it: an account of one office (`scope`) reaches only
 * its office's chats, so its audience is narrowed to that office, and naming another office is
 * refused rather than ignored. An account of no office (the province) may address any.
 *
 * @example scopeAudience({ topics: ['land'] }, 3) // { ok: true, value: { topics: ['land'], offices: [3] } }
 */
export function scopeAudience<A extends BroadcastAudience>(audience: A, scope: number | null): Result<A, 'other_office'> {
  if (scope === null) return ok(audience);
  if (audience.offices?.some((id) => id !== scope)) return fail('other_office', `This account may only address office ${scope}.`);
  return ok({ ...audience, offices: [scope] });
}

export interface AudienceCount {
  total: number;
  byChannel: Record<string, number>;
  byLocale: Record<string, number>;
}

/** The statement {@link countAudience} runs (bench/province explains it). */
export const audienceCountQuery = (audience: BroadcastAudience): SQL => sql`
    select a.channel, a.locale, count(*)::int as n from chat_audience a where ${audienceWhere(audience)} group by 1, 2`;

/** How many chats an audience reaches now (the official sees this before sending). */
export async function countAudience(executor: Executor, audience: BroadcastAudience): Promise<AudienceCount> {
  const result = await executor.execute(audienceCountQuery(audience));
  const count: AudienceCount = { total: 0, byChannel: {}, byLocale: {} };
  for (const row of rowsOf<{ channel: string; locale: string; n: number | string }>(result)) {
    const n = Number(row.n);
    count.total += n;
    count.byChannel[row.channel] = (count.byChannel[row.channel] ?? 0) + n;
    count.byLocale[row.locale] = (count.byLocale[row.locale] ?? 0) + n;
  }
  return count;
}

/** Saves a draft announcement. Audited. */
export async function createBroadcast(db: Database, input: BroadcastInput, actor: Actor, now: Date): Promise<BroadcastRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(broadcasts)
      .values({
        text: input.text,
        link: input.link ?? null,
        audience: input.audience,
        urgent: input.urgent,
        createdBy: actorRef(actor),
        createdByName: actor.name,
        createdAt: now,
      })
      .returning();
    if (!row) throw new Error('broadcast insert returned no row');
    await recordAudit(tx, { actor, action: 'broadcast.create', subject: subjectOf(row.id), after: input, at: now });
    return row;
  });
}

/**
 * The broadcasts an account may see and act on: an account of one office (`scope`, see
 * domain/dossiers/store.ts officeScope) only its office's (their audience is always narrowed to
 * it, scopeAudience); an account of the province (null) all of them.
 */
const visibleTo = (scope: number | null) => (scope === null ? undefined : sql`${broadcasts.audience}->'offices' = ${JSON.stringify([scope])}::jsonb`);

/** A broadcast by id, or null when there is none the account of `scope` may see. */
export async function getBroadcast(executor: Executor, id: number, scope: number | null = null): Promise<BroadcastRow | null> {
  const [row] = await executor
    .select()
    .from(broadcasts)
    .where(and(eq(broadcasts.id, id), visibleTo(scope)));
  return row ?? null;
}

/** The broadcast `actor` may act on, locked until the transaction ends, or null (missing or another office's). */
async function lockVisible(tx: Executor, id: number, actor: Actor): Promise<BroadcastRow | null> {
  const [row] = await tx
    .select()
    .from(broadcasts)
    .where(and(eq(broadcasts.id, id), visibleTo(officeScope(actor))))
    .for('update');
  return row ?? null;
}

export async function listBroadcasts(executor: Executor, limit = 50, scope: number | null = null): Promise<BroadcastRow[]> {
  return executor.select().from(broadcasts).where(visibleTo(scope)).orderBy(sql`${broadcasts.id} desc`).limit(limit);
}

type ChangeFailure = 'not_found' | 'wrong_status';

/**
 * Sends a draft now or at `at`. The fan-out happens in the scheduler pass, in chunks; a time
 * inside quiet hours holds the messages until 07:00 unless the broadcast is urgent.
 */
export async function scheduleBroadcast(db: Database, id: number, at: Date | undefined, actor: Actor, now: Date): Promise<Result<BroadcastRow, ChangeFailure>> {
  return db.transaction(async (tx) => {
    const row = await lockVisible(tx, id, actor);
    if (!row) return fail('not_found', `No broadcast ${id}.`);
    if (row.status !== 'draft') return fail('wrong_status', `Broadcast ${id} is ${row.status}; only a draft can be sent.`);
    const wanted = at && at.getTime() > now.getTime() ? at : now;
    const sendAt = row.urgent ? wanted : outsideQuietHours(wanted);
    const [updated] = await tx.update(broadcasts).set({ status: 'scheduled', sendAt }).where(eq(broadcasts.id, id)).returning();
    if (!updated) throw new Error('broadcast vanished');
    await recordAudit(tx, { actor, action: 'broadcast.schedule', subject: subjectOf(id), after: { sendAt: sendAt.toISOString() }, at: now });
    return ok(updated);
  });
}

/**
 * Cancels a broadcast that is scheduled or sending: every row not yet handed to a channel is
 * cancelled, the fan-out stops. Rows already in the air are recorded as they end.
 */
export async function cancelBroadcast(
  db: Database,
  id: number,
  actor: Actor,
  now: Date,
): Promise<Result<{ broadcast: BroadcastRow; cancelled: number }, ChangeFailure>> {
  return db.transaction(async (tx) => {
    const row = await lockVisible(tx, id, actor);
    if (!row) return fail('not_found', `No broadcast ${id}.`);
    if (!['draft', 'scheduled', 'sending'].includes(row.status)) return fail('wrong_status', `Broadcast ${id} is ${row.status}; it cannot be cancelled.`);
    const cancelled = await cancelPending(tx, subjectOf(id), 'the broadcast was cancelled');
    const [updated] = await tx.update(broadcasts).set({ status: 'cancelled', cancelledAt: now }).where(eq(broadcasts.id, id)).returning();
    if (!updated) throw new Error('broadcast vanished');
    await recordAudit(tx, {
      actor,
      action: 'broadcast.cancel',
      subject: subjectOf(id),
      before: { status: row.status },
      after: { cancelledRows: cancelled },
      at: now,
    });
    return ok({ broadcast: updated, cancelled });
  });
}

/** Where a test send goes: a chat by its id in our database, or by channel and its id there. */
export type TestTarget = { identityId: number } | { channel: ChannelName; externalId: string };

/**
 * Queues the announcement to one chat (the official's own), ahead of other traffic and without
 * a dedupe key, so it can be tried again after an edit. Audited.
 */
export async function testSendBroadcast(
  db: Database,
  id: number,
  target: TestTarget,
  render: BroadcastRenderer,
  actor: Actor,
  now: Date,
): Promise<Result<{ identityId: number }, 'not_found' | 'chat_not_found'>> {
  return db.transaction(async (tx) => {
    const row = await getBroadcast(tx, id, officeScope(actor));
    if (!row) return fail('not_found', `No broadcast ${id}.`);
    const where =
      'identityId' in target ? eq(identities.id, target.identityId) : and(eq(identities.channel, target.channel), eq(identities.externalId, target.externalId));
    const [chat] = await tx.select().from(identities).where(where);
    if (!chat) return fail('chat_not_found', 'No chat with that id has talked to the assistant; open the bot and send /start first.');
    const locale: Locale = chat.locale === 'en' ? 'en' : 'vi';
    await enqueue(
      tx,
      [
        {
          identityId: chat.id,
          channel: chat.channel as ChannelName,
          kind: 'broadcast_test',
          subject: `broadcast-test:${id}`,
          priority: PRIORITY.reply,
          replies: render({ text: row.text, link: row.link }, locale),
        },
      ],
      now,
    );
    await recordAudit(tx, { actor, action: 'broadcast.test', subject: subjectOf(id), after: { identityId: chat.id }, at: now });
    return ok({ identityId: chat.id });
  });
}

export interface BroadcastProgress {
  status: BroadcastRow['status'];
  recipients: number;
  fanoutDone: boolean;
  pending: number;
  sent: number;
  failed: number;
  blocked: number;
  undeliverable: number;
  cancelled: number;
}

interface StatusCount {
  channel: string;
  status: string;
  chat_blocked: boolean;
  n: number | string;
  first_sent: Date | string | null;
  last_sent: Date | string | null;
}

async function countRows(executor: Executor, id: number): Promise<StatusCount[]> {
  const result = await executor.execute(sql`
    select o.channel, o.status, (o.status = 'dead' and i.blocked_at is not null) as chat_blocked, count(*)::int as n,
      min(o.sent_at) as first_sent, max(o.sent_at) as last_sent
    from outbox o left join identities i on i.id = o.identity_id
    where o.subject = ${subjectOf(id)} group by 1, 2, 3`);
  return rowsOf<StatusCount>(result);
}

/** Which bucket of the progress a row counts in. */
function bucket(row: StatusCount): 'pending' | 'sent' | 'failed' | 'blocked' | 'undeliverable' | 'cancelled' {
  if (row.status === 'dead') return row.chat_blocked ? 'blocked' : 'failed';
  if (row.status === 'sent' || row.status === 'pending' || row.status === 'undeliverable' || row.status === 'cancelled') return row.status;
  return 'failed';
}

/** Where a broadcast stands: rows pending (including in flight), sent, failed, blocked, undeliverable. */
export async function broadcastProgress(executor: Executor, id: number): Promise<BroadcastProgress | null> {
  const row = await getBroadcast(executor, id);
  if (!row) return null;
  const progress: BroadcastProgress = {
    status: row.status,
    recipients: row.recipients,
    fanoutDone: row.fanoutDoneAt !== null,
    pending: 0,
    sent: 0,
    failed: 0,
    blocked: 0,
    undeliverable: 0,
    cancelled: 0,
  };
  for (const count of await countRows(executor, id)) progress[bucket(count)] += Number(count.n);
  return progress;
}

async function buildReport(executor: Executor, row: BroadcastRow): Promise<BroadcastReport> {
  const report: BroadcastReport = {
    recipients: row.recipients,
    sent: 0,
    failed: 0,
    blocked: 0,
    undeliverable: 0,
    cancelled: 0,
    byChannel: {},
    firstSentAt: null,
    lastSentAt: null,
    ratePerSecond: null,
  };
  let first: number | null = null;
  let last: number | null = null;
  for (const count of await countRows(executor, row.id)) {
    const where = bucket(count);
    if (where === 'pending') continue;
    const n = Number(count.n);
    report[where] += n;
    const channel = report.byChannel[count.channel] ?? { sent: 0, failed: 0, blocked: 0, undeliverable: 0, cancelled: 0 };
    channel[where] += n;
    report.byChannel[count.channel] = channel;
    if (count.first_sent) first = Math.min(first ?? Number.POSITIVE_INFINITY, new Date(count.first_sent).getTime());
    if (count.last_sent) last = Math.max(last ?? 0, new Date(count.last_sent).getTime());
  }
  report.firstSentAt = first === null ? null : new Date(first).toISOString();
  report.lastSentAt = last === null ? null : new Date(last).toISOString();
  report.ratePerSecond = first !== null && last !== null && last > first ? Math.round((report.sent / ((last - first) / 1000)) * 10) / 10 : null;
  return report;
}

/** The final report, once every row is settled (null before that). */
export async function broadcastReport(executor: Executor, id: number): Promise<BroadcastReport | null> {
  return (await getBroadcast(executor, id))?.report ?? null;
}

/** Chats per fan-out statement: small enough that no statement holds locks for long. */
export const FANOUT_CHUNK = 5_000;

/**
 * Writes the next chunk of a due broadcast's outbox rows with one INSERT ... SELECT, in its own
 * short transaction, keyed `broadcast:<id>:<chat>` so a repeated chunk (after a crash) adds
 * nothing. The broadcast row is locked with SKIP LOCKED, so two schedulers never fan out the same
 * chunk and a cancel waits for the chunk in progress. Returns false when nothing was due.
 */
async function fanOutChunk(db: Database, render: BroadcastRenderer, now: Date, chunk: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const due = rowsOf<{ id: number | string }>(
      await tx.execute(sql`
        select id from broadcasts where status in ('scheduled', 'sending') and fanout_done_at is null and send_at <= ${ts(now)}
        order by send_at, id limit 1 for update skip locked`),
    );
    const id = Number(due[0]?.id ?? 0);
    const row = id ? await getBroadcast(tx, id) : null;
    if (!row) return false;
    const payload = (locale: Locale) => JSON.stringify({ replies: render({ text: row.text, link: row.link }, locale) });
    const notBefore = row.urgent ? now : outsideQuietHours(now);
    const subject = subjectOf(row.id);
    const result = await tx.execute(sql`
      with chunk as (
        select a.identity_id as id, a.channel, a.locale, (${audienceWhere(row.audience)}) as wanted
        from chat_audience a
        where a.identity_id > ${row.fanoutCursor} order by a.identity_id limit ${chunk}
      ), written as (
        insert into outbox (identity_id, channel, kind, subject, priority, payload, dedupe_key, not_before, created_at)
        select id, channel, ${NOTICE_KINDS.broadcast}, ${subject}, ${PRIORITY.broadcast},
          case when locale = 'en' then ${payload('en')}::jsonb else ${payload('vi')}::jsonb end,
          ${subject} || ':' || id, ${ts(notBefore)}, ${ts(now)}
        from chunk where wanted
        on conflict (dedupe_key) do nothing
        returning 1
      )
      select (select max(id) from chunk) as last, (select count(*) from chunk)::int as scanned, (select count(*) from written)::int as written`);
    const [stats] = rowsOf<{ last: number | string | null; scanned: number | string; written: number | string }>(result);
    const done = Number(stats?.scanned ?? 0) < chunk;
    await tx
      .update(broadcasts)
      .set({
        status: 'sending',
        startedAt: row.startedAt ?? now,
        fanoutCursor: stats?.last === null || stats?.last === undefined ? row.fanoutCursor : Number(stats.last),
        recipients: row.recipients + Number(stats?.written ?? 0),
        ...(done ? { fanoutDoneAt: now } : {}),
      })
      .where(eq(broadcasts.id, row.id));
    return true;
  });
}

/** Marks fanned-out broadcasts with nothing pending as completed and stores their report. */
async function completeFinished(db: Database, now: Date): Promise<void> {
  const candidates = await db
    .select()
    .from(broadcasts)
    .where(and(inArray(broadcasts.status, ['sending']), sql`${broadcasts.fanoutDoneAt} is not null`));
  for (const candidate of candidates) {
    const pending = rowsOf<{ n: number | string }>(
      await db.execute(sql`select count(*)::int as n from outbox where subject = ${subjectOf(candidate.id)} and status = 'pending'`),
    );
    if (Number(pending[0]?.n ?? 0) > 0) continue;
    const report = await buildReport(db, candidate);
    await db
      .update(broadcasts)
      .set({ status: 'completed', completedAt: now, report })
      .where(and(eq(broadcasts.id, candidate.id), eq(broadcasts.status, 'sending')));
  }
}

/**
 * The scheduler's broadcast step: fans out due broadcasts chunk by chunk (one chunk, then more
 * while `budgetMs` lasts, so reminders are not held up) and completes finished ones.
 * Returns how many chunks it wrote.
 */
export async function advanceBroadcasts(
  db: Database,
  render: BroadcastRenderer,
  now: Date,
  options: { budgetMs?: number; chunk?: number } = {},
): Promise<number> {
  const started = performance.now();
  let chunks = 0;
  // At least one chunk per pass, then more while the time budget lasts.
  while (await fanOutChunk(db, render, now, options.chunk ?? FANOUT_CHUNK)) {
    chunks++;
    if (performance.now() - started >= (options.budgetMs ?? 2_000)) break;
  }
  await completeFinished(db, now);
  return chunks;
}
