import { describe, expect, it } from 'vitest';
import { startHttpServer } from '../../runtime/http-server';
import { waitFor } from '../support/processes';

/**
 * The Node server (runtime/http-server.ts) on a real socket. Issue 14, finding 11: a stop cut the
 * requests in flight; finding 13: Node's client timeouts were left at their defaults (minutes).
 */
const TIMEOUTS = { headersMs: 15_000, requestMs: 120_000, keepAliveMs: 10_000 };

describe('Node HTTP server', () => {
  it('drains: refuses new connections, answers the requests in flight, then resolves', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const http = await startHttpServer({
      fetch: async () => {
        await gate;
        return new Response('done');
      },
      port: 0,
      hostname: '127.0.0.1',
      timeouts: TIMEOUTS,
    });
    const url = `http://127.0.0.1:${http.port}/`;
    const answers = Array.from({ length: 5 }, () => fetch(url).then(async (res) => `${res.status} ${await res.text()}`));
    await waitFor(async () => http.inFlight() === 5, 10_000);

    const drained = http.drain(10_000);
    await expect(fetch(url)).rejects.toThrow();
    release();
    expect(await Promise.all(answers)).toEqual(Array(5).fill('200 done'));
    expect(await drained).toEqual({ cut: 0 });
  });

  it('cuts the requests still running at the deadline, and says how many', async () => {
    const http = await startHttpServer({ fetch: () => new Promise<Response>(() => {}), port: 0, hostname: '127.0.0.1', timeouts: TIMEOUTS });
    const answer = fetch(`http://127.0.0.1:${http.port}/`).then(
      () => 'answered',
      () => 'cut',
    );
    await waitFor(async () => http.inFlight() === 1, 10_000);
    expect(await http.drain(200)).toEqual({ cut: 1 });
    expect(await answer).toBe('cut');
  });

  it('sets its client timeouts explicitly', async () => {
    const http = await startHttpServer({ fetch: () => new Response('ok'), port: 0, hostname: '127.0.0.1', timeouts: TIMEOUTS });
    expect({ headersMs: http.server.headersTimeout, requestMs: http.server.requestTimeout, keepAliveMs: http.server.keepAliveTimeout }).toEqual(TIMEOUTS);
    await http.drain(1_000);
  });
});
