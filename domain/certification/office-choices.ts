import { asc } from 'drizzle-orm';
import { offices } from '../../db/schema';
import type { Executor } from '../../db/types';

/** Every office by id and name: what a province-wide account picks from when it files a scan. */
export function officeChoices(executor: Executor): Promise<{ id: number; name: string }[]> {
  return executor.select({ id: offices.id, name: offices.name }).from(offices).orderBy(asc(offices.id));
}
