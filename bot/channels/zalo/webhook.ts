import { Hono } from 'hono';
import type { ChannelEvents } from '../../../domain/messaging/channel-events';
import { apiError, fieldIssue, parseJsonBody } from '../../../http/errors';
import type { Clock } from '../../../lib/clock';
import type { Logger } from '../../../lib/logger';
import { isTransient } from '../../../lib/transient';
import { type Dialog, DialogUnavailable } from '../../core/dialog';
import { normalizeEvent } from './normalize';
import { SIGNATURE_HEADER } from './protocol';
import { envelopeSchema } from './schema';
import { freshness, signatureMatches, zaloSignature } from './verify';

export interface ZaloWebhookDeps {
  clock: Clock;
  logger: Logger;
  dialog: Dialog;
  /** What the events do to the data: a chat that left, replies queued for the delivery loop. */
  events: ChannelEvents;
  appId: string;
  oaSecretKey: string;
  /** Events older than this are refused (ZALO_WEBHOOK_MAX_AGE_SECONDS). */
  maxAgeMs: number;
  /** Events dated this far ahead of our clock are refused too. */
  maxSkewMs?: number;
}

const DEFAULT_MAX_SKEW_MS = 5 * 60_000;

/**
 * POST / (mounted at /webhooks/zalo). In order: the raw body is read once; not JSON -> 400; no
 * event_name or timestamp -> 400; a signature that does not match Zalo's formula over the exact
 * raw body -> 401; a timestamp outside the window -> 401; then the event is handled and answered
 * 200, including events we do not handle (logged), so Zalo never retries or disables us for them.
 *
 * Zalo wants the 200 within 2 s. The dialog runs inline (database work only, milliseconds), and
 * the replies go to the outbox (priority `reply`) for the delivery loop to send: a slow Zalo
 * API, a token refresh or a rate-limit pause never holds the webhook, and a reply that cannot be
 * sent yet waits in the outbox instead of being lost.
 *
 * An event that could not be handled because the database failed is answered 503 with its id
 * not recorded (forgotten again if the failure came after the dialog recorded it), so a
 * redelivery from Zalo is handled rather than dropped as a duplicate.
 */
export function createZaloWebhookRoutes(deps: ZaloWebhookDeps): Hono {
  const app = new Hono();
  const log = deps.logger.child({ channel: 'zalo' });

  app.onError((error, c) => {
    if (!(error instanceof DialogUnavailable) && !isTransient(error)) throw error;
    log.warn('zalo event not handled now; asking for redelivery', { error });
    return apiError(c, 503, 'unavailable', 'The event could not be handled now; it will be accepted when delivered again.');
  });

  app.post('/', async (c) => {
    const raw = await c.req.text();
    const envelope = await parseJsonBody(c, () => JSON.parse(raw), envelopeSchema, 'invalid_event', fieldIssue);
    if (!envelope.ok) return envelope.answer;
    const { timestamp, event_name: eventName } = envelope.value;
    if (!signatureMatches(c.req.header(SIGNATURE_HEADER), zaloSignature(deps.appId, raw, timestamp, deps.oaSecretKey))) {
      log.warn('zalo webhook signature mismatch', { eventName });
      return apiError(c, 401, 'unauthorized', `Missing or wrong ${SIGNATURE_HEADER} header.`);
    }
    const now = deps.clock.now();
    const age = freshness(Number(timestamp), now, deps.maxAgeMs, deps.maxSkewMs ?? DEFAULT_MAX_SKEW_MS);
    if (age !== 'fresh') {
      log.warn('zalo webhook event outside the time window', { eventName, timestamp, age });
      return apiError(c, 401, 'stale_event', `The event timestamp is ${age === 'stale' ? 'too old' : 'in the future'}.`);
    }

    const event = normalizeEvent(envelope.value, envelope.json);
    switch (event.type) {
      case 'ignored':
        log.info('zalo event acknowledged, not handled', { eventName: event.eventName, reason: event.reason });
        return c.json({ ok: true });
      case 'unfollow': {
        await deps.events.chatLeft('zalo', event.updateId, event.userId);
        return c.json({ ok: true });
      }
      case 'dialog': {
        const inbound = event.envelope;
        const replies = await deps.dialog.handle(inbound);
        if (replies === null) return c.json({ ok: true, duplicate: true });
        await deps.events.queueReplies('zalo', inbound.externalId, inbound.updateId, replies);
        return c.json({ ok: true });
      }
    }
  });
  return app;
}
