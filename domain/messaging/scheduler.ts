import type { Database } from '../../db/types';
import type { Clock } from '../../lib/clock';
import type { Logger } from '../../lib/logger';
import { advanceBroadcasts, type BroadcastRenderer } from '../outreach/broadcasts';
import { fireDueReminders, type ReminderRenderer } from '../outreach/reminders';
import type { DeliveryLoop } from './delivery-loop';

export interface SchedulerDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  renderReminder: ReminderRenderer;
  renderBroadcast: BroadcastRenderer;
}

export interface Scheduler {
  /** Fires due reminders and advances due broadcasts; resolves with how much it did. */
  runOnce(): Promise<number>;
}

/**
 * The planning side of proactive messages. Reminders wait in their own table and broadcasts as
 * scheduled rows; this pass turns the due ones into outbox rows (reminders for the chats that
 * match when they fire, broadcasts in chunks). It needs no cron: every delivery process runs it,
 * and row locks (SKIP LOCKED) plus dedupe keys make several running at once safe.
 */
export function createScheduler(deps: SchedulerDeps): Scheduler {
  return {
    async runOnce() {
      const now = deps.clock.now();
      let done = 0;
      for (let fired = -1; fired !== 0; ) {
        fired = await fireDueReminders(deps.db, deps.renderReminder, now);
        done += fired;
      }
      done += await advanceBroadcasts(deps.db, deps.renderBroadcast, now);
      return done;
    },
  };
}

/** How often a running process looks for due reminders and broadcasts. */
const SCHEDULER_INTERVAL_MS = 1_000;

/**
 * The delivery loop with the scheduler beside it, behind the same interface, so each runtime
 * starts one thing: runOnce() plans then delivers (what tests step through with a fake clock);
 * start() runs the scheduler every second next to the delivery loop.
 */
export function withScheduler(delivery: DeliveryLoop, scheduler: Scheduler, logger: Logger): DeliveryLoop {
  const log = logger.child({ component: 'scheduler' });
  let running = false;
  let loop: Promise<void> | undefined;
  return {
    async runOnce() {
      await scheduler.runOnce();
      return delivery.runOnce();
    },
    start(intervalMs) {
      if (running) return;
      running = true;
      delivery.start(intervalMs);
      loop = (async () => {
        while (running) {
          try {
            await scheduler.runOnce();
          } catch (error) {
            log.error('scheduler pass failed', { error });
          }
          if (running) await new Promise((resolve) => setTimeout(resolve, Math.max(intervalMs, SCHEDULER_INTERVAL_MS)));
        }
      })();
    },
    async stop() {
      running = false;
      await Promise.all([loop, delivery.stop()]);
    },
  };
}
