import { type SQL, sql } from 'drizzle-orm';
import { channelPacing } from '../../db/schema';
import { type Database, rowsOf } from '../../db/types';
import type { Timer } from '../../lib/clock';
import type { Pacer } from '../../lib/rate-limiter';

export interface SharedPacerOptions {
  db: Database;
  /** Local time: slots are waited for on it, and a 429's pause is given on its scale. */
  timer: Timer;
  channel: string;
  /** The channel's overall rate, for all delivery loops together. */
  ratePerSecond: number;
  /** How much send time one reservation covers; smaller shares more finely, larger costs fewer queries. */
  blockMs?: number;
  /**
   * A reserved slot this late is still used; a later one is dropped. No slot is used early and
   * none later than this, so in any window of time at most rate x (window + tolerance) messages
   * go: a short burst after a stall of the event loop, which channels absorb (the fake's bucket
   * and Telegram's tolerance are about a second's worth).
   */
  lateToleranceMs?: number;
  /**
   * The timeline's "now": the database's `clock_timestamp()`, on purpose (see lib/clock.ts).
   * Tests that drive a virtual timer give an expression of the same virtual time instead.
   */
  timelineNow?: () => SQL;
}

const RESERVE_RETRY_MS = 200;
const RESERVE_PATIENCE_MS = 2_000;

/**
 * A pacer shared by every delivery loop on one database. The channel's send slots form one
 * timeline in `channel_pacing`; a delivery loop reserves the next block of slots (about `blockMs` of
 * sending) with one UPSERT and hands them out locally. Loops thus split the channel's rate
 * between them by demand: one busy loop gets all of it, two get about half each, and together
 * they never exceed it. A 429's retry_after moves the shared timeline, pausing every loop.
 *
 * Time on the timeline is the database's clock; each reservation is translated to the loop's
 * Timer with the offset seen in its answer, so clock skew between machines does not matter.
 *
 * @example
 * const pacer = createSharedPacer({ db, timer: realTimer, channel: 'telegram', ratePerSecond: 30 });
 * await pacer.wait(); // resolves at this loop's next slot
 */
export function createSharedPacer(options: SharedPacerOptions): Pacer {
  const spacing = 1000 / options.ratePerSecond;
  const block = Math.max(1, Math.round((options.ratePerSecond * (options.blockMs ?? 100)) / 1000));
  const tolerance = options.lateToleranceMs ?? 500;
  let slots: number[] = [];
  let refilling: Promise<void> | undefined;
  let paused = 0;
  let turn: Promise<unknown> = Promise.resolve();
  const { timer } = options;
  const timelineNow = options.timelineNow ?? (() => sql`clock_timestamp()`);

  async function reserve(): Promise<void> {
    const span = sql`(${block * spacing} * interval '1 millisecond')`;
    // A timeline that fell behind by less than `tolerance` (the delivery loops were slower than the
    // rate for a moment) goes on from where it was, so the time is made up instead of lost; that
    // is safe for the same reason late slots are: no send is more than `tolerance` after its
    // slot. A timeline idle for longer starts now: no burst at the start of a broadcast.
    const behind = sql`(${tolerance} * interval '1 millisecond')`;
    // The timeline's "now" is taken with the timer's reading of the same moment, before the
    // round trip: slots then stay where the timeline put them however long the answer takes (at
    // most one round trip early on the database's clock, far inside a slot's tolerance).
    const localNow = timer.nowMs();
    const now = timelineNow();
    const result = await options.db.execute(sql`
      insert into ${channelPacing} (channel, next_slot_at) values (${options.channel}, ${now} + ${span})
      on conflict (channel) do update set next_slot_at = (case when ${channelPacing.nextSlotAt} >= ${now} - ${behind}
        then ${channelPacing.nextSlotAt} else ${now} end) + ${span}
      returning extract(epoch from next_slot_at) * 1000 as next_ms, extract(epoch from ${now}) * 1000 as now_ms`);
    const [row] = rowsOf<{ next_ms: number | string; now_ms: number | string }>(result);
    if (!row) throw new Error('channel pacing reservation returned no row');
    const first = localNow + (Number(row.next_ms) - block * spacing - Number(row.now_ms));
    slots = [...slots, ...Array.from({ length: block }, (_, i) => first + i * spacing)];
  }

  function refill(): Promise<void> {
    refilling ??= reserve().finally(() => {
      refilling = undefined;
    });
    return refilling;
  }

  /**
   * A refill that rides out a blip (connections reset and reopened within a second or two)
   * instead of failing the message that waits for the slot; a longer outage still fails it.
   */
  async function refillPatiently(): Promise<void> {
    for (let waited = 0; ; waited += RESERVE_RETRY_MS) {
      try {
        return await refill();
      } catch (error) {
        if (waited >= RESERVE_PATIENCE_MS) throw error;
        await new Promise((resolve) => setTimeout(resolve, RESERVE_RETRY_MS));
      }
    }
  }

  return {
    async wait() {
      // Callers go in the order they called, one slot each: timers of nearly equal length may
      // fire out of order, and messages must not overtake each other.
      const previous = turn;
      let done: (value?: unknown) => void = () => {};
      turn = new Promise((resolve) => {
        done = resolve;
      });
      try {
        await previous;
        for (;;) {
          if (paused > timer.nowMs()) await timer.sleep(paused - timer.nowMs());
          const now = timer.nowMs();
          const earliest = Math.max(now - tolerance, paused);
          while (slots.length > 0 && (slots[0] ?? 0) < earliest) slots.shift();
          const slot = slots.shift();
          if (slot === undefined) {
            await refillPatiently();
            continue;
          }
          // Reserve the next block a whole block ahead, so a slow query never leaves lanes
          // without slots (a block that starts late is time the channel's rate is not used).
          if (slots.length < block) void refill().catch(() => {});
          if (slot > now) await timer.sleep(slot - now);
          return;
        }
      } finally {
        done();
      }
    },
    pauseUntil(until) {
      paused = Math.max(paused, until);
      slots = slots.filter((slot) => slot >= until);
      // Other delivery loops learn of the pause from the timeline; if this write fails they will be
      // told by the channel itself (their own 429), so nothing is lost by not waiting for it.
      const ahead = sql`(${Math.max(0, until - timer.nowMs())} * interval '1 millisecond')`;
      void options.db
        .execute(
          sql`update ${channelPacing} set next_slot_at = greatest(${channelPacing.nextSlotAt}, ${timelineNow()} + ${ahead})
            where channel = ${options.channel}`,
        )
        .catch(() => {});
    },
    pausedUntil() {
      return paused;
    },
  };
}
