/** The chat channels the assistant talks on. */
export const CHANNELS = ['telegram', 'zalo', 'web', 'cli'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** Channels that address a phone number rather than a chat (an SMS gateway, Zalo ZNS). */
export const PHONE_CHANNELS = ['sms', 'zns'] as const;
export type PhoneChannel = (typeof PHONE_CHANNELS)[number];

/** Every channel the outbox delivers to. */
export type DeliveryChannel = ChannelName | PhoneChannel;
