/** The chat channels the assistant talks on. */
export const CHANNELS = ['telegram', 'zalo', 'web', 'cli'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/**
 * What a chat channel can show besides text and action buttons. Flows word their texts by these
 * capabilities ("or press the share button" only where there is one), never by channel name.
 */
export interface ChannelCapabilities {
  /** A one-tap way to share the citizen's phone number, rendered from Reply.requestContact. */
  contactButton: boolean;
}

export const CHANNEL_CAPABILITIES: Record<ChannelName, ChannelCapabilities> = {
  // A reply keyboard button with request_contact (bot/channels/telegram/render.ts).
  telegram: { contactButton: true },
  // The request_user_info card (bot/channels/zalo/render.ts).
  zalo: { contactButton: true },
  // The web chat and the terminal show text and buttons only.
  web: { contactButton: false },
  cli: { contactButton: false },
};

/** Channels that address a phone number rather than a chat (an SMS gateway, Zalo ZNS). */
export const PHONE_CHANNELS = ['sms', 'zns'] as const;
export type PhoneChannel = (typeof PHONE_CHANNELS)[number];

/** Every channel the outbox delivers to. */
export type DeliveryChannel = ChannelName | PhoneChannel;
