import type { Context } from 'hono';
import { z } from 'zod';

const nodeEnv = z.object({ incoming: z.object({ socket: z.object({ remoteAddress: z.string() }) }) });
const LOOPBACK = ['127.0.0.1', '::1', '::ffff:127.0.0.1'];

/**
 * The caller's address, for throttling sign-ins per address. Cloudflare's header on Workers;
 * on Node the socket's address, or the last X-Forwarded-For hop when a proxy on the same
 * machine forwards (a client-sent header is not trusted otherwise).
 */
export function clientAddress(c: Context): string {
  const cloudflare = c.req.header('cf-connecting-ip');
  if (cloudflare) return cloudflare;
  const node = nodeEnv.safeParse(c.env);
  const socket = node.success ? node.data.incoming.socket.remoteAddress : undefined;
  const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
  if (forwarded && (socket === undefined || LOOPBACK.includes(socket))) return forwarded;
  return socket ?? 'unknown';
}
