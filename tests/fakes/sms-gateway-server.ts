import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSmsGateway {
  url: string;
  /** Every request body received, parsed, with its headers. */
  received: { body: unknown; headers: Record<string, string | string[] | undefined> }[];
  /** What the next answers are: HTTP status, JSON body, headers. */
  answer(status: number, body: unknown, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

/** An eSMS-style SMS gateway on 127.0.0.1 that records what it is sent. Answers CodeResult 100 by default. */
export async function startFakeSmsGateway(): Promise<FakeSmsGateway> {
  const received: FakeSmsGateway['received'] = [];
  let next = { status: 200, body: { CodeResult: '100', SMSID: 'sms-1' } as unknown, headers: {} as Record<string, string> };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text
      }
      received.push({ body, headers: req.headers });
      res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      res.end(JSON.stringify(next.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/send`,
    received,
    answer(status, body, headers = {}) {
      next = { status, body, headers };
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
