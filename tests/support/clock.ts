import type { Clock } from '../../lib/clock';

export interface FakeClock extends Clock {
  set(at: Date | string): void;
  advance(ms: number): void;
}

/** A clock that moves only when the test says so. */
export function createFakeClock(start: Date | string = '2026-11-23T01:00:00Z'): FakeClock {
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
