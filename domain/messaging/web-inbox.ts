import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { identities, otpChallenges, webInbox } from '../../db/schema';
import type { Database } from '../../db/types';
import { asLocale, type Locale } from '../../vocabulary/locales';
import type { Reply } from '../../vocabulary/replies';

/**
 * The web chat's inbox: it has no push channel, so proactive messages wait here until the page
 * fetches them. Sessions are web chat ids (the hash of the cookie), never anything else.
 */

/** At most this many inbox rows are handed to the page in one fetch. */
const FETCH_LIMIT = 50;

/** Puts replies in a web chat's inbox; `false` when no such web chat exists. */
export async function putInWebInbox(db: Database, externalId: string, replies: Reply[], now: Date): Promise<boolean> {
  const [identity] = await db
    .select({ id: identities.id })
    .from(identities)
    .where(and(eq(identities.channel, 'web'), eq(identities.externalId, externalId)));
  if (!identity) return false;
  await db.insert(webInbox).values({ identityId: identity.id, payload: replies, createdAt: now });
  return true;
}

/** Takes what waits for a web chat, oldest first, marking it delivered at `now`. */
export async function takeWebInbox(db: Database, externalId: string, now: Date): Promise<Reply[]> {
  const rows = await db
    .select({ id: webInbox.id, payload: webInbox.payload })
    .from(webInbox)
    .innerJoin(identities, eq(identities.id, webInbox.identityId))
    .where(and(eq(identities.channel, 'web'), eq(identities.externalId, externalId), isNull(webInbox.deliveredAt)))
    .orderBy(asc(webInbox.id))
    .limit(FETCH_LIMIT);
  if (rows.length > 0) {
    await db
      .update(webInbox)
      .set({ deliveredAt: now })
      .where(
        inArray(
          webInbox.id,
          rows.map((r) => r.id),
        ),
      );
  }
  return rows.flatMap((r) => r.payload);
}

/**
 * The web chat that asked for a phone's newest live code, with its language: the development
 * code sender shows the code there.
 */
export async function webChatAwaitingCode(db: Database, phone: string): Promise<{ externalId: string; locale: Locale } | null> {
  const [asker] = await db
    .select({ externalId: identities.externalId, locale: identities.locale })
    .from(otpChallenges)
    .innerJoin(identities, eq(identities.id, otpChallenges.identityId))
    .where(and(eq(otpChallenges.phone, phone), eq(identities.channel, 'web'), isNull(otpChallenges.usedAt), isNull(otpChallenges.voidedAt)))
    .orderBy(desc(otpChallenges.createdAt))
    .limit(1);
  return asker ? { externalId: asker.externalId, locale: asLocale(asker.locale) } : null;
}
