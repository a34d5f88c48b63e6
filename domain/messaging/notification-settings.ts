import { asc, eq, type SQL, sql } from 'drizzle-orm';
import { areas, notificationSettings } from '../../db/schema';
import { bigintArrayParam } from '../../db/sql';
import type { Database } from '../../db/types';
import { type Executor, rowsOf } from '../../db/types';
import { foldVietnamese } from '../../knowledge/normalize';
import { matchPlaces } from '../../knowledge/place-names';
import type { Clock } from '../../lib/clock';
import { type ReminderSwitch, TOPICS } from '../../vocabulary/notices';
import type { ChatIdentity } from './conversations';

/** A chat's notification settings as the settings flow shows them. */
export interface NotificationView {
  /** Reminder switches turned off. */
  muted: string[];
  area: { code: string; name: string } | null;
  topics: string[];
  /** The citizen said /stop. */
  stopped: boolean;
}

export interface NotificationChange {
  mute?: { kind: ReminderSwitch; off: boolean };
  topic?: { name: string; subscribed: boolean };
  /** An area code, or null to clear the area. */
  area?: string | null;
  stopped?: boolean;
}

/** The reminder switches a citizen has in settings, one per kind of reminder. */
type ReminderToggle = ReminderSwitch;

/**
 * Outbox kinds of the notices citizens can switch off. Whoever queues one of these uses the name
 * here, so the citizen's switch applies to it wherever it comes from (a reminder row, a dossier
 * status change, a certification update).
 */
export const NOTICE_KINDS = {
  appointment: 'reminder_appointment',
  permitExpiry: 'reminder_permit_expiry',
  resultReady: 'dossier_ready',
  supplement: 'dossier_needs_supplement',
  certificationReady: 'certification_ready',
  broadcast: 'broadcast',
} as const;

/**
 * The outbox kind of a dossier's status notice (`dossier_ready`, `dossier_needs_supplement`, ...).
 * The "result ready" and "supplement needed" reminders are these notices themselves, so the
 * citizen's switches of those names apply to them and nothing is sent twice.
 *
 * @example statusNoticeKind('ready') // 'dossier_ready', controlled by the result_ready switch
 */
export const statusNoticeKind = (status: string): string => `dossier_${status}`;

const TOGGLE_OF_KIND: Record<string, ReminderToggle> = {
  [NOTICE_KINDS.appointment]: 'appointment',
  [NOTICE_KINDS.permitExpiry]: 'permit_expiry',
  [NOTICE_KINDS.resultReady]: 'result_ready',
  [NOTICE_KINDS.supplement]: 'supplement',
  [NOTICE_KINDS.certificationReady]: 'certification',
};

/**
 * Whether /stop silences a kind: announcements, reminders and dossier status notices stop;
 * answers to the citizen's own requests (replies, one-time codes, their certification request,
 * a test send) do not.
 */
export function stoppedBy(kind: string): boolean {
  return kind === NOTICE_KINDS.broadcast || kind.startsWith('reminder_') || kind.startsWith('dossier_') || kind === 'status_change';
}

/** A chat's settings as they apply to it (its citizen's, once linked). */
export interface EffectiveSettings {
  mutedKinds: string[];
  area: string | null;
  topics: string[];
  stopped: boolean;
}

export const DEFAULT_SETTINGS: EffectiveSettings = { mutedKinds: [], area: null, topics: [], stopped: false };

/**
 * Whether a notice of `kind` may go to a chat with these settings. The same rule runs when a
 * notice is queued (notifyChats) and again when a planned row is sent, so a change of mind in
 * between is honoured.
 *
 * @example allows({ ...DEFAULT_SETTINGS, mutedKinds: ['appointment'] }, 'reminder_appointment') // false
 */
export function allows(settings: EffectiveSettings, kind: string): boolean {
  if (settings.stopped && stoppedBy(kind)) return false;
  const toggle = TOGGLE_OF_KIND[kind];
  return !(toggle && settings.mutedKinds.includes(toggle));
}

/**
 * SQL joins that give each chat `i` its effective settings: the row of its citizen when it has
 * one, else the chat's own row. Settings follow the citizen across every linked chat.
 */
