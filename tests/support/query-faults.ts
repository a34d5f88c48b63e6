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
  const planned: { match: RegExp; left: number }[] = [];
  interceptStatements(db, (text) => {
    const fault = planned.find((p) => p.left > 0 && p.match.test(text));
    if (!fault) return undefined;
    fault.left--;
    const failed = Promise.reject(Object.assign(new Error('read ECONNRESET (injected)'), { code: 'ECONNRESET' }));
    // postgres.js hands back a query object that drizzle may ask for `.values()`.
    return Object.assign(failed, { values: () => failed });
  });
  return {
    failNext(match, times = 1) {
      planned.push({ match, left: times });
    },
    pending: () => planned.reduce((sum, p) => sum + p.left, 0),
  };
}

/**
 * Records the text of every statement sent outside a transaction, on PGlite and postgres.js alike:
 * for tests that hold a path to its number of round trips.
 *
 * @example
 * const sent = recordStatements(db);
 * await dialog.handle(envelope);
 * expect(sent.take()).toHaveLength(1);
 */
export function recordStatements(db: Database): { take(): string[] } {
  let sent: string[] = [];
  interceptStatements(db, (text) => {
    sent.push(text);
    return undefined;
  });
  return {
    take() {
      const taken = sent;
      sent = [];
      return taken;
    },
  };
}

/**
 * Gives every statement's text to `hook` before it is sent; a value the hook returns is answered
 * instead of sending it. drizzle calls PGlite's query() and postgres.js's unsafe(); each gets the
 * statement text first (db/statement.ts calls the same).
 */
function interceptStatements(db: Database, hook: (text: string) => Promise<unknown> | undefined): void {
  const client = (db as unknown as { $client: Record<string, Run> }).$client;
  for (const method of ['query', 'unsafe'] as const) {
    const original = client[method];
    if (typeof original !== 'function') continue;
    client[method] = (text: string, ...rest: unknown[]) => hook(text) ?? original.call(client, text, ...rest);
  }
}
