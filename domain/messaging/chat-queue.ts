/**
 * Claimed messages waiting for a delivery lane. One chat's messages go one after another (in
 * claim order, and never two at once), different chats side by side. New claims may be added
 * while lanes work, so a delivery loop keeps its lanes busy without waiting for a batch to finish.
 *
 * @example
 * const queue = createChatQueue<Row>((row) => row.chat);
 * queue.add(rows);
 * const work = queue.take(); // { key, items } of one chat, or undefined
 * // ... send work.items in order, then:
 * queue.done(work.key);
 */
export function createChatQueue<T>(keyOf: (item: T) => string) {
  const waiting = new Map<string, T[]>();
  /** Chats with waiting items and no lane on them, oldest first. */
  const ready: string[] = [];
  const active = new Set<string>();
  let count = 0;
  let wakers: (() => void)[] = [];

  function wake(): void {
    const now = wakers;
    wakers = [];
    for (const resolve of now) resolve();
  }

  return {
    add(items: T[]): void {
      for (const item of items) {
        const key = keyOf(item);
        let list = waiting.get(key);
        if (!list) {
          list = [];
          waiting.set(key, list);
          if (!active.has(key)) ready.push(key);
        }
        list.push(item);
        count++;
      }
      if (items.length > 0) wake();
    },
    /** The next chat no lane is working on, with all its waiting items. */
    take(): { key: string; items: T[] } | undefined {
      const key = ready.shift();
      if (key === undefined) return undefined;
      const items = waiting.get(key) ?? [];
      waiting.delete(key);
      active.add(key);
      count -= items.length;
      wake();
      return { key, items };
    },
    /** A lane finished a chat; items added for it meanwhile become ready. */
    done(key: string): void {
      active.delete(key);
      if (waiting.has(key)) ready.push(key);
      wake();
    },
    /** Items not yet taken by a lane. */
    waiting: (): number => count,
    /** Wakes everyone waiting in changed() (a delivery loop stopping). */
    wake,
    /** Resolves at the next add, take, done or wake. */
    changed(): Promise<void> {
      return new Promise((resolve) => wakers.push(resolve));
    },
  };
}
