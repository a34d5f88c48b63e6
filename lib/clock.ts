/** Time is a dependency: everything that asks "what time is it" gets a Clock, so tests can fake it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
