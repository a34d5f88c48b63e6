import type { Database } from '../../../db/types';
import { findIdentity } from '../../../domain/messaging/conversations';
import type { ChatSender, OutgoingChatMessage, SendOutcome } from '../../../domain/messaging/senders';
import type { Clock } from '../../../lib/clock';
import { isWindowClosed, outcomeOf } from './errors';
import { HARD_WINDOW_MS, PER_USER_INTERVAL_MS, SEND_RATE_PER_SECOND } from './protocol';
import { type RenderOptions, renderReplies } from './render';
import { sendTemplate, trackingId, type ZnsDeps } from './zns';

export interface ZaloSenderDeps extends ZnsDeps {
  db: Database;
  clock: Clock;
  /**
   * How long after the user's last message the OA sends proactive customer-service messages
   * (ZALO_CS_WINDOW_HOURS; 48 h is Zalo's free window, 7 days its hard limit).
   */
  csWindowMs: number;
  render?: RenderOptions;
}

/** Where a proactive message may go, given the user's last interaction. */
export type Route = { via: 'cs' } | { via: 'fallback'; reason: string };

/**
 * Zalo's rule for messaging a user first: customer-service messages only within the window after
 * their last interaction (never past Zalo's 7 days). Replies to what the citizen just wrote always
 * go as customer-service messages.
 */
export function chooseRoute(kind: string, lastSeenAt: Date | null, now: Date, csWindowMs: number): Route {
  if (kind === 'reply') return { via: 'cs' };
  if (!lastSeenAt) return { via: 'fallback', reason: 'the user has never written to the OA' };
  const window = Math.min(csWindowMs, HARD_WINDOW_MS);
  const idle = now.getTime() - lastSeenAt.getTime();
  if (idle <= window) return { via: 'cs' };
  return { via: 'fallback', reason: `outside Zalo's ${Math.round(window / 3_600_000)} h window (last interaction ${Math.floor(idle / 3_600_000)} h ago)` };
}

/**
 * The delivery loop's Zalo sender. Replies and in-window notices go as customer-service
 * messages to the user; a notice outside the window goes as a ZNS template to the citizen's
 * verified phone when a template is configured for its kind, and is otherwise undeliverable
 * with the reason (counted in the broadcast and reminder reports).
 *
 * @example
 * const sender = createZaloSender({ db, clock, client, tokens, templates, development: false, csWindowMs: 48 * 3_600_000, logger });
 * await sender.send('2468458835296979', { kind: 'reminder_appointment', replies, template, phone: '+84912345678' });
 */
export function createZaloSender(deps: ZaloSenderDeps): ChatSender {
  async function fallback(externalId: string, message: OutgoingChatMessage, reason: string): Promise<SendOutcome> {
    const { template, phone } = message;
    if (!template) return { status: 'undeliverable', error: `${reason}; the message has no ZNS template form` };
    if (!deps.templates[template.kind]) return { status: 'undeliverable', error: `${reason}; no ZNS template configured for "${template.kind}"` };
    if (!phone) return { status: 'undeliverable', error: `${reason}; the chat has no verified phone for ZNS` };
    const key = trackingId('chat', externalId, message.kind, template.kind, JSON.stringify(template.params));
    return sendTemplate(deps, phone, template, key);
  }

  return {
    kind: 'chat',
    channel: 'zalo',
    ratePerSecond: SEND_RATE_PER_SECOND,
    perChatIntervalMs: PER_USER_INTERVAL_MS,
    async send(externalId, message) {
      if (message.kind !== 'reply') {
        const identity = await findIdentity(deps.db, 'zalo', externalId);
        const route = chooseRoute(message.kind, identity?.lastSeenAt ?? null, deps.clock.now(), deps.csWindowMs);
        if (route.via === 'fallback') return fallback(externalId, message, route.reason);
      }
      try {
        for (const zaloMessage of renderReplies(message.replies, deps.render)) {
          await deps.tokens.withToken((token) => deps.client.sendMessage(token, externalId, zaloMessage));
        }
        return { status: 'sent' };
      } catch (error) {
        // Our record of the last interaction can be behind Zalo's; its refusal is the final word.
        if (isWindowClosed(error)) return fallback(externalId, message, 'Zalo refused: interaction window closed');
        return outcomeOf(error);
      }
    },
  };
}