export const settingsJoins = (identity: SQL): SQL =>
  sql`left join notification_settings ns_c on ns_c.citizen_id = ${identity}.citizen_id
      left join notification_settings ns_i on ns_i.identity_id = ${identity}.id`;

const pick = (column: string) => sql.raw(`case when ns_c.id is not null then ns_c.${column} else ns_i.${column} end`);
/**
 * The effective columns, for use with {@link settingsJoins}. The database's view
 * chat_audience_source (migration 0015) reads them the same way for announcements' audiences;
 * tests/integration/chat-audience.test.ts holds the two to the same answers.
 */
export const settingsColumns = {
  mutedKinds: sql`coalesce(${pick('muted_kinds')}, '{}'::text[])`,
  area: pick('area'),
  topics: sql`coalesce(${pick('topics')}, '{}'::text[])`,
  stoppedAt: pick('stopped_at'),
};

interface SettingsRow {
  muted_kinds: string[] | string | null;
  area: string | null;
  topics: string[] | string | null;
  stopped_at: unknown;
}

/** postgres.js returns text[] as arrays; some paths give the '{a,b}' literal. */
export function textArray(value: string[] | string | null): string[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, '');
  return inner === '' ? [] : inner.split(',').map((s) => s.replace(/^"|"$/g, ''));
}

export function settingsFromRow(row: SettingsRow): EffectiveSettings {
  return {
    mutedKinds: textArray(row.muted_kinds),
    area: row.area,
    topics: textArray(row.topics),
    stopped: row.stopped_at !== null && row.stopped_at !== undefined,
  };
}

/** The effective settings of some chats (chats without any settings get the defaults). */
export async function settingsOf(executor: Executor, identityIds: number[]): Promise<Map<number, EffectiveSettings>> {
  if (identityIds.length === 0) return new Map();
  const result = await executor.execute(sql`
    select i.id, ${settingsColumns.mutedKinds} as muted_kinds, ${settingsColumns.area} as area,
      ${settingsColumns.topics} as topics, ${settingsColumns.stoppedAt} as stopped_at
    from identities i ${settingsJoins(sql`i`)}
    where i.id = any(${bigintArrayParam(identityIds)})`);
  return new Map(rowsOf<SettingsRow & { id: number | string }>(result).map((row) => [Number(row.id), settingsFromRow(row)]));
}

/**
 * Chat filter applied to every notice. Returns the identity ids that may receive a notice of this
 * kind. The default is the citizen's notification settings (per-kind switches and /stop).
 */
export type RecipientFilter = (executor: Executor, identityIds: number[], kind: string) => Promise<number[]>;

/**
 * The opt-out filter every notice passes through (notifyChats uses it unless told otherwise):
 * drops chats whose citizen switched this kind off or said /stop.
 */
export const notificationFilter: RecipientFilter = async (executor, identityIds, kind) => {
  const settings = await settingsOf(executor, identityIds);
  return identityIds.filter((id) => allows(settings.get(id) ?? DEFAULT_SETTINGS, kind));
};

/** Whose settings a chat edits: its citizen's when linked by a verified phone, else its own. */
export interface SettingsOwner {
  identityId: number;
  citizenId: number | null;
}

/**
 * Changes a chat's settings. A chat linked to a citizen writes the citizen's row (starting from
 * whatever applied to the chat until now), so every chat of that citizen sees the change.
 */
export async function updateSettings(
  executor: Executor,
  owner: SettingsOwner,
  change: (current: EffectiveSettings) => EffectiveSettings,
  now: Date,
): Promise<EffectiveSettings> {
  const current = (await settingsOf(executor, [owner.identityId])).get(owner.identityId) ?? DEFAULT_SETTINGS;
  const next = change(current);
  const values = {
    mutedKinds: [...new Set(next.mutedKinds)].sort(),
    area: next.area,
    topics: [...new Set(next.topics)].sort(),
    stoppedAt: next.stopped ? (current.stopped ? undefined : now) : null,
    updatedAt: now,
  };
  // A repeated /stop keeps the moment of the first one.
  const set = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
  const row = { ...values, stoppedAt: next.stopped ? now : null };
  if (owner.citizenId !== null) {
    await executor
      .insert(notificationSettings)
      .values({ ...row, citizenId: owner.citizenId })
      .onConflictDoUpdate({ target: notificationSettings.citizenId, set });
  } else {
    await executor
      .insert(notificationSettings)
      .values({ ...row, identityId: owner.identityId })
      .onConflictDoUpdate({ target: notificationSettings.identityId, set });
  }
  return { ...next, mutedKinds: values.mutedKinds, topics: values.topics };
}

