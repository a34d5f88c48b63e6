import { type SQL, sql } from 'drizzle-orm';
import { type Executor, rowsOf } from '../../db/types';

/**
 * Counts one inbound message on `day` (an SQL date: the message's local day, see
 * `localIsoDate`) for each chat `chats` yields (a CTE with an `id` column): a statement for a
 * data-modifying CTE, so the count is written in the same round trip as the message's other
 * writes (domain/conversations.ts).
 */
export function countChatActivity(chats: SQL, day: SQL): SQL {
  return sql`insert into chat_activity (day, identity_id, messages)
    select ${day}, id, 1 from ${chats}
    on conflict (day, identity_id) do update set messages = chat_activity.messages + 1`;
}

const TOP = 10;

/** Midnight of a local date (yyyy-MM-dd) in Vietnam, as ISO text for raw SQL. */
const localStart = (date: string) => `${date}T00:00:00+07:00`;

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
  // search_log holds the questions the catalog could not answer, grouped by their folded form.
  const unanswered = await executor.execute(sql`
    select min(query) as query, count(*)::int as count
    from search_log
    where at >= ${localStart(from)}::timestamptz and at < ${localStart(to)}::timestamptz + interval '1 day'
    group by folded
    order by count(*) desc, min(query)
    limit ${TOP}`);
  const [row] = rowsOf<{ messages: number; chats: number; citizens: number }>(result);
  return {
    messages: row?.messages ?? 0,
    chats: row?.chats ?? 0,
    distinctCitizens: row?.citizens ?? 0,
    topSearches: [],
    topUnanswered: rowsOf<{ query: string; count: number }>(unanswered),
    notes: ['topSearches stays empty: the procedure search records only the questions it could not answer (search_log).'],
  };
}
