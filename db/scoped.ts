import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database } from './types';

export interface ScopedDatabase {
  /** Stands for the database of the work running now (`run`); used outside any, it throws. */
  db: Database;
  /** Runs `work` (and everything it starts) against `db`. */
  run<T>(db: Database, work: () => Promise<T>): Promise<T>;
}

/**
 * A database that is each request's own while the app around it is built once.
 *
 * Why: Workers refuse I/O on an object made in another request ("Cannot perform I/O on behalf of
 * a different request"), so every request and cron run opens its own client (db/hyperdrive.ts).
 * Assembling the whole app per request would rebuild the procedure index and the translators
 * each time (runtime/worker.ts has the figures); instead the app is assembled once per isolate
 * with this stand-in, which hands every call (`db.select()`, `db.transaction()`, `db.$client`)
 * to the client of the request it runs in, found through AsyncLocalStorage (nodejs_compat).
 *
 * @example
 * const scoped = createScopedDatabase();
 * const assistant = await assemble({ ...deps, db: scoped.db });
 * const res = await scoped.run(openRequestDatabase(url).db, () => assistant.app.fetch(request));
 */
export function createScopedDatabase(): ScopedDatabase {
  const current = new AsyncLocalStorage<Database>();
  const resolve = (): Database => {
    const db = current.getStore();
    if (!db) throw new Error('no database here: database work must run inside ScopedDatabase.run');
    return db;
  };
  const db = new Proxy({} as Database, {
    get(_target, property) {
      const real = resolve();
      const value: unknown = Reflect.get(real, property, real);
      // drizzle's methods (select, transaction, execute) read `this`; an own property that is a
      // function ($client, postgres.js's sql) is handed over as it is, with its own properties.
      return typeof value === 'function' && !Object.hasOwn(real, property) ? value.bind(real) : value;
    },
    has: (_target, property) => Reflect.has(resolve(), property),
  });
  return { db, run: (db, work) => current.run(db, work) };
}
