import type { ChannelName, PhoneChannel } from '../../vocabulary/channels';
import type { PhoneMessage, TemplateData } from '../../vocabulary/messages';
import type { Reply } from '../../vocabulary/replies';

/**
 * The adapter contract. Each channel folder has the same parts, in separate files:
 * - verify: the webhook secret or signature, checked in constant time (401 when wrong);
 * - schema/normalize: the channel's event parsed with zod and mapped to an InboundEnvelope,
 *   carrying the event id so redeliveries are handled once;
 * - render: Reply values in the channel's terms and within its limits;
 * - a sender, below, for the delivery loop.
 */

/** How a send ended, in terms the delivery loop acts on. */
export type SendOutcome =
  | { status: 'sent' }
  /**
   * Try again later: rate limited (with the channel's retry-after), network or server error.
   * `maybeSent`: the request may have reached the channel (it timed out, or the connection broke
   * after it was written), so the message may have arrived; the worker tries it again at most once.
   */
  | { status: 'retry'; error: string; retryAfterMs?: number; maybeSent?: boolean }
  /** The chat blocked the bot or left: mark it blocked, stop sending to it. */
  | { status: 'blocked'; error: string }
  /** This message can never be delivered as it is (bad request, chat not found). */
  | { status: 'invalid'; error: string }
  /** The channel's rules do not allow this message now (e.g. Zalo's interaction window). */
  | { status: 'undeliverable'; error: string };

export interface OutgoingChatMessage {
  replies: Reply[];
  /** What caused it: reply, status_change, reminder, broadcast, ... */
  kind: string;
  template?: TemplateData;
  /** The citizen's verified phone, when known (for a template fallback). */
  phone?: string;
}

interface SenderPacing {
  /** Messages per second the channel accepts from us overall; the delivery loop paces sends to it. */
  ratePerSecond: number;
  /** Minimum milliseconds between two messages to the same recipient. */
  perChatIntervalMs: number;
  /** The longest a send may take before it is given up, so the worker starts none its lease cannot cover. */
  sendTimeoutMs?: number;
}

/** Sends to chats (Telegram, Zalo, web). Sends the replies in order; stops at the first failure. */
export interface ChatSender extends SenderPacing {
  kind: 'chat';
  channel: ChannelName;
  send(externalId: string, message: OutgoingChatMessage): Promise<SendOutcome>;
}

/** Sends to phone numbers (an SMS gateway, Zalo ZNS). */
export interface PhoneSender extends SenderPacing {
  kind: 'phone';
  channel: PhoneChannel;
  send(phone: string, message: PhoneMessage): Promise<SendOutcome>;
}

export type ChannelSender = ChatSender | PhoneSender;
