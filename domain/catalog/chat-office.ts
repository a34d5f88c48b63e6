import { and, eq, isNull, or } from 'drizzle-orm';
import { identities } from '../../db/schema';
import type { Database } from '../../db/types';
import { officeFromLink } from '../../knowledge/deep-link';
import type { Clock } from '../../lib/clock';
import type { ChatIdentity } from '../messaging/conversations';
import { type Area, areaByCode, updateSettings } from '../messaging/notification-settings';
import type { Catalog, OfficeDirectory, StoredOffice } from './store';

/**
 * The office an answer may name for a chat:
 * - `known`: the chat's own office, or the only office of the deployment;
 * - `ask`: several offices and the chat has not said where it lives: ask for its commune/ward
 *   (`few` lists the communes/wards to pick from when there are only a handful, else it is empty);
 * - `none`: nothing to name (no office configured, or several and no commune assigned to any).
 */
export type ChatOffice = { kind: 'known'; office: StoredOffice } | { kind: 'ask'; few: Area[] } | { kind: 'none' };

/** Up to this many communes/wards are offered as buttons with the question; more must be typed. */
const FEW_AREAS = 6;

/** The chat's office from the directory in memory: no round trip. */
export function officeOf(directory: OfficeDirectory, officeId: number | null): ChatOffice {
  const own = officeId === null ? undefined : directory.byId.get(officeId);
  if (own) return { kind: 'known', office: own };
  if (directory.byId.size === 1) {
    const [only] = directory.byId.values();
    if (only) return { kind: 'known', office: only };
  }
  if (directory.byId.size === 0 || directory.areas.size === 0) return { kind: 'none' };
  const few = directory.areas.size <= FEW_AREAS ? [...directory.areas].map(([code, a]) => ({ code, name: a.name })) : [];
  return { kind: 'ask', few };
}

/** The outcome of a citizen naming their commune/ward: the area, and its office when one serves it. */
export interface AreaChoice {
  area: Area;
  office: StoredOffice | null;
}

/**
 * The chat's office as the dialog uses it (bot/core/office-port.ts): read from the catalog's
 * directory in memory, and set from the commune/ward the citizen names, an office's link or QR
 * code, or the dossier they looked up.
 */
export function createChatOffices(deps: { db: Database; clock: Clock; catalog: Pick<Catalog, 'offices'> }) {
  const { db, clock, catalog } = deps;

  return {
    async officeFor(identity: ChatIdentity): Promise<ChatOffice> {
      return officeOf(await catalog.offices(), identity.officeId);
    },

    async byId(officeId: number): Promise<StoredOffice | null> {
      return (await catalog.offices()).byId.get(officeId) ?? null;
    },

    /**
     * The citizen named their commune/ward: it becomes their area for announcements (as in
     * Settings, following the citizen across linked chats) and its office serves their chats.
     * An area no office serves (yet) keeps whatever office the chats had. Null for an unknown code.
     */
    async chooseArea(identity: ChatIdentity, areaCode: string): Promise<AreaChoice | null> {
      const area = await areaByCode(db, areaCode);
      if (!area) return null;
      const directory = await catalog.offices();
      const officeId = directory.areas.get(area.code)?.officeId;
      const office = officeId === undefined ? null : (directory.byId.get(officeId) ?? null);
      await db.transaction(async (tx) => {
        await updateSettings(tx, { identityId: identity.id, citizenId: identity.citizenId }, (current) => ({ ...current, area: area.code }), clock.now());
        if (!office) return;
        const chats =
          identity.citizenId === null ? eq(identities.id, identity.id) : or(eq(identities.id, identity.id), eq(identities.citizenId, identity.citizenId));
        await tx.update(identities).set({ officeId: office.id }).where(chats);
      });
      return { area, office };
    },

    /** An office's link or QR code was opened (`o_<code>`): that office serves the chat from now on. */
    async fromLink(identity: ChatIdentity, reference: string): Promise<StoredOffice | null> {
      const ref = officeFromLink(reference);
      if (!ref) return null;
      const directory = await catalog.offices();
      const office = 'code' in ref ? directory.byCode.get(ref.code) : directory.byId.get(ref.id);
      if (!office) return null;
      if (identity.officeId !== office.id) await db.update(identities).set({ officeId: office.id }).where(eq(identities.id, identity.id));
      return office;
    },

    /** The chat looked up a dossier of this office: it serves the chat unless the chat already has one. */
    async adopt(identity: ChatIdentity, officeId: number): Promise<void> {
      if (identity.officeId !== null || !(await catalog.offices()).byId.has(officeId)) return;
      await db
        .update(identities)
        .set({ officeId })
        .where(and(eq(identities.id, identity.id), isNull(identities.officeId)));
    },
  };
}
