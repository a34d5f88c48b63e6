import type { ChatIdentity } from '../../domain/messaging/conversations';
import type { ChannelName } from '../../vocabulary/channels';
import type { Locale } from '../../vocabulary/locales';
import type { DialogState } from '../../vocabulary/replies';

/** Where the dialog keeps chats, their state and the events already handled (the database). */
export interface ConversationStore {
  /** Records an event id; resolves false when it was handled before (a redelivery). */
  markProcessed(channel: ChannelName, updateId: string): Promise<boolean>;
  /**
   * Handles the arrival of one event in one step (one round trip, one commit): records its id,
   * finds or creates the chat, counts the message, and returns the chat with its stored state.
   * Resolves null when the event id was handled before (a redelivery); nothing is written then.
   */
  receive(
    channel: ChannelName,
    externalId: string,
    updateId: string | undefined,
    displayName?: string,
  ): Promise<{ identity: ChatIdentity; state: DialogState | null } | null>;
  /**
   * Removes an event id recorded by {@link receive}, so that a redelivery of an event whose
   * handling failed on infrastructure is handled again instead of dropped as a duplicate.
   */
  forget(channel: ChannelName, updateId: string): Promise<void>;
  /** Finds or creates the chat and returns it with its stored dialog state. */
  open(channel: ChannelName, externalId: string, displayName?: string): Promise<{ identity: ChatIdentity; state: DialogState | null }>;
  /**
   * Stores the new state (null clears it) and, when given, the chat's new language. A `soft`
   * state is one a database crash may forget at no cost (the procedure just shown): it is saved
   * without waiting for the disk.
   */
  save(identityId: number, state: DialogState | null, locale?: Locale, options?: { soft: boolean }): Promise<void>;
}
