import { and, isNotNull, lt } from 'drizzle-orm';
import { processedUpdates, staffSessions, webInbox } from '../../db/schema';
import type { Database } from '../../db/types';
import { pruneCounters } from './rate-counters';

/**
 * How long an event id is remembered. Telegram keeps undelivered updates 24 hours and Zalo
 * retries for about two hours, so three days covers every redelivery with room to spare.
 */
const PROCESSED_UPDATES_KEEP_MS = 3 * 24 * 60 * 60 * 1000;
/** Web chat messages the page has fetched are kept a week, then dropped. */
const WEB_INBOX_KEEP_MS = 7 * 24 * 60 * 60 * 1000;
/** Rate-limit counters (sign-ins, dossier look-ups) are kept a day after their window starts. */
const COUNTERS_KEEP_MS = 24 * 60 * 60 * 1000;

/** Deletes bookkeeping rows nobody needs any more; safe to run from several processes. */
export async function pruneOldRows(db: Database, now: Date): Promise<void> {
  await db.delete(processedUpdates).where(lt(processedUpdates.receivedAt, new Date(now.getTime() - PROCESSED_UPDATES_KEEP_MS)));
  await db.delete(webInbox).where(and(isNotNull(webInbox.deliveredAt), lt(webInbox.deliveredAt, new Date(now.getTime() - WEB_INBOX_KEEP_MS))));
  // Rate-limit windows last an hour at most; console sessions are dead once expired.
  await pruneCounters(db, new Date(now.getTime() - COUNTERS_KEEP_MS));
  await db.delete(staffSessions).where(lt(staffSessions.expiresAt, now));
}