/** Area codes travel in button actions (`settings:area:set:<code>`), so they stay short. */
export const AREA_CODE = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export interface Area {
  code: string;
  name: string;
}

/** Adds or renames communes/wards. Returns how many rows were new or changed. */
export async function upsertAreas(executor: Executor, list: Area[], now: Date): Promise<number> {
  if (list.length === 0) return 0;
  const changed = await executor
    .insert(areas)
    .values(list.map((a) => ({ code: a.code, name: a.name, folded: foldVietnamese(a.name), createdAt: now })))
    .onConflictDoUpdate({
      target: areas.code,
      set: { name: sql`excluded.name`, folded: sql`excluded.folded` },
      setWhere: sql`${areas.name} is distinct from excluded.name`,
    })
    .returning({ code: areas.code });
  return changed.length;
}

export async function listAreas(executor: Executor): Promise<Area[]> {
  return executor.select({ code: areas.code, name: areas.name }).from(areas).orderBy(asc(areas.name));
}

/** The areas a citizen may have meant: `matched` when they match what was typed, else the closest by spelling. */
export interface AreaSearch {
  matched: boolean;
  areas: Area[];
  /** The areas are near what was typed (matched, or a typo away), not all areas offered for want of one. */
  near: boolean;
}

/**
 * The areas a citizen meant by what they typed, forgivingly (knowledge/place-names.ts): accents
 * or not, "P.1", "phường Một" or "phuong 01" for "Phường 1", and a typo or two, in which case the
 * closest few are offered. An office serves tens of communes, a province a few hundred: all are
 * read and compared in memory. With nothing close and no more areas than `limit`, all are offered.
 */
export async function findAreas(executor: Executor, typed: string, limit = 6): Promise<AreaSearch> {
  const all = await listAreas(executor);
  const found = matchPlaces(typed, all, limit);
  // Nothing near what was typed, but few areas to choose from: offer them all rather than refuse.
  if (found.places.length === 0 && all.length <= limit) return { matched: false, areas: all, near: false };
  return { matched: found.matched, areas: found.places, near: found.places.length > 0 };
}

export async function areaByCode(executor: Executor, code: string): Promise<Area | null> {
  const [row] = await executor.select({ code: areas.code, name: areas.name }).from(areas).where(eq(areas.code, code));
  return row ?? null;
}

/** Notification settings as the settings flow uses them (bot/core/notifications-port.ts), over the database. */
export function createNotificationSettingsPort(db: Database, clock: Clock) {
  async function view(settings: EffectiveSettings): Promise<NotificationView> {
    const area = settings.area ? await areaByCode(db, settings.area) : null;
    return { muted: settings.mutedKinds, area, topics: settings.topics, stopped: settings.stopped };
  }
  return {
    async view(identity: ChatIdentity): Promise<NotificationView> {
      return view((await settingsOf(db, [identity.id])).get(identity.id) ?? DEFAULT_SETTINGS);
    },
    async change(identity: ChatIdentity, change: NotificationChange): Promise<NotificationView | null> {
      if (change.area && !(await areaByCode(db, change.area))) return null;
      if (change.topic && !(TOPICS as readonly string[]).includes(change.topic.name)) return null;
      const owner = { identityId: identity.id, citizenId: identity.citizenId };
      const next = await updateSettings(
        db,
        owner,
        (current) => {
          const toggle = (values: string[], value: string, on: boolean) => (on ? [...values, value] : values.filter((v) => v !== value));
          return {
            mutedKinds: change.mute ? toggle(current.mutedKinds, change.mute.kind, change.mute.off) : current.mutedKinds,
            topics: change.topic ? toggle(current.topics, change.topic.name, change.topic.subscribed) : current.topics,
            area: change.area === undefined ? current.area : change.area,
            stopped: change.stopped ?? current.stopped,
          };
        },
        clock.now(),
      );
      return view(next);
    },
    findAreas: (typed: string) => findAreas(db, typed),
  };
}
