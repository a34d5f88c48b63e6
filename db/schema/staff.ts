import { bigint, bigserial, boolean, index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { Role } from '../../vocabulary/actors';
import { identities } from './chats';

/** Staff, officials and admins. Passwords are stored only as memory-hard hashes (scrypt). */
export const staffUsers = pgTable('staff_users', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  username: text('username').notNull().unique(),
  name: text('name').notNull(),
  role: text('role').$type<Role>().notNull(),
  officeId: bigint('office_id', { mode: 'number' }),
  passwordHash: text('password_hash').notNull(),
  /** Set on a new or reset account: the console asks for a new password before anything else. */
  mustChangePassword: boolean('must_change_password').notNull().default(false),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});

/** API tokens for integrations (the one-stop software). Only the SHA-256 of the token is kept. */
export const apiTokens = pgTable('api_tokens', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  name: text('name').notNull(),
  role: text('role').$type<Role>().notNull(),
  officeId: bigint('office_id', { mode: 'number' }),
  tokenHash: text('token_hash').notNull().unique(),
  createdBy: text('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
});

/** Who did what to which subject, when; before/after where it matters. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    actor: text('actor').notNull(),
    actorName: text('actor_name').notNull(),
    action: text('action').notNull(),
    subject: text('subject').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('audit_log_at').on(t.at), index('audit_log_subject').on(t.subject)],
);

/**
 * Chats a staff member linked to their account (a one-time code shown in the console and typed in
 * the chat), where their test sends of announcements go.
 */
export const staffChats = pgTable(
  'staff_chats',
  {
    staffId: bigint('staff_id', { mode: 'number' })
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    identityId: bigint('identity_id', { mode: 'number' })
      .notNull()
      .references(() => identities.id, { onDelete: 'cascade' }),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.staffId, t.identityId] })],
);

/** Codes that link a chat to a staff account: only their SHA-256 is kept, for ten minutes. */
export const staffLinkCodes = pgTable('staff_link_codes', {
  codeHash: text('code_hash').primaryKey(),
  staffId: bigint('staff_id', { mode: 'number' })
    .notNull()
    .references(() => staffUsers.id, { onDelete: 'cascade' }),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});
