import type { Database } from '../../db/types';
import type { Clock, Timer } from '../../lib/clock';
import { randomToken } from '../../lib/crypto';
import type { Logger } from '../../lib/logger';
import { createPacer, type Pacer } from '../../lib/rate-limiter';
import { createChatQueue } from './chat-queue';
import { markBlocked } from './conversations';
import { allows } from './notification-settings';
import { type ClaimedMessage, claimDue, MAYBE_SENT, settle, settleSent } from './outbox';
import { createSharedPacer } from './pacing';
import type { ChannelSender, SendOutcome } from './senders';

export interface DeliveryOptions {
  db: Database;
  /** Instants written to the outbox: leases, retry times, sent_at. */
  clock: Clock;
  /**
   * Waiting and elapsed time: per-chat spacing, channel pacing, a 429's pause and how much of a
   * claimed row's lease is left are all measured on this one timer.
   */
  timer: Timer;
  logger: Logger;
  senders: ChannelSender[];
  batchSize: number;
  leaseSeconds: number;
  /** After this many attempts a message is given up (status dead). */
  maxAttempts?: number;
  /** How many sends may be in the air at once (they are still paced to each channel's rate). */
  concurrency?: number;
  /**
   * `shared` (default): each channel's rate is one timeline in the database that every delivery loop
   * reserves its send slots from, so N delivery loops together keep to the rate. `local`: each delivery loop
   * paces alone (only for a single delivery loop, e.g. a test without a database clock).
   */
  pacing?: 'shared' | 'local';
}

export interface DeliveryLoop {
  /** Claims one batch and sends it; resolves with how many rows it claimed. */
  runOnce(): Promise<number>;
  /** Sends continuously until stop(); looks again every `intervalMs` when nothing is due. */
  start(intervalMs: number): void;
  stop(): Promise<void>;
}

const BASE_BACKOFF_MS = 5_000;
const MAX_BACKOFF_MS = 60 * 60 * 1000;
/** How soon a failed settle of sent rows is tried again. */
const SETTLE_RETRY_MS = 500;

/**
 * The delivery loop: claims due outbox rows with a lease, sends them through each channel's
 * sender at that channel's pace, and records sent / retry (backoff, or the channel's
 * retry_after) / dead (blocked: the chat is marked blocked). Several delivery loops, in one process or
 * many, may run against one database.
 */
