import { sql } from 'drizzle-orm';
import { chatActivity } from '../db/schema';
import { type Executor, rowsOf } from '../db/types';
import { localIsoDate } from '../lib/vn-time';

/** Counts one inbound message of a chat on its local day. */
export async function recordChatActivity(executor: Executor, identityId: number, at: Date): Promise<void> {
  await executor
    .insert(chatActivity)
    .values({ day: localIsoDate(at), identityId, messages: 1 })
    .onConflictDoUpdate({ target: [chatActivity.day, chatActivity.identityId], set: { messages: sql`${chatActivity.messages} + 1` } });
}

export interface ChatUsage {
  /** Inbound messages and button presses in the period. */
  messages: number;
  /** Chats that wrote at least once. */
  chats: number;
  /** Distinct citizens (verified phones) among those chats. */
  distinctCitizens: number;
  topSearches: { query: string; count: number }[];
  topUnanswered: { query: string; count: number }[];
  notes: string[];
}

/**
 * How much the chat is used between two local dates (yyyy-MM-dd, both included). Chats are not
 * tied to an office, so office and field filters do not apply here.
 */
export async function chatUsage(executor: Executor, from: string, to: string): Promise<ChatUsage> {
  const result = await executor.execute(sql`
    select coalesce(sum(a.messages), 0)::int as messages, count(distinct a.identity_id)::int as chats, count(distinct i.citizen_id)::int as citizens
    from chat_activity a join identities i on i.id = a.identity_id
    where a.day >= ${from}::date and a.day <= ${to}::date`);
  const [row] = rowsOf<{ messages: number; chats: number; citizens: number }>(result);
  return {
    messages: row?.messages ?? 0,
    chats: row?.chats ?? 0,
    distinctCitizens: row?.citizens ?? 0,
    topSearches: [],
    topUnanswered: [],
    notes: ['topSearches and topUnanswered stay empty until the procedure search records its queries (search_log).'],
  };
}
