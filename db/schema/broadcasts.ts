import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const BROADCAST_STATUSES = ['draft', 'scheduled', 'sending', 'completed', 'cancelled'] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];

/** Who a broadcast reaches; every list left out means "any". */
export interface BroadcastAudience {
  areas?: string[];
  /** Offices (ids) whose chats it reaches: chats of that office, or living in a commune it serves. */
  offices?: number[];
  topics?: string[];
  channels?: string[];
  locales?: string[];
}

export interface BroadcastLink {
  label: string;
  url: string;
}

/** Final figures, written once every row of the broadcast is settled. */
export interface BroadcastReport {
  recipients: number;
  sent: number;
  failed: number;
  blocked: number;
  undeliverable: number;
  cancelled: number;
  byChannel: Record<string, { sent: number; failed: number; blocked: number; undeliverable: number; cancelled: number }>;
  firstSentAt: string | null;
  lastSentAt: string | null;
  /** Messages per second between the first and the last send. */
  ratePerSecond: number | null;
}

/** An announcement from an official to the subscribers of an area, channel, language or topic. */
export const broadcasts = pgTable(
  'broadcasts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    text: text('text').notNull(),
    link: jsonb('link').$type<BroadcastLink>(),
    audience: jsonb('audience').$type<BroadcastAudience>().notNull(),
    /** Goes out during quiet hours too (a storm warning). */
    urgent: boolean('urgent').notNull().default(false),
    status: text('status').$type<BroadcastStatus>().notNull().default('draft'),
    sendAt: timestamp('send_at', { withTimezone: true }),
    /** The fan-out writes outbox rows by chat id in chunks; this is the last chat id written. */
    fanoutCursor: bigint('fanout_cursor', { mode: 'number' }).notNull().default(0),
    fanoutDoneAt: timestamp('fanout_done_at', { withTimezone: true }),
    recipients: integer('recipients').notNull().default(0),
    report: jsonb('report').$type<BroadcastReport>(),
    createdBy: text('created_by').notNull(),
    createdByName: text('created_by_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [index('broadcasts_active').on(t.sendAt).where(sql`${t.status} in ('scheduled', 'sending')`)],
);
