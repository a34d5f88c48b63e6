import type { ConversationStore } from '../../bot/core/ports';
import type { ChatIdentity } from '../../domain/messaging/conversations';
import type { DialogState } from '../../vocabulary/replies';

/** An in-memory ConversationStore, for unit tests of the dialog core without a database. */
export function createMemoryStore() {
  const chats = new Map<string, ChatIdentity>();
  const states = new Map<number, DialogState>();
  const seen = new Set<string>();
  const store: ConversationStore = {
    async markProcessed(channel, updateId) {
      const key = `${channel}:${updateId}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    },
    async forget(channel, updateId) {
      seen.delete(`${channel}:${updateId}`);
    },
    async open(channel, externalId, displayName) {
      const key = `${channel}:${externalId}`;
      let identity = chats.get(key);
      if (!identity) {
        identity = { id: chats.size + 1, channel, externalId, locale: 'vi', displayName: displayName ?? null, citizenId: null, officeId: null };
        chats.set(key, identity);
      }
      return { identity, state: states.get(identity.id) ?? null };
    },
    async receive(channel, externalId, updateId, displayName) {
      if (updateId !== undefined && !(await store.markProcessed(channel, updateId))) return null;
      return store.open(channel, externalId, displayName);
    },
    async save(identityId, state, locale) {
      if (state === null) states.delete(identityId);
      else states.set(identityId, state);
      if (locale) for (const chat of chats.values()) if (chat.id === identityId) chat.locale = locale;
    },
  };
  return { store, states };
}
