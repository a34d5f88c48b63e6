import { eq } from 'drizzle-orm';
import { apiTokens, staffUsers } from '../../db/schema';
import type { Executor } from '../../db/types';

/**
 * The name behind an actor reference as records keep it (`staff:12`, `token:3`), for pages that
 * show who did something; the reference itself when it names no one known.
 */
export async function actorName(executor: Executor, ref: string): Promise<string> {
  const match = /^(staff|token):(\d{1,12})$/.exec(ref);
  if (!match) return ref;
  const id = Number(match[2]);
  const table = match[1] === 'staff' ? staffUsers : apiTokens;
  const [row] = await executor.select({ name: table.name }).from(table).where(eq(table.id, id));
  return row?.name ?? ref;
}
