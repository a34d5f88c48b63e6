import { inArray } from 'drizzle-orm';
import { apiTokens, staffUsers } from '../../db/schema';
import type { Executor } from '../../db/types';

/**
 * The names behind actor references (`staff:12`, `token:3`) as stored in `created_by` columns, for
 * pages that say who did something. A reference with no account behind it keeps no entry.
 */
export async function actorNames(executor: Executor, refs: readonly string[]): Promise<Map<string, string>> {
  const idsOf = (kind: string) =>
    [...new Set(refs.filter((r) => r.startsWith(`${kind}:`)).map((r) => Number(r.slice(kind.length + 1))))].filter(Number.isSafeInteger);
  const staffIds = idsOf('staff');
  const tokenIds = idsOf('token');
  const [staff, tokens] = await Promise.all([
    staffIds.length ? executor.select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers).where(inArray(staffUsers.id, staffIds)) : [],
    tokenIds.length ? executor.select({ id: apiTokens.id, name: apiTokens.name }).from(apiTokens).where(inArray(apiTokens.id, tokenIds)) : [],
  ]);
  return new Map([...staff.map((s) => [`staff:${s.id}`, s.name] as const), ...tokens.map((t) => [`token:${t.id}`, t.name] as const)]);
}
