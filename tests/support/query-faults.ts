import type { Database } from '../../db/types';

type Run = (text: string, ...rest: unknown[]) => Promise<unknown>;

export interface QueryFaults {
  /** The next `times` statements whose SQL matches fail as if the connection had been reset. */
  failNext(match: RegExp, times?: number): void;
  /** How many planned failures have not happened yet. */
  pending(): number;
}

/**
 * Makes chosen statements fail the way a database outage makes them fail (ECONNRESET), on
 * PGlite and postgres.js alike, without a network: for tests of what the app does about it.
 * The fault suite (tests/integration/faults.test.ts) does the same over a real socket.
 *
 * @example
 * const faults = injectQueryFaults(db);
 * faults.failNext(/insert into processed_updates/);
 */
export function injectQueryFaults(db: Database): QueryFaults {
  const client = (db as unknown as { $client: Record<string, Run> }).$client;
  const planned: { match: RegExp; left: number }[] = [];
  // drizzle calls PGlite's query() and postgres.js's unsafe(); each gets the statement text first.
  for (const method of ['query', 'unsafe'] as const) {
    const original = client[method];
    if (typeof original !== 'function') continue;
    client[method] = (text: string, ...rest: unknown[]) => {
      const fault = planned.find((p) => p.left > 0 && p.match.test(text));
      if (!fault) return original.call(client, text, ...rest);
      fault.left--;
      const failed = Promise.reject(Object.assign(new Error('read ECONNRESET (injected)'), { code: 'ECONNRESET' }));
      // postgres.js hands back a query object that drizzle may ask for `.values()`.
      return Object.assign(failed, { values: () => failed });
    };
  }
  return {
    failNext(match, times = 1) {
      planned.push({ match, left: times });
    },
    pending: () => planned.reduce((sum, p) => sum + p.left, 0),
  };
}
