import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../http/client-address';

const app = new Hono().get('/', (c) => c.text(clientAddress(c)));
const nodeEnv = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });
const from = async (headers: Record<string, string>, env?: object) => (await app.request('/', { headers }, env)).text();

describe('the caller address used for limits per address', () => {
  it("on Node takes the socket's address, whatever headers a client sends", async () => {
    expect(await from({ 'cf-connecting-ip': '198.51.100.1', 'x-forwarded-for': '198.51.100.2' }, nodeEnv('203.0.113.9'))).toBe('203.0.113.9');
  });

  it('on Node believes X-Forwarded-For only from a proxy on the same machine', async () => {
    expect(await from({ 'cf-connecting-ip': '198.51.100.1', 'x-forwarded-for': '10.0.0.1, 198.51.100.2' }, nodeEnv('127.0.0.1'))).toBe('198.51.100.2');
  });

  it("on Workers (no socket) takes Cloudflare's header", async () => {
    expect(await from({ 'cf-connecting-ip': '198.51.100.1' })).toBe('198.51.100.1');
  });
});