export function createDeliveryLoop(options: DeliveryOptions): DeliveryLoop {
  const owner = `w-${randomToken(6)}`;
  const log = options.logger.child({ component: 'delivery', owner });
  const { timer } = options;
  const maxAttempts = options.maxAttempts ?? 8;
  const concurrency = options.concurrency ?? 64;
  const senders = new Map<string, ChannelSender>(options.senders.map((s) => [s.channel, s]));
  const pacers = new Map<string, Pacer>(
    options.senders.map((s) => [
      s.channel,
      options.pacing === 'local'
        ? createPacer(s.ratePerSecond, timer)
        : createSharedPacer({ db: options.db, timer, channel: s.channel, ratePerSecond: s.ratePerSecond }),
    ]),
  );
  // When each chat last got a message, for the per-chat spacing. Entries older than the longest
  // spacing can no longer delay anything and are dropped on each claim, so a long-running delivery loop
  // does not keep one entry for every chat it ever wrote to.
  const lastSentToChat = new Map<string, number>();
  const longestSpacingMs = Math.max(0, ...options.senders.map((s) => s.perChatIntervalMs));
  const leaseMs = options.leaseSeconds * 1000;
  // Claim no more than can be sent well within the lease even when several delivery loops share the
  // channel, so a row rarely waits for a slot until its lease runs out (deliver() gives such a
  // row back rather than risk sending it twice).
  const claimLimit = Math.max(1, Math.floor((Math.min(...options.senders.map((s) => s.ratePerSecond)) * options.leaseSeconds) / 8));
  let running = false;
  let loops: Promise<void>[] = [];
  let live: Queue | undefined;

  // Sent rows are settled in batches: one UPDATE for many rows. A row sent but not yet settled
  // is still leased, so a crash can repeat at most the rows in flight, as with single updates.
  let sentIds: number[] = [];
  const flushes = new Set<Promise<void>>();
  function flushSent(): Promise<void> {
    if (sentIds.length === 0) return Promise.all(flushes).then(() => {});
    const ids = sentIds;
    sentIds = [];
    const flush = settleSent(options.db, ids, owner, options.clock.now())
      .catch((error) => {
        // Kept and tried again: the rows stay leased to us, so settling them once the database
        // is back (well within the lease) keeps them from being sent a second time.
        log.warn('settling sent rows failed; trying again', { count: ids.length, error });
        sentIds = [...ids, ...sentIds];
        flushWithin(SETTLE_RETRY_MS);
      })
      .finally(() => flushes.delete(flush));
    flushes.add(flush);
    return flush;
  }
  // Settled when 200 are waiting, and at the latest a quarter second after the first of them.
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** Flushes in `ms`, unless a flush is already scheduled. */
  function flushWithin(ms: number): void {
    flushTimer ??= setTimeout(() => {
      flushTimer = undefined;
      void flushSent();
    }, ms);
  }
  function recordSent(id: number): void {
    sentIds.push(id);
    if (sentIds.length >= 200) {
      clearTimeout(flushTimer);
      flushTimer = undefined;
      void flushSent();
    } else {
      flushWithin(250);
    }
  }

  async function deliver(message: ClaimedMessage, claimedAt: number): Promise<SendOutcome['status'] | undefined> {
    const sender = senders.get(message.channel);
    const pacer = pacers.get(message.channel);
    if (!sender || !pacer) return undefined;
    if (message.blocked) {
      await settle(options.db, message.id, owner, { status: 'dead', error: 'chat blocked the bot' });
      return 'blocked';
    }
    if (!allows(message.settings, message.kind)) {
      await settle(options.db, message.id, owner, { status: 'cancelled', error: 'the citizen switched this notice off' });
      return undefined;
    }
    const chatKey = `${message.channel}:${message.address}`;
    const last = lastSentToChat.get(chatKey);
    const gap = last === undefined ? 0 : last + sender.perChatIntervalMs - timer.nowMs();
    if (gap > 0) await timer.sleep(gap);
    await pacer.wait();
    // The send itself must end within the lease too: allow for its timeout (at most half the
    // lease, so a short lease still sends).
    if (timer.nowMs() - claimedAt + Math.min(sender.sendTimeoutMs ?? 0, leaseMs / 2) > leaseMs * 0.8) {
      // Waited so long for a slot that the lease may run out mid-send and another delivery loop take
      // the row: give it back instead of risking a second copy.
      await settle(options.db, message.id, owner, { status: 'retry', notBefore: options.clock.now(), error: 'lease nearly over', countAttempt: false });
      return undefined;
    }
    lastSentToChat.set(chatKey, timer.nowMs());
    let outcome: SendOutcome;
    try {
      outcome = await send(sender, message);
    } catch (error) {
      outcome = { status: 'retry', error: error instanceof Error ? error.message : String(error) };
    }
    await record(message, outcome, pacer);
    return outcome.status;
  }

  /** Settles a row according to how its send ended. */
  async function record(message: ClaimedMessage, outcome: SendOutcome, pacer: Pacer): Promise<void> {
    const now = () => options.clock.now();
    switch (outcome.status) {
      case 'sent':
        recordSent(message.id);
        return;
      case 'retry': {
        if (outcome.retryAfterMs !== undefined) {
          // A 429 pauses the whole bot on Telegram, not one chat: hold every send on this channel.
          pacer.pauseUntil(timer.nowMs() + outcome.retryAfterMs);
        }
        if (message.attempts >= maxAttempts) {
          await settle(options.db, message.id, owner, { status: 'dead', error: `gave up after ${message.attempts} attempts: ${outcome.error}` });
          return;
        }
        // A send that may have arrived is tried once more, not up to maxAttempts times: each
        // try while the channel is slow could be one more copy in the citizen's chat.
        if (outcome.maybeSent && message.maybeSent) {
          log.warn('gave up a message whose sends timed out twice; it may have arrived', { outboxId: message.id });
          await settle(options.db, message.id, owner, { status: 'dead', error: `${MAYBE_SENT}gave up after two uncertain sends: ${outcome.error}` });
          return;
        }
        const backoff = outcome.retryAfterMs ?? Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (message.attempts - 1));
        const jitter = outcome.retryAfterMs === undefined ? Math.random() * 0.2 * backoff : 0;
        await settle(options.db, message.id, owner, {
          status: 'retry',
          notBefore: new Date(now().getTime() + backoff + jitter),
          error: outcome.maybeSent ? `${MAYBE_SENT}${outcome.error}` : outcome.error,
          // Being told to slow down is not the message's fault: it keeps its attempts.
          countAttempt: outcome.retryAfterMs === undefined,
        });
        return;
      }
      case 'blocked':
        if (message.identityId !== null) await markBlocked(options.db, message.identityId, now());
        await settle(options.db, message.id, owner, { status: 'dead', error: outcome.error });
        return;
      case 'invalid':
        await settle(options.db, message.id, owner, { status: 'dead', error: outcome.error });
        return;
      case 'undeliverable':
        await settle(options.db, message.id, owner, { status: 'undeliverable', error: outcome.error });
        return;
    }
  }

  /** Claims due rows for every channel that is not paused by a 429. */
  async function claim(limit: number): Promise<Claimed[]> {
    const now = options.clock.now();
    const elapsed = timer.nowMs();
    for (const [chat, at] of lastSentToChat) if (elapsed - at >= longestSpacingMs) lastSentToChat.delete(chat);
    const channels = [...pacers].filter(([, pacer]) => pacer.pausedUntil() <= elapsed + 1000).map(([channel]) => channel);
    const claimed = await claimDue(options.db, {
      owner,
      now,
      leaseUntil: new Date(now.getTime() + leaseMs),
      limit: Math.min(limit, claimLimit),
      channels,
    });
    return claimed.map((message) => ({ message, claimedAt: elapsed }));
  }

  /**
   * A lane: takes one chat's claimed rows at a time and sends them in order; once a chat turns
   * out to have blocked the bot, the rest of its rows are not sent. Returns when the queue is
   * empty and `keepGoing()` says so.
   */
  async function lane(queue: Queue, keepGoing: () => boolean): Promise<void> {
    for (;;) {
      const work = queue.take();
      if (!work) {
        if (!keepGoing()) return;
        // Woken by new claims, a chat freed by another lane, or stop().
        await queue.changed();
        continue;
      }
      let blocked = false;
      for (const { message, claimedAt } of work.items) {
        try {
          if (blocked) message.blocked = true;
          if ((await deliver(message, claimedAt)) === 'blocked') blocked = true;
        } catch (error) {
          // The lease will run out and another pass retries it; nothing is lost.
          log.error('delivery failed', { outboxId: message.id, error });
        }
      }
      queue.done(work.key);
    }
  }

  async function runOnce(): Promise<number> {
    const queue: Queue = createChatQueue<Claimed>(chatOf);
    const claimed = await claim(options.batchSize);
    queue.add(claimed);
    await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, () => lane(queue, () => false)));
    await flushSent();
    return claimed.length;
  }

  /**
   * The running delivery loop: lanes send continuously while a claimer keeps about one batch waiting
   * for them, claiming more as it drains, so no lane waits for the slowest row of a batch and a
   * claim query never leaves the channel idle (1,000 msg/s needs that).
   */
  async function claimLoop(queue: Queue, intervalMs: number): Promise<void> {
    while (running) {
      if (queue.waiting() >= options.batchSize) {
        await Promise.race([queue.changed(), poll(intervalMs)]);
        continue;
      }
      let claimed: Claimed[] = [];
      try {
        claimed = await claim(options.batchSize);
      } catch (error) {
        log.error('delivery claim failed', { error });
      }
      queue.add(claimed);
      if (claimed.length === 0 && running) await poll(intervalMs);
    }
  }

  return {
    runOnce,
    start(intervalMs) {
      if (running) return;
      running = true;
      const queue: Queue = createChatQueue<Claimed>(chatOf);
      live = queue;
      loops = [claimLoop(queue, intervalMs), ...Array.from({ length: concurrency }, () => lane(queue, () => running))];
    },
    async stop() {
      running = false;
      live?.wake();
      await Promise.all(loops);
      await flushSent();
      clearTimeout(flushTimer);
      flushTimer = undefined;
      if (sentIds.length > 0) log.error('sent rows not settled at stop; they will be sent again after their lease', { count: sentIds.length });
    },
  };
}

interface Claimed {
  message: ClaimedMessage;
  /** The timer's reading when it was claimed, to tell how much of its lease is left. */
  claimedAt: number;
}
type Queue = ReturnType<typeof createChatQueue<Claimed>>;
const chatOf = ({ message }: Claimed) => `${message.channel}:${message.address}`;

/** The claim loop's idle wait: how often to look for due rows, not a measure of time. */
const poll = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Hands a claimed row to its sender in the sender's terms. */
function send(sender: ChannelSender, message: ClaimedMessage): Promise<SendOutcome> {
  const { payload } = message;
  if (sender.kind === 'phone') {
    if (!('phone' in payload)) return Promise.resolve({ status: 'invalid', error: 'a chat message was queued for a phone channel' });
    return sender.send(message.address, payload.phone);
  }
  if (!('replies' in payload)) return Promise.resolve({ status: 'invalid', error: 'a phone message was queued for a chat channel' });
  return sender.send(message.address, {
    replies: payload.replies,
    kind: message.kind,
    ...(message.template ? { template: message.template } : {}),
    ...(message.citizenPhone ? { phone: message.citizenPhone } : {}),
  });
}
