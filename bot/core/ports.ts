import type { ChannelName, ChatIdentity, DialogState, Locale } from './types';

/** Where the dialog keeps chats, their state and the events already handled (the database). */
export interface ConversationStore {
  /** Records an event id; resolves false when it was handled before (a redelivery). */
  markProcessed(channel: ChannelName, updateId: string): Promise<boolean>;
  /** Finds or creates the chat and returns it with its stored dialog state. */
  open(channel: ChannelName, externalId: string, displayName?: string): Promise<{ identity: ChatIdentity; state: DialogState | null }>;
  /** Stores the new state (null clears it) and, when given, the chat's new language. */
  save(identityId: number, state: DialogState | null, locale?: Locale): Promise<void>;
}
