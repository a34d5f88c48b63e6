/**
 * Time is a dependency. Two kinds of time are injected, and nothing else in the code asks the
 * machine or the database what time it is:
 *
 * - a {@link Clock} for instants: every timestamp the code writes to the database or compares
 *   with one (outbox due times, leases, created_at, reminders, OTP expiry, quiet hours);
 * - a {@link Timer} for waiting: how long to sleep before the next send (per-chat spacing,
 *   channel pacing, a 429's retry_after) and how much of a claimed row's lease has gone by.
 *
 * Real time is used on purpose in these places only, each for its reason:
 * - here: {@link systemClock} and {@link realTimer}, which the composition roots (runtime/,
 *   scripts/) hand down;
 * - domain/messaging/pacing.ts: the shared pacing timeline lives in the database and is stepped with the
 *   database's own `clock_timestamp()`, so that workers on machines whose clocks disagree still
 *   share one timeline; each answer is translated to the worker's Timer by its offset;
 * - time budgets and durations in logs and benchmarks use `performance.now()`, which is never
 *   stored nor compared with a Clock's instant.
 * `npm run check` (scripts/check-time.ts) refuses any other reading of the machine's or the
 * database's clock.
 */
export interface Clock {
  now(): Date;
}

/** A monotonic-enough source of elapsed milliseconds and a way to wait for some of them. */
export interface Timer {
  /** Milliseconds on this timer's own scale: only differences between two readings mean anything. */
  nowMs(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = { now: () => new Date() };

export const realTimer: Timer = {
  nowMs: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
