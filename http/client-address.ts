import type { Context } from 'hono';
import { z } from 'zod';

const nodeEnv = z.object({ incoming: z.object({ socket: z.object({ remoteAddress: z.string() }) }) });
const LOOPBACK = ['127.0.0.1', '::1', '::ffff:127.0.0.1'];

/**
 * The caller's address, for throttling sign-ins and guesses per address. Cloudflare's header on
 * Workers; on Node the socket's address, or the last X-Forwarded-For hop when a proxy on the same
 * machine forwards. A client-sent header is not trusted otherwise: on Node a request could name
 * any cf-connecting-ip and start every guess from a new address.
 */
export function clientAddress(c: Context): string {
  const node = nodeEnv.safeParse(c.env);
  const socket = node.success ? node.data.incoming.socket.remoteAddress : undefined;
  const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
  if (socket === undefined) return c.req.header('cf-connecting-ip') ?? forwarded ?? 'unknown';
  // Only a proxy on this machine may say whom it forwards for.
  return forwarded && LOOPBACK.includes(socket) ? forwarded : socket;
}
