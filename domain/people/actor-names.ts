import { inArray } from 'drizzle-orm';
import { apiTokens, staffUsers } from '../../db/schema';
import type { Executor } from '../../db/types';

export interface ActorName {
  kind: 'staff' | 'token';
  name: string;
}

/**
 * The names behind actor references (`staff:12`, `token:3`, as timelines and the audit log store
 * them), so a page can say who did something. References it cannot resolve are left out.
 */
export async function actorNames(db: Executor, refs: readonly string[]): Promise<Map<string, ActorName>> {
  const ids = (kind: string) =>
    [...new Set(refs.filter((r) => r.startsWith(`${kind}:`)).map((r) => Number(r.slice(kind.length + 1))))].filter(Number.isSafeInteger);
  const staffIds = ids('staff');
  const tokenIds = ids('token');
  const [people, tokens] = await Promise.all([
    staffIds.length ? db.select({ id: staffUsers.id, name: staffUsers.name }).from(staffUsers).where(inArray(staffUsers.id, staffIds)) : [],
    tokenIds.length ? db.select({ id: apiTokens.id, name: apiTokens.name }).from(apiTokens).where(inArray(apiTokens.id, tokenIds)) : [],
  ]);
  const names = new Map<string, ActorName>();
  for (const p of people) names.set(`staff:${p.id}`, { kind: 'staff', name: p.name });
  for (const p of tokens) names.set(`token:${p.id}`, { kind: 'token', name: p.name });
  return names;
}
