import type { Clock, Timer } from '../../lib/clock';

export interface FakeClock extends Clock {
  set(at: Date | string): void;
  advance(ms: number): void;
}

/**
 * Where fake clocks start unless a test says otherwise, and the time test fixtures are written
 * at. Nothing in the code under test reads the machine's clock or the database's, so a fixed
 * date here is independent of the day the suite runs.
 */
export const TEST_START = new Date('2026-11-23T01:00:00Z');

/** A clock that moves only when the test says so. */
export function createFakeClock(start: Date | string = TEST_START): FakeClock {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

export interface VirtualTimer extends Timer {
  /** Every sleep so far, in the order they ended: when it was asked for and for how long. */
  readonly slept: readonly { at: number; ms: number }[];
}

/**
 * A Timer whose time moves only by sleeping: a sleep ends at once (on the next turn of the event
 * loop), and sleeps end in the order of their deadlines, each moving the time to its deadline.
 * Waiting code (spacing, pacing, 429 pauses) then runs in no real time and its waits can be
 * asserted exactly, whatever the machine's speed.
 */
export function createVirtualTimer(startMs = 0): VirtualTimer {
  let current = startMs;
  const waiting: { until: number; resolve: () => void }[] = [];
  const slept: { at: number; ms: number }[] = [];
  let scheduled = false;
  const wakeNext = () => {
    scheduled = false;
    waiting.sort((a, b) => a.until - b.until);
    const next = waiting.shift();
    if (!next) return;
    current = Math.max(current, next.until);
    next.resolve();
    schedule();
  };
  const schedule = () => {
    if (scheduled || waiting.length === 0) return;
    scheduled = true;
    setImmediate(wakeNext);
  };
  return {
    slept,
    nowMs: () => current,
    sleep(ms) {
      slept.push({ at: current, ms });
      return new Promise<void>((resolve) => {
        waiting.push({ until: current + Math.max(0, ms), resolve });
        schedule();
      });
    },
  };
}
