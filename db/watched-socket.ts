import { connect, type Socket } from 'node:net';

/**
 * A socket factory for postgres.js (its `socket` option) whose connections are destroyed after
 * `silenceMs` without a byte either way, failing their queries with ETIMEDOUT.
 *
 * Why: in a network partition nothing answers and nothing fails. A query waits for TCP to give
 * up, which takes many minutes, and every pooled connection ends up stuck in one; statement and
 * connect timeouts do not help, the server never hears the query. Idle connections are closed
 * by postgres.js's idle_timeout before this fires, so only a connection waiting on an answer
 * is cut, and `silenceMs` must be longer than the statement timeout (a long, legitimate query
 * is silent until it ends).
 *
 * @example postgres(url, { socket: watchedSocket(20_000), idle_timeout: 10, connection: { statement_timeout: 15_000 } })
 */
export function watchedSocket(silenceMs: number) {
  // postgres.js calls this with its parsed options; it writes the start-up message at once,
  // which the socket holds until it is connected. Errors and close reach postgres.js as usual.
  return (options: { host: string[]; port: number[] }): Socket => {
    const socket = connect(options.port[0] ?? 5432, options.host[0] ?? 'localhost');
    socket.setTimeout(silenceMs, () => {
      socket.destroy(Object.assign(new Error(`no answer from the database for ${silenceMs} ms`), { code: 'ETIMEDOUT' }));
    });
    return socket;
  };
}
