/**
 * Paces work to `perSecond` events per second by handing out send slots. Slots are reserved
 * in order, so concurrent callers never burst above the rate.
 */
export function createPacer(perSecond: number, now: () => number = Date.now) {
  const spacing = 1000 / perSecond;
  let next = 0;
  return {
    /** Resolves when the caller may go. */
    async wait(): Promise<void> {
      const t = now();
      const slot = Math.max(t, next);
      next = slot + spacing;
      const delay = slot - t;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    },
    /** Pushes every future slot past `until` (the channel answered 429 with retry_after). */
    pauseUntil(until: number): void {
      next = Math.max(next, until);
    },
    pausedUntil(): number {
      return next;
    },
  };
}
export type Pacer = ReturnType<typeof createPacer>;
