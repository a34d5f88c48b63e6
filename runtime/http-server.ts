import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

/** How long the Node server waits on a client (config: HTTP_*_TIMEOUT_MS). Node's defaults are minutes. */
export interface HttpTimeouts {
  /** The request line and headers must arrive within this (slowloris). */
  headersMs: number;
  /** The whole request, body included, must arrive within this (a 20 MB scan on a slow office link needs time). */
  requestMs: number;
  /** An idle keep-alive connection is closed after this; under headersMs, as Node advises. */
  keepAliveMs: number;
}

export interface HttpServer {
  server: Server;
  port: number;
  /** Requests received and not yet answered. */
  inFlight(): number;
  /**
   * Stops accepting connections, lets the requests in flight finish and closes connections as
   * they fall idle; after `deadlineMs` it cuts whatever is left. Resolves with how many
   * requests were cut.
   */
  drain(deadlineMs: number): Promise<{ cut: number }>;
}

/**
 * The Node HTTP server of the app, with its client timeouts set explicitly (issue 14, finding
 * 13) and a drain for a clean stop (finding 11).
 *
 * @example
 * const http = await startHttpServer({ fetch: app.fetch, port: 3000, hostname: '0.0.0.0', timeouts: { headersMs: 15_000, requestMs: 120_000, keepAliveMs: 10_000 } });
 * process.on('SIGTERM', async () => { await http.drain(10_000); process.exit(0); });
 */
export async function startHttpServer(options: {
  fetch: (request: Request) => Response | Promise<Response>;
  port: number;
  hostname: string;
  timeouts: HttpTimeouts;
}): Promise<HttpServer> {
  const { timeouts } = options;
  // How often Node compares connections with the two limits: often enough that a limit is kept
  // to within a second.
  const checkEveryMs = Math.min(1_000, timeouts.headersMs);
  const { server, port } = await new Promise<{ server: Server; port: number }>((resolve) => {
    const started = serve(
      {
        fetch: options.fetch,
        port: options.port,
        hostname: options.hostname,
        serverOptions: { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: checkEveryMs },
      },
      (info: AddressInfo) => resolve({ server: started as Server, port: info.port }),
    );
  });
  server.keepAliveTimeout = timeouts.keepAliveMs;
  let inFlight = 0;
  server.on('request', (_request, response) => {
    inFlight++;
    response.once('close', () => inFlight--);
  });

  return {
    server,
    port,
    inFlight: () => inFlight,
    async drain(deadlineMs) {
      let cut = 0;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A keep-alive connection whose last request is answered is idle: close it at once, or it
      // would hold the stop for keepAliveMs.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      server.closeIdleConnections();
      const deadline = setTimeout(() => {
        cut = inFlight;
        server.closeAllConnections();
      }, deadlineMs);
      await closed;
      clearInterval(sweep);
      clearTimeout(deadline);
      return { cut };
    },
  };
}
