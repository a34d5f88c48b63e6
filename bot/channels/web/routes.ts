import { type Context, Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Database } from '../../../db/types';
import { takeWebInbox } from '../../../domain/messaging/web-inbox';
import { clientAddress } from '../../../http/client-address';
import { apiError, parseJsonBody } from '../../../http/errors';
import type { Clock } from '../../../lib/clock';
import { randomToken, sha256Hex } from '../../../lib/crypto';
import { type Dialog, DialogUnavailable } from '../../core/dialog';
import type { Inbound } from '../../core/types';
import { renderChatPage } from './page';
import { type WebMessage, webMessageSchema } from './schema';

const COOKIE = 'mc_chat';
const SESSION_PATTERN = /^[A-Za-z0-9_-]{32}$/;

export interface WebChatDeps {
  db: Database;
  clock: Clock;
  dialog: Dialog;
  /** Marks the session cookie Secure when the service is served over https. */
  secureCookies: boolean;
}

function toInbound(message: WebMessage): Inbound {
  if (message.action !== undefined) return { kind: 'action', action: message.action };
  if (message.start !== undefined) return { kind: 'start', ...(message.start ? { payload: message.start } : {}) };
  return { kind: 'text', text: message.text ?? '' };
}

/**
 * The web chat: the page at `/` and its JSON endpoint. A session is a random cookie; the
 * database stores only its hash as the chat id, so a leaked database row cannot take a session.
 */
export function createWebChatRoutes(deps: WebChatDeps): Hono {
  const app = new Hono();

  const session = (c: Context): string => {
    let token = getCookie(c, COOKIE);
    if (!token || !SESSION_PATTERN.test(token)) {
      token = randomToken(24);
      setCookie(c, COOKIE, token, { httpOnly: true, sameSite: 'Lax', secure: deps.secureCookies, path: '/', maxAge: 60 * 60 * 24 * 180 });
    }
    return sha256Hex(token);
  };

  app.get('/', (c) => c.html(renderChatPage()));

  app.post('/chat/messages', async (c) => {
    const read = await parseJsonBody(c, () => c.req.json(), webMessageSchema, 'invalid_message');
    if (!read.ok) return read.answer;
    const message = read.value;
    const externalId = session(c);
    let replies: Awaited<ReturnType<Dialog['handle']>>;
    try {
      replies = await deps.dialog.handle({
        channel: 'web',
        externalId,
        origin: clientAddress(c),
        ...(message.id ? { updateId: `${externalId.slice(0, 16)}:${message.id}` } : {}),
        message: toInbound(message),
      });
    } catch (error) {
      // Nothing was recorded: the page sends the same message (same id) again after a pause.
      if (error instanceof DialogUnavailable) return apiError(c, 503, 'unavailable', 'Hệ thống đang bận, xin vui lòng thử lại. (Please try again.)');
      throw error;
    }
    return c.json({ replies: replies ?? [], duplicate: replies === null });
  });

  /** Proactive messages (status changes, reminders) waiting for this session. */
  app.get('/chat/updates', async (c) => {
    const externalId = session(c);
    return c.json({ replies: await takeWebInbox(deps.db, externalId, deps.clock.now()) });
  });

  return app;
}
