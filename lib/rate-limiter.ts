import type { Timer } from './clock';

/**
 * Paces work to `perSecond` events per second by handing out send slots. Slots are reserved
 * in order, so concurrent callers never burst above the rate.
 */
export function createPacer(perSecond: number, timer: Timer) {
  const spacing = 1000 / perSecond;
  let next = 0;
  return {
    /** Resolves when the caller may go. */
    async wait(): Promise<void> {
      const t = timer.nowMs();
      const slot = Math.max(t, next);
      next = slot + spacing;
      const delay = slot - t;
      if (delay > 0) await timer.sleep(delay);
    },
    /** Pushes every future slot past `until` (the channel answered 429 with retry_after), on the timer's scale. */
    pauseUntil(until: number): void {
      next = Math.max(next, until);
    },
    pausedUntil(): number {
      return next;
    },
  };
}
export type Pacer = ReturnType<typeof createPacer>;
