import type { ChannelName, Reply } from '../core/types';

/**
 * The adapter contract. Each channel folder has the same parts, in separate files:
 * - verify: the webhook secret or signature, checked in constant time (401 when wrong);
 * - schema/normalize: the channel's event parsed with zod and mapped to an InboundEnvelope,
 *   carrying the event id so redeliveries are handled once;
 * - render: Reply values in the channel's terms and within its limits;
 * - a sender, below, for the delivery worker.
 */

/** How a send ended, in terms the delivery worker acts on. */
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

/**
 * The structured form of a notification, for channels that can only send pre-approved
 * templates (Zalo ZNS). `kind` names the template in configuration; `params` fill it.
 */
export interface TemplateData {
  kind: string;
  params: Record<string, string>;
}

/** Messages addressed to a phone number rather than a chat (SMS, ZNS). */
export const PHONE_CHANNELS = ['sms', 'zns'] as const;
export type PhoneChannel = (typeof PHONE_CHANNELS)[number];
export type DeliveryChannel = ChannelName | PhoneChannel;

/** What a phone-addressed outbox row carries. */
export type PhoneMessage =
  /** A one-time code, sealed (encrypted) so the outbox never holds it in clear text. */
  | { purpose: 'otp'; sealedCode: string; ttlMinutes: number }
  | { purpose: 'notification'; text: string; template?: TemplateData }
  /** What a sent or dead OTP row keeps: nothing. */
  | { purpose: 'scrubbed' };

export interface OutgoingChatMessage {
  replies: Reply[];
  /** What caused it: reply, status_change, reminder, broadcast, ... */
  kind: string;
  template?: TemplateData;
  /** The citizen's verified phone, when known (for a template fallback). */
  phone?: string;
}

interface SenderPacing {
  /** Messages per second the channel accepts from us overall; the worker paces sends to it. */
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
