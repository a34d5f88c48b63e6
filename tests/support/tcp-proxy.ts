import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';

/**
 * What the proxy does to traffic:
 * - `pass`: forwards both ways;
 * - `reset`: resets every open connection (TCP RST) and every new one as soon as it arrives,
 *   as a database restart or a failing network device does;
 * - `blackhole`: forwards nothing and answers nothing, on open and new connections alike (a
 *   network partition); a connection that lost bytes this way stays dead after `pass` returns;
 * - `slow`: forwards each chunk after `delayMs`, in order.
 */
export type ProxyMode = 'pass' | 'reset' | 'blackhole' | 'slow';

export interface TcpProxy {
  port: number;
  /** `url` with its host and port pointed at the proxy. */
  urlFor(url: string): string;
  setMode(mode: ProxyMode, options?: { delayMs?: number }): void;
  /** Counts since start: connections accepted, connections reset by the proxy. */
  stats(): { connections: number; resets: number };
  close(): Promise<void>;
}

interface Link {
  client: Socket;
  upstream: Socket | undefined;
  /** Bytes were dropped: the protocol stream is broken for good. */
  dead: boolean;
  /** The chain that keeps slowed chunks in order, and how many wait in it. */
  queue: Promise<void>;
  backlog: number;
}

/**
 * A TCP proxy for fault tests, on 127.0.0.1 and a free port, in front of `target`. The test
 * switches its mode to inject database outages over a real socket, so the driver's own timeouts,
 * reconnects and backoff are what is tested.
 *
 * @example
 * const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
 * const db = await openDatabase({ url: proxy.urlFor(databaseUrl) });
 * proxy.setMode('reset'); // every connection cut, new ones refused by RST
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = 'pass';
  let delayMs = 0;
  const links = new Set<Link>();
  const counts = { connections: 0, resets: 0 };

  const reset = (link: Link) => {
    counts.resets++;
    link.client.resetAndDestroy();
    link.upstream?.destroy();
    links.delete(link);
  };

  /** Forwards one chunk according to the mode at the time it arrives. */
  const forward = (link: Link, to: () => Socket | undefined, chunk: Buffer) => {
    if (link.dead || mode === 'blackhole') {
      link.dead = true;
      return;
    }
    // Chunks still held back by `slow` go first, so nothing overtakes them when it ends.
    if (mode !== 'slow' && link.backlog === 0) {
      to()?.write(chunk);
      return;
    }
    const wait = mode === 'slow' ? delayMs : 0;
    link.backlog++;
    link.queue = link.queue.then(
      () =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            link.backlog--;
            if (!link.dead) to()?.write(chunk);
            resolve();
          }, wait),
        ),
    );
  };

  const server: Server = createServer((client) => {
    counts.connections++;
    const link: Link = { client, upstream: undefined, dead: mode === 'blackhole', queue: Promise.resolve(), backlog: 0 };
    links.add(link);
    client.on('error', () => {});
    client.on('close', () => {
      link.upstream?.destroy();
      links.delete(link);
    });
    if (mode === 'reset') {
      reset(link);
      return;
    }
    client.on('data', (chunk) => forward(link, () => link.upstream, chunk));
    if (link.dead) return;
    const upstream = tcpConnect(target.port, target.host);
    link.upstream = upstream;
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    upstream.on('data', (chunk) => forward(link, () => client, chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');

  return {
    port: address.port,
    urlFor(url) {
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(address.port);
      return proxied.toString();
    },
    setMode(next, options = {}) {
      mode = next;
      delayMs = options.delayMs ?? 0;
      if (next === 'reset') for (const link of [...links]) reset(link);
    },
    stats: () => ({ ...counts }),
    async close() {
      for (const link of links) {
        link.client.destroy();
        link.upstream?.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
